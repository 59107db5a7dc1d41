"""Each role's steps for the cycle, for the home page (the GOV.UK "task list" pattern): what to
do, in order, its state (not started, in progress, done, overdue, or cannot start yet), the day
it is due and a link that does it.

Due days follow the Leader's Guide: sessions are scheduled one to two weeks ahead, held and
reported (Appendix C, within three days) by the deadline, and Appendix E is submitted and
certified by it. Every figure comes from the selectors the dashboards use; a role's steps cost
a fixed number of queries, whatever the size of the organization.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import RoleGrant
from accounts.scope import Scope, visible_entities
from core.models import AuditEntry
from dialogues.models import Invitation, Session, SessionStatus, signed_in_q
from feedback.models import Question, QuestionStatus, TokenIssue
from feedback.selectors import held_sessions, sessions_not_reported
from kit.models import Kit
from kit.translations import translation_progress
from org.models import Cycle, Entity

from .models import Certification, CertificationStatus
from .selectors import CascadeState, direct_reports_reached, state_counts

SCHEDULE_AHEAD = datetime.timedelta(days=14)  # the Guide: invite one to two weeks ahead


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"
    CANNOT_START = "cannot_start"
    TO_READ = "to_read"


STATUS_LABELS = {
    Status.NOT_STARTED: gettext_lazy("Not started"),
    Status.IN_PROGRESS: gettext_lazy("In progress"),
    Status.DONE: gettext_lazy("Done"),
    Status.OVERDUE: gettext_lazy("Overdue"),
    Status.CANNOT_START: gettext_lazy("Cannot start yet"),
    Status.TO_READ: gettext_lazy("Before your session"),
}


@dataclass(frozen=True)
class Step:
    title: str
    status: str
    url: str = ""
    due: datetime.date | None = None
    detail: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class StepGroup:
    key: str  # leader, participant, focal_point, head, ethics_office
    heading: str
    steps: list[Step]

    @property
    def done(self) -> int:
        return sum(step.status == Status.DONE for step in self.steps)


def _status(*, done: bool, started: bool, due: datetime.date | None, today: datetime.date) -> str:
    if done:
        return Status.DONE
    if due is not None and today > due:
        return Status.OVERDUE
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


# --- the session leader --------------------------------------------------------------------


def leader_steps(scope: Scope, cycle: Cycle, *, now: datetime.datetime) -> StepGroup:
    """Schedule (N direct reports not reached), hold, record attendance, report (Appendix C)."""
    today = timezone.localdate(now)
    leader = scope.person
    reports = list(direct_reports_reached(cycle, leader).values_list("pk", "reached"))
    unreached = {pk for pk, reached in reports if not reached}
    invited = set(
        Invitation.objects.filter(session__cycle=cycle, session__leader=leader, person_id__in=unreached)
        .exclude(session__status=SessionStatus.CANCELLED)
        .values_list("person_id", flat=True)
    )
    sessions = Session.objects.filter(cycle=cycle, leader=leader).exclude(status=SessionStatus.CANCELLED)
    scheduled = sessions.exists()
    held = held_sessions(cycle, now=now).filter(leader=leader)
    signed_in = signed_in_q()
    counts = held.aggregate(held=Count("pk"), empty=Count("pk", filter=~Q(signed_in)))
    first_empty = held.filter(~Q(signed_in)).order_by("date").values_list("pk", flat=True).first()
    not_reported = sessions_not_reported(cycle, leader=leader, today=today).count()
    to_report = held.filter(feedback__isnull=True).count()

    to_invite = len(unreached - invited)
    schedule_due = cycle.deadline - SCHEDULE_AHEAD
    steps = [
        Step(
            _("Schedule your sessions"),
            _status(done=not (unreached - invited), started=scheduled, due=schedule_due, today=today),
            reverse("dialogues:schedule"),
            schedule_due,
            ngettext("%(count)d direct report not reached nor invited yet.", "%(count)d direct reports not reached nor invited yet.", to_invite)
            % {"count": to_invite}
            if to_invite
            else _("Every direct report is reached or invited."),
        ),
        Step(
            _("Hold your sessions"),
            _status(done=bool(reports) and not unreached, started=counts["held"] > 0, due=cycle.deadline, today=today),
            reverse("dialogues:session_list"),
            cycle.deadline,
            ngettext("%(count)d direct report still to reach.", "%(count)d direct reports still to reach.", len(unreached)) % {"count": len(unreached)}
            if unreached
            else _("Every direct report has taken part."),
        ),
        Step(
            _("Record attendance"),
            Status.CANNOT_START
            if not counts["held"]
            else _status(done=counts["empty"] == 0, started=counts["held"] > counts["empty"], due=cycle.deadline, today=today),
            reverse("dialogues:attendance_monitor", args=[first_empty]) if first_empty else reverse("dialogues:session_list"),
            cycle.deadline,
            ngettext("%(count)d held session has no attendance recorded.", "%(count)d held sessions have no attendance recorded.", counts["empty"])
            % {"count": counts["empty"]}
            if counts["empty"]
            else "",
        ),
        Step(
            _("Report each session (Appendix C)"),
            Status.CANNOT_START
            if not counts["held"]
            else Status.OVERDUE
            if not_reported
            else _status(done=to_report == 0, started=counts["held"] > to_report, due=cycle.deadline, today=today),
            reverse("feedback:my_reports"),
            cycle.deadline,
            ngettext("%(count)d session to report.", "%(count)d sessions to report.", to_report) % {"count": to_report} if to_report else "",
        ),
    ]
    return StepGroup("leader", _("As a session leader"), steps)


# --- the participant ---------------------------------------------------------------------


def participant_steps(scope: Scope, cycle: Cycle, *, now: datetime.datetime) -> StepGroup:
    """The next session, the vote (and needs), the participant guide, the facilitator's assessment."""
    today = timezone.localdate(now)
    person = scope.person
    attended = Session.objects.filter(cycle=cycle, attendances__person=person).exclude(status=SessionStatus.CANCELLED)
    attended_ids = list(attended.values_list("pk", flat=True))
    upcoming = (
        Invitation.objects.filter(person=person, session__cycle=cycle, session__status=SessionStatus.SCHEDULED, session__starts_at__gt=now)
        .select_related("session__leader")
        .annotate(votes_count=Count("votes"))
        .order_by("session__starts_at")
        .first()
    )
    assessed = TokenIssue.objects.filter(person=person, session_id__in=attended_ids).count()
    kit = Kit.objects.filter(cycle=cycle, published=True).exists()
    if attended_ids:
        session_step = Step(_("Take part in a session"), Status.DONE, reverse("feedback:my_sessions"), cycle.deadline)
    elif upcoming is not None:
        when = upcoming.session.starts_at
        session_step = Step(
            _("Take part in a session"),
            Status.IN_PROGRESS,
            reverse("dialogues:my_invitations"),
            timezone.localdate(when, timezone=_zone(upcoming.session.time_zone)),
            _("Your next session is led by %(leader)s.") % {"leader": upcoming.session.leader.name},
        )
    else:
        session_step = Step(
            _("Take part in a session"),
            _status(done=False, started=False, due=cycle.deadline, today=today),
            "",
            cycle.deadline,
            _("Your manager has not invited you yet."),
        )
    steps = [
        session_step,
        Step(
            _("Vote for scenarios and tell your leader your needs"),
            Status.CANNOT_START if upcoming is None and not attended_ids else Status.DONE if attended_ids or upcoming.votes_count else Status.NOT_STARTED,
            reverse("dialogues:my_invitations") if upcoming is not None else "",
            timezone.localdate(upcoming.session.starts_at) if upcoming is not None else None,
        ),
        Step(
            _("Read the participant guide"),
            Status.TO_READ if kit else Status.CANNOT_START,
            reverse("kit:participant", args=[cycle.year]) if kit else "",
        ),
        Step(
            _("Assess your facilitator"),
            Status.CANNOT_START if not attended_ids else Status.DONE if assessed >= len(attended_ids) else Status.NOT_STARTED,
            reverse("feedback:my_sessions") if attended_ids else "",
            cycle.deadline,
        ),
    ]
    return StepGroup("participant", _("As a participant"), steps)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


# --- the focal point and the head of entity --------------------------------------------------------


def _certification(entity: Entity, cycle: Cycle) -> str:
    return Certification.objects.filter(entity=entity, cycle=cycle).values_list("status", flat=True).first() or CertificationStatus.DRAFT


def focal_point_steps(entity: Entity, cycle: Cycle, *, now: datetime.datetime) -> StepGroup:
    """Managers waiting and ready, sessions not reported, Appendix E to submit."""
    today = timezone.localdate(now)
    states = state_counts(cycle, entity_ids=[entity.pk]).get(entity.pk, {})
    waiting = states.get(CascadeState.WAITING, 0) + states.get(CascadeState.READY, 0)
    not_reported = sessions_not_reported(cycle, entity_ids=[entity.pk], today=today).count()
    status = _certification(entity, cycle)
    steps = [
        Step(
            _("Chase the managers who have not held their session"),
            _status(done=waiting == 0, started=states.get(CascadeState.COMPLETE, 0) + states.get(CascadeState.IN_PROGRESS, 0) > 0, due=cycle.deadline, today=today),
            reverse("oversight:entity", args=[entity.code]),
            cycle.deadline,
            ngettext("%(count)d manager waiting or ready.", "%(count)d managers waiting or ready.", waiting) % {"count": waiting},
        ),
        Step(
            _("Collect the reports of held sessions"),
            Status.DONE if not not_reported else Status.OVERDUE if today > cycle.deadline else Status.IN_PROGRESS,
            reverse("feedback:entity_not_reported", args=[entity.code]),
            cycle.deadline,
            ngettext("%(count)d session not reported.", "%(count)d sessions not reported.", not_reported) % {"count": not_reported} if not_reported else "",
        ),
        Step(
            _("Submit Appendix E"),
            _status(done=status in (CertificationStatus.SUBMITTED, CertificationStatus.CERTIFIED), started=False, due=cycle.deadline, today=today),
            reverse("oversight:certification", args=[entity.code]),
            cycle.deadline,
        ),
    ]
    return StepGroup("focal_point", _("As focal point of %(entity)s") % {"entity": entity.code}, steps)


def head_steps(entity: Entity, cycle: Cycle, *, now: datetime.datetime) -> StepGroup:
    """Appendix E to certify, once a focal point has submitted it."""
    today = timezone.localdate(now)
    status = _certification(entity, cycle)
    certify = Step(
        _("Certify Appendix E"),
        Status.DONE
        if status == CertificationStatus.CERTIFIED
        else _status(done=False, started=True, due=cycle.deadline, today=today)
        if status == CertificationStatus.SUBMITTED
        else Status.CANNOT_START,
        reverse("oversight:certification", args=[entity.code]),
        cycle.deadline,
        "" if status in (CertificationStatus.SUBMITTED, CertificationStatus.CERTIFIED) else _("Waiting for a focal point to submit it."),
    )
    return StepGroup("head", _("As head of %(entity)s") % {"entity": entity.code}, [certify])


# --- the Ethics Office ---------------------------------------------------------------------------


def ethics_office_steps(cycle: Cycle, *, now: datetime.datetime) -> StepGroup:
    """The kit, its translations, the new questions, the entities whose cascade is stuck."""
    today = timezone.localdate(now)
    kit = Kit.objects.filter(cycle=cycle).first()
    progress = translation_progress(kit) if kit is not None else []
    missing = [p for p in progress if p.translated < p.total]
    new_questions = Question.objects.filter(cycle=cycle, status=QuestionStatus.NEW).count()
    stuck = sum(1 for counts in state_counts(cycle).values() if counts.get(CascadeState.WAITING, 0))
    steps = [
        Step(
            _("Publish the dialogue kit"),
            _status(done=bool(kit and kit.published), started=kit is not None, due=cycle.opens, today=today),
            reverse("kit:edit", args=[cycle.year]),
            cycle.opens,
        ),
        Step(
            _("Translate the kit"),
            Status.CANNOT_START if kit is None else _status(done=not missing, started=len(missing) < len(progress), due=cycle.opens, today=today),
            reverse("kit:edit", args=[cycle.year]) if kit is not None else "",
            cycle.opens,
            ", ".join(f"{p.name} {round(100 * p.translated / p.total) if p.total else 100}\u00a0%" for p in missing),
        ),
        Step(
            _("Answer the new questions"),
            Status.DONE if not new_questions else Status.IN_PROGRESS,
            reverse("feedback:question_queue"),
            None,
            ngettext("%(count)d new question.", "%(count)d new questions.", new_questions) % {"count": new_questions} if new_questions else "",
        ),
        Step(
            _("Follow the entities at risk"),
            Status.DONE if not stuck else _status(done=False, started=True, due=cycle.deadline, today=today),
            reverse("oversight:ethics_office"),
            cycle.deadline,
            ngettext("%(count)d entity has managers still waiting.", "%(count)d entities have managers still waiting.", stuck) % {"count": stuck} if stuck else "",
        ),
    ]
    return StepGroup("ethics_office", _("As the Ethics Office"), steps)


def org_admin_steps(cycle: Cycle, *, now: datetime.datetime) -> StepGroup:
    """The organization file, loaded for the cycle before it opens and kept current."""
    from core.models import AuditAction

    today = timezone.localdate(now)
    opened = timezone.make_aware(datetime.datetime.combine(cycle.opens, datetime.time.min)) - datetime.timedelta(days=60)
    imported = AuditEntry.objects.filter(action=AuditAction.ORG_IMPORT, at__gte=opened).exists()
    step = Step(
        _("Load the organization file for the cycle"),
        _status(done=imported, started=False, due=cycle.opens, today=today),
        reverse("org:upload"),
        cycle.opens,
        _("Load it again whenever people join, leave or change manager."),
    )
    return StepGroup("org_admin", _("As organization administrator"), [step])


def suspended_grants_step(*, now: datetime.datetime) -> Step:
    """Role grants suspended because their holder left: the Ethics Office reassigns them."""
    count = RoleGrant.objects.suspended().count()
    return Step(
        _("Reassign the roles of people who left"),
        Status.DONE if not count else Status.IN_PROGRESS,
        reverse("suspended_grants"),
        None,
        ngettext("%(count)d role grant to reassign.", "%(count)d role grants to reassign.", count) % {"count": count} if count else "",
    )


def home_steps(scope: Scope, cycle: Cycle, *, now: datetime.datetime | None = None) -> list[StepGroup]:
    """Every group of steps the user's roles give them, most pressing role first."""
    now = now or timezone.now()
    groups = []
    if scope.ethics_office:
        office = ethics_office_steps(cycle, now=now)
        groups.append(StepGroup(office.key, office.heading, [*office.steps, suspended_grants_step(now=now)]))
    if scope.org_admin:
        groups.append(org_admin_steps(cycle, now=now))
    entities = {e.pk: e for e in visible_entities(scope).filter(pk__in=scope.named_entity_ids)} if scope.named_entity_ids else {}
    for entity_id in sorted(scope.focal_entity_ids):
        if entity_id in entities:
            groups.append(focal_point_steps(entities[entity_id], cycle, now=now))
    for entity_id in sorted(scope.head_entity_ids):
        if entity_id in entities:
            groups.append(head_steps(entities[entity_id], cycle, now=now))
    if scope.person is not None:
        if scope.is_manager:
            groups.append(leader_steps(scope, cycle, now=now))
        groups.append(participant_steps(scope, cycle, now=now))
    return groups
