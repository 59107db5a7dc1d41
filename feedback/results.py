"""Reads of the facilitator assessments (Appendix F): what attendees, leaders, entities and the
Ethics Office see. Every figure passes the thresholds and the suppression across everything one
viewer sees (`anonymity.groups_to_hide`; the rule and its reasons are in docs/anonymity.md):
- the groups published to several people (units, entities, the organization) are decided once
  per cycle from those groups alone (`cycle_assessment_results`): the entity pages, the feedback
  insight and the annual report show them alike, to whoever may see them;
- a leader's own groups (her sessions, the pool of the small ones, her groups of comments) are
  decided with every published group she also sees kept as it is (`leader_assessment_results`).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.scope import Scope, visible_entities
from dialogues.models import Session, SessionStatus
from org.models import Cycle, Entity, Person

from .anonymity import Cell, Group, assessment_cells, groups_to_hide, min_comments, min_responses, pooled
from .models import FacilitatorAssessment, TokenIssue

# Ranks of the groups: among groups of one size, the lower rank is hidden first.
SESSION, POOL, UNIT, ENTITY, ORGANIZATION = range(5)

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


def _cycle_answers(cycle: Cycle):
    return FacilitatorAssessment.objects.filter(session__cycle=cycle).exclude(session__status=SessionStatus.CANCELLED)


def _mark(cells, hidden: set, minimum: int) -> None:
    for cell in cells:
        cell.hidden = cell.key in hidden
        cell.complementary = cell.hidden and cell.n >= minimum


# --- the published groups: units, entities, the organization -----------------------------------


@dataclass
class CycleResults:
    """Appendix F of a cycle per unit, per entity and for the organization, hidden alike for all.
    A unit is the unit of the session's leader within the leader's entity."""

    cycle: Cycle
    minimum: int
    units: dict[tuple[int, str | None], Cell]  # (entity id, unit path or None) -> Cell
    entities: dict[int, Cell]  # entity id -> Cell
    total: Cell


def cycle_assessment_results(cycle: Cycle) -> CycleResults:
    """The published groups of the cycle with their hidden cells, in two queries. Decided from
    these groups alone, so every page and every viewer shows them alike: a unit, an entity or
    the total shown to one person is shown the same to every other who may see it."""
    minimum = min_responses()
    units = assessment_cells(_cycle_answers(cycle), "session__leader__entity_id", "session__leader__unit__path")
    codes = dict(Entity.objects.filter(pk__in={entity_id for entity_id, _path in units}).values_list("pk", "code"))
    entities: dict[int, Cell] = {}
    members: dict[int, set] = defaultdict(set)
    for (entity_id, path), cell in units.items():
        cell.label, cell.key = path or _("No unit"), ("unit", entity_id, path)
        entities.setdefault(entity_id, Cell(codes[entity_id], key=("entity", entity_id))).add(cell)
        members[entity_id].add(cell.key)
    total = pooled(_("All entities"), entities.values())
    total.key = ("total",)
    groups = [Group(cell.key, frozenset([cell.key]), UNIT) for cell in units.values()]
    groups += [Group(("entity", entity_id), frozenset(keys), ENTITY) for entity_id, keys in members.items()]
    groups.append(Group(total.key, frozenset(cell.key for cell in units.values()), ORGANIZATION))
    hidden = groups_to_hide(groups, {cell.key: cell.n for cell in units.values()}, minimum=minimum)
    _mark([*units.values(), *entities.values(), total], hidden, minimum)
    return CycleResults(cycle, minimum, units, entities, total)


@dataclass
class AssessmentTable:
    rows: list[Cell]
    total: Cell
    minimum: int


def entities_assessment_table(cycle: Cycle) -> AssessmentTable:
    """Appendix F per entity (the entity of the session's leader) with the organization's total,
    as published (`cycle_assessment_results`)."""
    results = cycle_assessment_results(cycle)
    rows = sorted(results.entities.values(), key=lambda cell: cell.label)
    return AssessmentTable(rows, results.total, results.minimum)


def entity_assessment_table(cycle: Cycle, entity: Entity) -> AssessmentTable:
    """Appendix F of one entity, one row per unit (the unit of the session's leader) and the
    entity's total, as published (`cycle_assessment_results`): hidden where the Ethics Office's
    table hides them too."""
    results = cycle_assessment_results(cycle)
    rows = sorted((cell for (entity_id, _path), cell in results.units.items() if entity_id == entity.pk), key=lambda cell: cell.key[2] or "")
    total = results.entities.get(entity.pk) or Cell(entity.code, key=("entity", entity.pk))
    return AssessmentTable(rows, total, results.minimum)


def entities_shown_texts(cycle: Cycle) -> dict[int, int]:
    """Entities whose Appendix F free texts may be used (themes): {entity id: answers} for those
    with at least `min_comments()` answers in the cycle."""
    minimum = min_comments()
    cells = assessment_cells(_cycle_answers(cycle), "session__leader__entity_id")
    return {pk: cell.n for pk, cell in cells.items() if cell.n >= minimum}


# --- the leader -------------------------------------------------------------------------------


@dataclass
class TextGroup:
    label: str
    n: int
    comments: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    sessions: list[int] = field(default_factory=list)  # the sessions whose texts these are


@dataclass
class LeaderResults:
    sessions: list  # (session, Cell) in date order; a Cell is hidden below the threshold
    pool: Cell | None  # the sessions below the threshold together, when there are any
    texts: list[TextGroup]  # the groups whose free texts may be shown
    texts_waiting: int  # answers in groups still below the comments' threshold
    minimum: int
    minimum_texts: int
    pooled: list[int] = field(default_factory=list)  # the sessions in the pool
    texts_hidden: bool = False  # a group of texts above the threshold is hidden all the same


def _texts(session_ids) -> tuple[list[str], list[str]]:
    # Sorted, so that the order says nothing about who wrote what, or when.
    rows = FacilitatorAssessment.objects.filter(session_id__in=session_ids).values_list("comment", "topic_suggestion")
    return sorted(c for c, _t in rows if c), sorted(t for _c, t in rows if t)


def _published_groups(cycle: Cycle, scope: Scope, home: dict, sizes: dict) -> tuple[list[Group], dict]:
    """The published groups the viewer also sees (entity pages of her entities; every entity
    and the total for the Ethics Office), over atoms that split out her own sessions (`home`:
    {session atom: (entity id, unit path)}); with their decisions, to be kept. Adds the sizes of
    the rest of each unit to `sizes`."""
    results = cycle_assessment_results(cycle)
    seen = set(visible_entities(scope).filter(pk__in=list(results.entities)).values_list("pk", flat=True))
    own = defaultdict(set)
    for atom, place in home.items():
        own[place].add(atom)
    groups, fixed, by_entity = [], {}, defaultdict(set)
    for place, cell in results.units.items():
        if place[0] not in seen:
            continue
        rest = ("rest", *place)
        sizes[rest] = max(0, cell.n - sum(sizes.get(atom, 0) for atom in own[place]))
        atoms = frozenset({rest, *own[place]})
        by_entity[place[0]] |= atoms
        groups.append(Group(cell.key, atoms, UNIT))
        fixed[cell.key] = cell.hidden
    for entity_id, atoms in by_entity.items():
        groups.append(Group(("entity", entity_id), frozenset(atoms), ENTITY))
        fixed[("entity", entity_id)] = results.entities[entity_id].hidden
    if scope.sees_all_aggregates:
        groups.append(Group(results.total.key, frozenset().union(*by_entity.values()), ORGANIZATION))
        fixed[results.total.key] = results.total.hidden
    return groups, fixed


def _published_texts(cycle: Cycle, scope: Scope, home: dict, sizes: dict) -> tuple[list[Group], dict]:
    """The Ethics Office's themes draw on the texts of the entities with enough answers: that
    pool, as a group over the same atoms, shown."""
    if not scope.sees_all_aggregates:
        return [], {}
    shown = entities_shown_texts(cycle)
    own = {atom for atom, (entity_id, _path) in home.items() if entity_id in shown}
    sizes[("rest-texts",)] = max(0, sum(shown.values()) - sum(sizes[atom] for atom in own))
    return [Group(("themes",), frozenset({("rest-texts",), *own}), ORGANIZATION)], {("themes",): False}


def leader_assessment_results(cycle: Cycle, scope: Scope) -> LeaderResults:
    """The viewer's Appendix F results as a leader for the cycle. Ratings of a session are shown
    from `min_responses()` answers; the sessions below that are pooled, and the pool is shown once
    it reaches the threshold. Free texts: a session's from `min_comments()` answers, the others
    together once they reach it. Then, over these groups and every published group the viewer
    also sees (as head, focal point or Ethics Office), `groups_to_hide` hides her own groups
    wherever a difference with a published group would hold fewer than the threshold."""
    minimum, minimum_texts = min_responses(), min_comments()
    leader = scope.person
    sessions = list(Session.objects.filter(cycle=cycle, leader=leader).exclude(status=SessionStatus.CANCELLED).order_by("date", "ref")) if leader else []
    found = assessment_cells(FacilitatorAssessment.objects.filter(session__in=sessions), "session_id", "session__leader__entity_id", "session__leader__unit__path") if sessions else {}
    cells = {session_id: cell for (session_id, _e, _p), cell in found.items()}
    home = {("session", session_id): (entity_id, path) for session_id, entity_id, path in found}
    rows = []
    for session in sessions:
        cell = cells.get(session.pk) or Cell("")
        cell.label = _("%(ref)s, %(date)s") % {"ref": session.ref, "date": date_format(session.date)}
        cell.key = ("session", session.pk)
        rows.append((session, cell))
    sizes = {cell.key: cell.n for _s, cell in rows if cell.n}

    below = [(s, cell) for s, cell in rows if 0 < cell.n < minimum]
    pool = None
    if below:  # one session alone stays below the threshold, so stays hidden
        pool = pooled(_("Your sessions with fewer answers, together"), [cell for _s, cell in below])
        pool.key = ("pool",)
    groups = [Group(cell.key, frozenset([cell.key]), SESSION) for _s, cell in rows]
    if pool:
        groups.append(Group(pool.key, frozenset(cell.key for _s, cell in below), POOL))
    published, fixed = _published_groups(cycle, scope, home, sizes) if sizes else ([], {})
    hidden = groups_to_hide(groups + published, sizes, minimum=minimum, fixed=fixed)
    _mark([cell for _s, cell in rows] + ([pool] if pool else []), hidden, minimum)

    text_groups = [Group(("texts", s.pk), frozenset([cell.key]), SESSION) for s, cell in rows if cell.n >= minimum_texts]
    below_texts = [(s, cell) for s, cell in rows if 0 < cell.n < minimum_texts]
    below_n = sum(cell.n for _s, cell in below_texts)
    if below_n >= minimum_texts:
        text_groups.append(Group(("texts", "others"), frozenset(cell.key for _s, cell in below_texts), POOL))
    published, fixed = _published_texts(cycle, scope, home, sizes) if text_groups else ([], {})
    hidden_texts = groups_to_hide(text_groups + published, sizes, minimum=minimum_texts, fixed=fixed)
    texts = []
    for session, cell in rows:
        if cell.n >= minimum_texts and ("texts", session.pk) not in hidden_texts:
            comments, topics = _texts([session.pk])
            texts.append(TextGroup(_("Session %(ref)s") % {"ref": session.ref}, cell.n, comments, topics, [session.pk]))
    if below_n >= minimum_texts and ("texts", "others") not in hidden_texts:
        ids = [s.pk for s, _c in below_texts]
        comments, topics = _texts(ids)
        label = _("Your other sessions together") if texts else _("All your sessions together")
        texts.append(TextGroup(label, below_n, comments, topics, ids))
    return LeaderResults(
        rows,
        pool,
        texts,
        below_n if below_n < minimum_texts else 0,
        minimum,
        minimum_texts,
        pooled=[s.pk for s, _c in below],
        texts_hidden=any(group.key in hidden_texts for group in text_groups),
    )
