"""Reads of the facilitator assessments (Appendix F): what attendees, leaders, entities and the
Ethics Office see. Every figure passes the thresholds and suppression of `anonymity`."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dialogues.models import Cycle, Session, SessionStatus
from org.models import Entity, Person

from .anonymity import Cell, assessment_cells, min_comments, min_responses, pooled, suppress
from .models import FacilitatorAssessment, TokenIssue

# --- the attendee -------------------------------------------------------------------------


def attended_sessions_to_assess(cycle: Cycle, person: Person) -> QuerySet[Session]:
    """Sessions of the cycle the person attended (however the attendance was recorded), each
    with `token_issued`: whether they already received their assessment token."""
    return (
        Session.objects.filter(cycle=cycle, attendances__person=person)
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(token_issued=Exists(TokenIssue.objects.filter(session=OuterRef("pk"), person=person)))
        .select_related("leader")
        .order_by("-date", "ref")
    )


# --- the leader -------------------------------------------------------------------------------


@dataclass
class TextGroup:
    label: str
    n: int
    comments: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


@dataclass
class LeaderResults:
    sessions: list  # (session, Cell) in date order; a Cell is hidden below the threshold
    pool: Cell | None  # the sessions below the threshold together, when there are any
    texts: list[TextGroup]  # the groups whose free texts may be shown
    texts_waiting: int  # answers in groups still below the comments' threshold
    minimum: int
    minimum_texts: int


def _texts(session_ids) -> tuple[list[str], list[str]]:
    # Sorted, so that the order says nothing about who wrote what, or when.
    rows = FacilitatorAssessment.objects.filter(session_id__in=session_ids).values_list("comment", "topic_suggestion")
    return sorted(c for c, _t in rows if c), sorted(t for _c, t in rows if t)


def leader_assessment_results(cycle: Cycle, leader: Person) -> LeaderResults:
    """A leader's Appendix F results for the cycle. Ratings of a session are shown from
    `min_responses()` answers; the sessions below that are pooled, and the pool is shown once it
    reaches the threshold. Pooling only the sessions not shown on their own means nothing can
    be worked out by subtraction. Free texts follow the same rule with `min_comments()`."""
    minimum, minimum_texts = min_responses(), min_comments()
    sessions = list(Session.objects.filter(cycle=cycle, leader=leader).exclude(status=SessionStatus.CANCELLED).order_by("date", "ref"))
    cells = assessment_cells(FacilitatorAssessment.objects.filter(session__in=sessions), "session_id")
    rows = []
    for session in sessions:
        cell = cells.get(session.pk) or Cell("")
        cell.label = _("%(ref)s, %(date)s") % {"ref": session.ref, "date": date_format(session.date)}
        cell.hidden = cell.n < minimum
        rows.append((session, cell))
    below = [cell for _s, cell in rows if 0 < cell.n < minimum]
    pool = None
    if below:  # one session alone stays below the threshold, so stays hidden
        pool = pooled(_("Your sessions with fewer answers, together"), below)
        pool.hidden = pool.n < minimum
    texts, waiting = [], 0
    for session, cell in rows:
        if cell.n >= minimum_texts:
            comments, topics = _texts([session.pk])
            texts.append(TextGroup(_("Session %(ref)s") % {"ref": session.ref}, cell.n, comments, topics))
    below_texts = [(s, c) for s, c in rows if 0 < c.n < minimum_texts]
    below_n = sum(c.n for _s, c in below_texts)
    if below_n >= minimum_texts:
        comments, topics = _texts([s.pk for s, _c in below_texts])
        label = _("Your other sessions together") if texts else _("All your sessions together")
        texts.append(TextGroup(label, below_n, comments, topics))
    else:
        waiting = below_n
    return LeaderResults(rows, pool, texts, waiting, minimum, minimum_texts)


# --- entities and the Ethics Office -----------------------------------------------------------


def _cycle_answers(cycle: Cycle):
    return FacilitatorAssessment.objects.filter(session__cycle=cycle).exclude(session__status=SessionStatus.CANCELLED)


@dataclass
class AssessmentTable:
    rows: list[Cell]
    total: Cell
    minimum: int


def entities_assessment_table(cycle: Cycle) -> AssessmentTable:
    """Appendix F per entity (the entity of the session's leader) with a total row; cells below
    the threshold hidden, with complementary suppression."""
    minimum = min_responses()
    by_entity = assessment_cells(_cycle_answers(cycle), "session__leader__entity_id")
    names = dict(Entity.objects.filter(pk__in=by_entity).values_list("pk", "code"))
    rows = [cell for _pk, cell in sorted(by_entity.items(), key=lambda item: names[item[0]])]
    for pk, cell in by_entity.items():
        cell.label = names[pk]
        cell.key = pk
    total = pooled(_("All entities"), rows)
    suppress(rows, total, minimum=minimum)
    return AssessmentTable(rows, total, minimum)


def entity_assessment_table(cycle: Cycle, entity: Entity) -> AssessmentTable:
    """Appendix F of one entity, one row per unit (the unit of the session's leader) and the
    entity's total. The total is hidden whenever the Ethics Office's table hides the entity, and
    the unit rows are then suppressed so that they do not add up to it."""
    minimum = min_responses()
    entity_cell = next((c for c in entities_assessment_table(cycle).rows if c.key == entity.pk), None)
    answers = _cycle_answers(cycle).filter(session__leader__entity=entity)
    by_unit = assessment_cells(answers, "session__leader__unit__path")
    rows = [cell for _path, cell in sorted(by_unit.items(), key=lambda item: item[0] or "")]
    for path, cell in by_unit.items():
        cell.label = path or _("No unit")
    total = pooled(entity.code, rows)
    suppress(rows, total, minimum=minimum, total_hidden=entity_cell is not None and entity_cell.hidden)
    return AssessmentTable(rows, total, minimum)


def entities_shown_texts(cycle: Cycle) -> dict[int, int]:
    """Entities whose Appendix F free texts may be used (themes): {entity id: answers} for those
    with at least `min_comments()` answers in the cycle."""
    minimum = min_comments()
    cells = assessment_cells(_cycle_answers(cycle), "session__leader__entity_id")
    return {pk: cell.n for pk, cell in cells.items() if cell.n >= minimum}
