"""Chasing from the application: a person picks who to remind and sends each a reminder now.

- A focal point reminds managers of their entity who have not held their session (waiting or
  ready) and leaders whose held sessions are not reported;
- a focal point reminds every attendee of the entity's held sessions to assess their
  facilitator: everyone, so that the reminder reveals nothing about who has already answered;
- a leader reminds the invitees of one of their upcoming sessions.

Each e-mail is in its recipient's language, previewed first, and claimed like every reminder
(`ReminderSent`, unique per reason, person and ISO week): at most one a week per person and
reason, however often anyone presses the button. Chasing is a person's explicit choice, so it
reaches people who muted the automatic nudges. Each send writes one audit entry.
"""

import dataclasses
import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from core.models import AuditAction
from core.services import audit_record
from dialogues.models import Attendance, Invitation, Session, SessionStatus
from feedback import selectors as feedback_selectors
from org.models import Cycle, Entity, Person
from org.zones import duty_station_zones, person_time_zone

from . import tree
from .reminders import _deliver, _links, _message, _person_recipient, _week
from .selectors import cascade_states

CHASE_SCHEDULE = "chase_schedule"
CHASE_REPORT = "chase_report"
CHASE_ASSESS = "chase_assess"
CHASE_INVITEES = "chase_invitees"
TEMPLATES = {
    CHASE_SCHEDULE: "reminder_chase_schedule",
    CHASE_REPORT: "reminder_chase_report",
    CHASE_ASSESS: "reminder_chase_assess",
    CHASE_INVITEES: "reminder_chase_invitees",
}
ENTITY_REASONS = (CHASE_SCHEDULE, CHASE_REPORT, CHASE_ASSESS)
LIST_LIMIT = 300  # people listed with a box each; "everyone" covers the rest


@dataclass(frozen=True)
class ChaseResult:
    sent: int
    skipped: int  # already reminded for this reason this week

    @property
    def message(self) -> str:
        """What the sender reads afterwards, in their language."""
        text = ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", self.sent) % {"count": self.sent}
        if self.skipped:
            text += " " + ngettext(
                "%(count)d person had already received this reminder this week and was left out.",
                "%(count)d people had already received this reminder this week and were left out.",
                self.skipped,
            ) % {"count": self.skipped}
        return text


def chase_candidates(cycle: Cycle, entity: Entity, reason: str, *, today: datetime.date) -> list[int]:
    """The ids of the people of `entity` a focal point may remind for `reason`, in a stable
    order: managers waiting or ready; leaders with sessions held and not reported; attendees of
    the entity's held sessions (all of them). Set-based: one or two queries."""
    if reason == CHASE_SCHEDULE:
        return [s.person_id for s in cascade_states(cycle, entity_ids=[entity.pk]) if s.state in tree.BLOCKED]
    if reason == CHASE_REPORT:
        leaders = feedback_selectors.sessions_not_reported(cycle, entity_ids=[entity.pk], today=today).values_list("leader_id", flat=True)
        return sorted(set(leaders))
    if reason == CHASE_ASSESS:
        end_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.max))
        held = feedback_selectors.held_sessions(cycle, now=end_of_today).filter(leader__entity=entity)
        attendees = Attendance.objects.filter(session__in=held, person__active=True).values_list("person_id", flat=True)
        return sorted(set(attendees))
    raise ValueError(reason)


def invitee_candidates(session: Session) -> list[int]:
    """The active invitees of a leader's upcoming session who have not signed in."""
    if session.status != SessionStatus.SCHEDULED:
        return []
    signed = Attendance.objects.filter(session=session, person=OuterRef("person"))
    return list(
        Invitation.objects.filter(session=session, person__active=True).exclude(Exists(signed)).order_by("person__name").values_list("person_id", flat=True)
    )


def _context(
    reason: str, person: Person, *, cycle: Cycle, session: Session | None, today: datetime.date, base_url: str, stations: dict[str, str] | None = None
) -> dict:
    context = {"person": person, "cycle": cycle, "session": session, "today": today, **_links(base_url)}
    if session is not None and session.starts_at is not None:
        context["own_zone"] = person_time_zone(person, stations=stations)  # the session's time on their own clock too
    context["action_url"] = base_url + {
        CHASE_SCHEDULE: reverse("dialogues:schedule"),
        CHASE_REPORT: reverse("feedback:my_reports"),
        CHASE_ASSESS: reverse("feedback:my_sessions"),
        CHASE_INVITEES: reverse("dialogues:my_invitations"),
    }[reason]
    return context


def chase_preview(reason: str, people: list[Person], *, cycle: Cycle, session: Session | None = None, base_url: str = "") -> list[tuple[str, str, str]]:
    """(language, subject, body) of the reminder, once per language among `people`, as the
    first person of each language would receive it."""
    today = timezone.localdate()
    stations = duty_station_zones() if session is not None else None
    previews, seen = [], set()
    for person in people:
        recipient = _person_recipient(person)
        if recipient.language in seen:
            continue
        seen.add(recipient.language)
        message = _message(recipient, TEMPLATES[reason], _context(reason, person, cycle=cycle, session=session, today=today, base_url=base_url, stations=stations))
        previews.append((recipient.language, message.subject, message.body))
    return previews


def chase_send(
    *, actor, reason: str, person_ids: list[int], cycle: Cycle, target: str, session: Session | None = None, base_url: str = "", now: datetime.datetime | None = None
) -> ChaseResult:
    """Send the reminder to each person of `person_ids` not reminded for `reason` this ISO week;
    one audit entry for the whole send. The caller has checked that each id is one of its
    candidates."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = skipped = 0
    stations = duty_station_zones() if session is not None else None
    people = Person.objects.active().filter(pk__in=person_ids).select_related("user", "entity").order_by("pk")
    for person in people.iterator(chunk_size=500):
        delivered = _deliver(
            reason=reason,
            key=f"person:{person.pk}",
            period=_week(today),
            # A person chose to send it: it reaches people who muted the automatic nudges.
            recipient=dataclasses.replace(_person_recipient(person), muted=False),
            template=TEMPLATES[reason],
            context=_context(reason, person, cycle=cycle, session=session, today=today, base_url=base_url, stations=stations),
            now=now,
        )
        sent += delivered
        skipped += not delivered
    audit_record(actor=actor, action=AuditAction.REMINDER_CHASE, target=target, detail={"reason": reason, "sent": sent, "skipped": skipped})
    return ChaseResult(sent, skipped)
