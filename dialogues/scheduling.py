"""Scheduling sessions: create, change and cancel them, with invitations that follow.

A session belongs to its leader alone (no delegation). Its day lies inside the cycle. More than
25 invitees are better split: `propose_split` suggests balanced groups and the leader adjusts.
E-mails leave after the transaction commits, so a failed change sends nothing.
"""

import datetime
import math
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import AuditAction
from core.services import audit_record
from kit.models import Scenario
from org.models import Cycle, Person
from org.zones import duty_station_zones, zone_label

from .invitations import invitation_messages
from .models import Invitation, ScenarioVote, Session, SessionStatus

MAX_PER_SESSION = 25
REMINDER_WINDOW = (datetime.timedelta(days=1), datetime.timedelta(days=3))


@dataclass
class SessionPlan:
    starts_at: datetime.datetime  # aware
    time_zone: str
    duration_minutes: int
    mode: str
    location: str = ""
    languages: list[str] = field(default_factory=list)
    invitee_ids: list[int] = field(default_factory=list)


def propose_split(people: list, size: int = MAX_PER_SESSION) -> list[list]:
    """Balanced consecutive groups of at most `size` (30 people → 15 and 15, not 25 and 5)."""
    if not people:
        return []
    groups = math.ceil(len(people) / size)
    base, extra = divmod(len(people), groups)
    result, start = [], 0
    for index in range(groups):
        end = start + base + (1 if index < extra else 0)
        result.append(people[start:end])
        start = end
    return result


def _skipped_by_the_clocks(plan: SessionPlan) -> bool:
    """Whether the start was typed as a wall-clock time that the zone skips (02:30 when clocks go
    from 02:00 to 03:00): Python would quietly move it, and the invitation would state a time
    nobody chose."""
    zone = ZoneInfo(plan.time_zone)
    if getattr(plan.starts_at.tzinfo, "key", None) != plan.time_zone:
        return False  # an instant given in another zone is unambiguous
    wall = plan.starts_at.replace(tzinfo=None)
    return plan.starts_at.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != wall


def _check_plan(*, leader: Person, cycle: Cycle, plan: SessionPlan, now: datetime.datetime) -> list[Person]:
    errors = {}
    try:
        local_day = plan.starts_at.astimezone(ZoneInfo(plan.time_zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": _("Unknown time zone.")}) from None
    if not cycle.contains(local_day):
        errors["date"] = _("The session must take place between %(opens)s and %(deadline)s.") % {"opens": date_format(cycle.opens), "deadline": date_format(cycle.deadline)}
    if plan.starts_at < now:
        errors["date"] = _("The session must start in the future.")
    if _skipped_by_the_clocks(plan):
        errors["start_time"] = _("The clocks go forward that night: %(time)s does not exist in %(zone)s. Choose another time.") % {
            "time": plan.starts_at.strftime("%H:%M"),
            "zone": zone_label(plan.time_zone),
        }
    invitees = list(Person.objects.active().filter(pk__in=plan.invitee_ids).exclude(pk=leader.pk))
    if len(invitees) != len(set(plan.invitee_ids) - {leader.pk}):
        errors["invitees"] = _("Some invitees are not active people of the organization.")
    if not invitees:
        errors["invitees"] = _("Invite at least one person.")
    if errors:
        raise ValidationError(errors)
    return invitees


def _send(messages) -> None:
    if messages:
        mailers.default.send_messages(messages)


def _next_ref(leader: Person, cycle: Cycle) -> str:
    count = Session.objects.filter(leader=leader, cycle=cycle).count()
    ref = f"S{count + 1}"
    while Session.objects.filter(leader=leader, cycle=cycle, ref=ref).exists():
        count += 1
        ref = f"S{count + 1}"
    return ref


def session_schedule(*, leader: Person, cycle: Cycle, plan: SessionPlan, actor, base_url: str = "") -> Session:
    """Create a session and invite people; invitations leave once it is saved."""
    invitees = _check_plan(leader=leader, cycle=cycle, plan=plan, now=timezone.now())
    with transaction.atomic():
        session = Session.objects.create(
            cycle=cycle,
            leader=leader,
            ref=_next_ref(leader, cycle),
            date=plan.starts_at.astimezone(ZoneInfo(plan.time_zone)).date(),
            starts_at=plan.starts_at,
            time_zone=plan.time_zone,
            duration_minutes=plan.duration_minutes,
            mode=plan.mode,
            location=plan.location,
            languages=",".join(plan.languages),
        )
        Invitation.objects.bulk_create([Invitation(session=session, person=p) for p in invitees])
        audit_record(actor=actor, action=AuditAction.SESSION_SCHEDULE, target=f"session {session.pk}", detail={"invitees": len(invitees), "starts_at": plan.starts_at.isoformat(), "time_zone": plan.time_zone})
        transaction.on_commit(lambda: _send(invitation_messages(session, invitees, kind="invitation", base_url=base_url)))
    return session


def session_update(*, session: Session, plan: SessionPlan, actor, base_url: str = "") -> Session:
    """Change a session's time, place or invitees. When the event itself changes (time, zone,
    length, mode, place, languages) everyone still invited gets the new calendar entry (same
    UID, higher SEQUENCE); when only the list changes, only the people added (an invitation)
    and those taken off (a cancellation) hear of it."""
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("A cancelled session cannot be changed."))
    invitees = _check_plan(leader=session.leader, cycle=session.cycle, plan=plan, now=timezone.now())
    with transaction.atomic():
        current = set(session.invitations.values_list("person_id", flat=True))
        wanted = {p.pk for p in invitees}
        removed = list(Person.objects.filter(pk__in=current - wanted))
        session.invitations.filter(person_id__in=current - wanted).delete()
        Invitation.objects.bulk_create([Invitation(session=session, person_id=pk) for pk in wanted - current])
        event_changed = session_event_changes(session, plan)
        session.starts_at, session.time_zone = plan.starts_at, plan.time_zone
        session.date = plan.starts_at.astimezone(ZoneInfo(plan.time_zone)).date()
        session.duration_minutes, session.mode = plan.duration_minutes, plan.mode
        session.location, session.languages = plan.location, ",".join(plan.languages)
        session.sequence += 1
        session.save()
        audit_record(actor=actor, action=AuditAction.SESSION_UPDATE, target=f"session {session.pk}", detail={"added": len(wanted - current), "removed": len(removed), "sequence": session.sequence, "starts_at": plan.starts_at.isoformat(), "time_zone": plan.time_zone})
        kept = [p for p in invitees if p.pk in current] if event_changed else []
        added = [p for p in invitees if p.pk not in current]

        def notify():
            _send(
                invitation_messages(session, kept, kind="update", base_url=base_url)
                + invitation_messages(session, added, kind="invitation", base_url=base_url)
                + _cancellations(session, removed, base_url)
            )

        transaction.on_commit(notify)
    return session


def session_event_changes(session: Session, plan: SessionPlan) -> bool:
    """Whether `plan` changes what the invitees' calendar entry says (not only who is invited)."""
    return (
        session.starts_at != plan.starts_at
        or session.time_zone != plan.time_zone
        or session.duration_minutes != plan.duration_minutes
        or session.mode != plan.mode
        or session.location != plan.location
        or session.languages != ",".join(plan.languages)
    )


def session_add_guests(*, session: Session, people: list[Person], actor, base_url: str = "") -> int:
    """Invite people of any entity to a session (a focal point or head does this; the caller
    checked that they may). People already invited, and the leader, are skipped; the others get
    the invitation e-mail when the session is still to come. One audit entry names the guests by
    index number. Returns how many were added."""
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("A cancelled session cannot be changed."))
    with transaction.atomic():
        invited = set(session.invitations.values_list("person_id", flat=True))
        guests = [p for p in people if p.pk not in invited and p.pk != session.leader_id and p.active]
        Invitation.objects.bulk_create([Invitation(session=session, person=p) for p in guests], ignore_conflicts=True)
        audit_record(actor=actor, action=AuditAction.SESSION_GUESTS, target=f"session {session.pk}", detail={"added": [p.index_number for p in guests]})
        if guests and session.starts_at is not None and session.starts_at > timezone.now():
            transaction.on_commit(lambda: _send(invitation_messages(session, guests, kind="invitation", base_url=base_url)))
    return len(guests)


def _cancellations(session: Session, people: list[Person], base_url: str):
    if not people:
        return []
    status = session.status
    session.status = SessionStatus.CANCELLED  # the calendar entry is cancelled for these people
    try:
        return invitation_messages(session, people, kind="cancellation", base_url=base_url)
    finally:
        session.status = status


def session_cancel(*, session: Session, actor, base_url: str = "") -> Session:
    """Cancel a session that has not been held; invitees get METHOD:CANCEL."""
    if session.status == SessionStatus.CANCELLED:
        return session
    if session.attendances.exists():
        raise ValidationError(_("People have already signed in: this session was held and cannot be cancelled."))
    with transaction.atomic():
        session.status = SessionStatus.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence"])
        audit_record(actor=actor, action=AuditAction.SESSION_CANCEL, target=f"session {session.pk}")
        invitees = list(Person.objects.filter(invitations__session=session))
        transaction.on_commit(lambda: _send(invitation_messages(session, invitees, kind="cancellation", base_url=base_url)))
    return session


def invitation_respond(*, invitation: Invitation, needs: str, scenario_ids: list[int], actor) -> Invitation:
    """An invitee states their needs and votes for the scenarios they want to discuss."""
    allowed = set(Scenario.objects.filter(kit__cycle=invitation.session.cycle, pk__in=scenario_ids).values_list("pk", flat=True))
    with transaction.atomic():
        invitation.needs = needs.strip()
        invitation.save(update_fields=["needs"])
        invitation.votes.exclude(scenario_id__in=allowed).delete()
        ScenarioVote.objects.bulk_create([ScenarioVote(invitation=invitation, scenario_id=pk) for pk in allowed], ignore_conflicts=True)
        audit_record(actor=actor, action=AuditAction.INVITATION_RESPOND, target=f"session {invitation.session_id}", detail={"votes": len(allowed), "needs": bool(invitation.needs)})
    return invitation


def send_due_reminders(*, now: datetime.datetime | None = None, base_url: str = "") -> int:
    """Remind invitees 1–3 days before their session, once each. Each invitation is claimed
    with a conditional UPDATE, so two runs at the same time never send the same reminder."""
    now = now or timezone.now()
    due = (
        Invitation.objects.filter(
            reminded_at__isnull=True,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gte=now + REMINDER_WINDOW[0],
            session__starts_at__lte=now + REMINDER_WINDOW[1],
        )
        .select_related("session__cycle", "session__leader", "person__entity")
        .order_by("session_id")
    )
    stations = duty_station_zones()  # each invitee's own zone, without a query per reminder
    sent = 0
    for invitation in due.iterator(chunk_size=500):
        if Invitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(reminded_at=now) != 1:
            continue  # another run took it
        _send(invitation_messages(invitation.session, [invitation.person], kind="reminder", base_url=base_url, stations=stations))
        sent += 1
    return sent
