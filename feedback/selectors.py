"""Reads of leader feedback and questions. Lists are single set-based queries."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from dialogues.models import CaptureKind, Session
from dialogues.running import session_captures, session_kit, sign_in_sheet
from kit.models import Scenario
from org.models import Cycle, Entity, Person

from .models import LeaderFeedback, Question, QuestionStatus

# A held session without feedback this many days after its date is "not reported".
REPORT_WITHIN_DAYS = 3


def entity_is_certified(entity: Entity, cycle: Cycle) -> bool:
    """Whether the head of `entity` has certified the cycle's results (Appendix E).

    True once the head of entity has certified it, until the Ethics Office reopens it; while
    True, the leader feedback of the entity's sessions is frozen. One query.
    """
    from oversight.models import Certification, CertificationStatus  # oversight reads feedback: import late

    return Certification.objects.filter(entity=entity, cycle=cycle, status=CertificationStatus.CERTIFIED).exists()


# --- held and not reported -------------------------------------------------------------


def held_sessions(cycle: Cycle, *, now: datetime.datetime | None = None) -> QuerySet[Session]:
    """Sessions of the cycle that are held at `now` (default: now), as `Session.objects.held`."""
    return Session.objects.held(now).filter(cycle=cycle)


def session_is_held(session: Session, *, now: datetime.datetime | None = None) -> bool:
    """Whether one session is held (`Session.objects.held`): its leader may then report it."""
    return Session.objects.held(now).filter(pk=session.pk).exists()


def sessions_not_reported(cycle: Cycle, *, entity_ids=None, leader: Person | None = None, today: datetime.date | None = None) -> QuerySet[Session]:
    """Held sessions of the cycle without feedback REPORT_WITHIN_DAYS days or more after their
    date (a session of the 1st is not reported from the 4th), oldest first; optionally only
    those led in `entity_ids` or by `leader`. One query."""
    today = today or timezone.localdate()
    last_day = today - datetime.timedelta(days=REPORT_WITHIN_DAYS)
    # The end of `today` as "now": every session dated 3 days back has started by then.
    end_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.max))
    sessions = held_sessions(cycle, now=end_of_today).filter(date__lte=last_day, feedback__isnull=True)
    if entity_ids is not None:
        sessions = sessions.filter(leader__entity_id__in=entity_ids)
    if leader is not None:
        sessions = sessions.filter(leader=leader)
    return sessions.select_related("leader").order_by("date", "leader__name", "ref")


def leader_sessions_to_report(cycle: Cycle, leader: Person, *, now: datetime.datetime | None = None) -> QuerySet[Session]:
    """The leader's held sessions of the cycle, oldest first, each with `has_feedback`."""
    return (
        held_sessions(cycle, now=now)
        .filter(leader=leader)
        .annotate(has_feedback=Exists(LeaderFeedback.objects.filter(session=OuterRef("pk"))))
        .order_by("date", "ref")
    )


def report_due_date(session: Session) -> datetime.date:
    """The day from which a held session without feedback counts as not reported."""
    return session.date + datetime.timedelta(days=REPORT_WITHIN_DAYS)


# --- the feedback form -----------------------------------------------------------------


def _one_per_line(texts) -> str:
    # A capture may span lines; the form's fields hold one item per line.
    return "\n".join(" ".join(text.split()) for text in texts)


def feedback_initial(session: Session) -> dict:
    """What the system knows of a session's Appendix C, for a new feedback form: the counts of
    the sign-in sheet, the scenarios chosen for the session, and the questions and key
    contributions written down in facilitator mode (one per line)."""
    sheet = sign_in_sheet(session)
    return {
        "participants": sheet.participants,
        "unit_personnel": sheet.unit_personnel,
        "scenarios_used": list(session.scenarios.values_list("pk", flat=True)),
        "unanswered_questions": _one_per_line(session_captures(session, CaptureKind.QUESTION).values_list("text", flat=True)),
        "key_contributions": _one_per_line(session_captures(session, CaptureKind.CONTRIBUTION).values_list("text", flat=True)),
    }


def feedback_values(feedback: LeaderFeedback) -> dict:
    """An existing feedback as form values."""
    fields = ["participants", "unit_personnel", "guide_rating", "topics_rating", "went_well", "went_badly"]
    fields += ["unanswered_questions", "recommended_changes", "recommended_topics", "key_contributions"]
    values = {name: getattr(feedback, name) for name in fields}
    values["scenarios_used"] = list(feedback.scenarios_used.values_list("pk", flat=True))
    return values


def feedback_scenarios(session: Session) -> QuerySet[Scenario]:
    """The scenarios a leader may say they used: those of the cycle's published kit."""
    kit = session_kit(session)
    return kit.scenarios.order_by("order") if kit else Scenario.objects.none()


# --- questions -------------------------------------------------------------------------


def ethics_office_staff() -> QuerySet[User]:
    """Users who may be assigned a question."""
    return User.objects.filter(grants__role=Role.ETHICS_OFFICE, grants__suspended_at__isnull=True, is_active=True).distinct().order_by("email")


def question_queue(cycle: Cycle, *, status: str = "", entity: Entity | None = None) -> QuerySet[Question]:
    """The Ethics Office's queue for a cycle, oldest first, optionally by status and entity."""
    questions = Question.objects.filter(cycle=cycle).select_related("entity", "assigned_to")
    if status:
        questions = questions.filter(status=status)
    if entity is not None:
        questions = questions.filter(entity=entity)
    return questions.order_by("created_at", "pk")


def leader_questions(leader: Person) -> QuerySet[Question]:
    """Questions from the sessions a person led and those they asked about the materials,
    newest cycle first, with their session."""
    return (
        Question.objects.filter(Q(session__leader=leader) | Q(asked_by=leader))
        .select_related("session", "cycle")
        .order_by("-cycle__year", "created_at", "pk")
    )


def faq_questions(cycle: Cycle) -> QuerySet[Question]:
    """The published questions of a cycle, as the frequently asked questions (text and answer)."""
    return Question.objects.filter(cycle=cycle, status=QuestionStatus.PUBLISHED).order_by("published_at", "pk").only("text", "answer")
