"""Property: whatever the organization and whoever looks, no small group of Appendix F answers
can be worked out from what that person's pages show.

Hypothesis builds small organizations (entities, units, leaders, sessions over two cycles,
answers per session, some sessions cancelled) and a viewer with random roles (leader, head of
entity by the reporting lines or by grant, focal point, Ethics Office). What the viewer's pages
show is read through the selectors the views call (`leader_assessment_results`,
`entity_assessment_table`, `entities_assessment_table` (the insight's table), `annual_report`), and each group shown is matched
with the answers it holds, known here from the data written, never from the code under test.
Each example writes inside a savepoint that is rolled back."""

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import Role, RoleGrant, User
from accounts.scope import scope_for, visible_entities
from cascade.testing import PASSWORD
from dialogues.models import Session, SessionStatus
from feedback.anonymity import Cell, min_comments, min_responses, shown_count
from feedback.models import FacilitatorAssessment
from feedback.results import entities_assessment_table, entities_shown_texts, entity_assessment_table, leader_assessment_results
from org.models import Cycle, Entity, Person, Unit
from oversight.report import annual_report

YEARS = (2025, 2026)


@st.composite
def organizations(draw):
    entities = draw(st.sampled_from([1, 1, 2, 2, 3]))
    units = [draw(st.integers(0, 2)) for _e in range(entities)]
    leaders = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "entity": st.integers(0, entities - 1),
                    "unit": st.integers(-1, 1),  # -1: no unit
                    "chief": st.booleans(),  # no manager: head of the entity by the reporting lines
                }
            ),
            min_size=1,
            max_size=5,
        )
    )
    viewer = draw(st.integers(-1, len(leaders) - 1))  # -1: a user who is no one in the organization
    # Half of the sessions are the viewer's: her own groups beside the published ones are the
    # attack to look for.
    leader = st.integers(0, len(leaders) - 1) if viewer < 0 else st.one_of(st.just(viewer), st.integers(0, len(leaders) - 1))
    sessions = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "leader": leader,
                    "year": st.sampled_from([2025, 2026, 2026]),
                    # around both thresholds (5 ratings, 10 texts) more than elsewhere
                    "answers": st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]),
                    "cancelled": st.booleans() if draw(st.booleans()) else st.just(False),
                }
            ),
            min_size=1,
            max_size=8,
        )
    )
    viewer = {
        "leader": viewer,
        "head": draw(st.sets(st.integers(0, entities - 1), max_size=2)),
        "focal": draw(st.sets(st.integers(0, entities - 1), max_size=2)),
        "ethics_office": draw(st.booleans()),
    }
    return {"entities": entities, "units": units, "leaders": leaders, "sessions": sessions, "viewer": viewer}


@dataclass
class Built:
    user: User
    answers: dict  # session pk -> answer pks
    sessions: list  # (pk, year, entity pk, unit path or None, leader pk, cancelled)


def build(spec) -> Built:
    entities = [Entity.objects.create(code=f"E{i}", name=f"Entity {i}") for i in range(spec["entities"])]
    units = {}
    for i, entity in enumerate(entities):
        for j in range(spec["units"][i]):
            units[(i, j)] = Unit.objects.create(entity=entity, path=f"Division {j}" if j == 0 else "Division 0 > Section 1")
    roots = [Person.objects.create(index_number=f"R{i}", name=f"Root {i}", email=f"r{i}@example.org", entity=e) for i, e in enumerate(entities)]
    leaders = []
    for k, leader in enumerate(spec["leaders"]):
        unit = units.get((leader["entity"], leader["unit"]))
        manager = None if leader["chief"] else roots[leader["entity"]]
        leaders.append(
            Person.objects.create(index_number=f"L{k}", name=f"Leader {k}", email=f"l{k}@example.org", entity=entities[leader["entity"]], unit=unit, manager=manager)
        )
    cycles = {year: Cycle.objects.create(year=year, topic=f"Topic {year}", opens=datetime.date(year, 1, 1), deadline=datetime.date(year, 12, 31)) for year in YEARS}
    answers, sessions, rows = {}, [], []
    for m, planned in enumerate(spec["sessions"]):
        leader = leaders[planned["leader"]]
        status = SessionStatus.CANCELLED if planned["cancelled"] else SessionStatus.SCHEDULED
        day = datetime.date(planned["year"], 6, 1 + m)
        session = Session.objects.create(cycle=cycles[planned["year"]], leader=leader, ref=f"S{m}", date=day, status=status)
        pks = [uuid.uuid4() for _a in range(planned["answers"])]
        answers[session.pk] = set(pks)
        rows += [FacilitatorAssessment(id=pk, session=session, preparation=4, inclusion=3, safety=5, time_use=4, overall=1 + i % 5, day=day) for i, pk in enumerate(pks)]
        sessions.append((session.pk, planned["year"], leader.entity_id, leader.unit.path if leader.unit else None, leader.pk, planned["cancelled"]))
    FacilitatorAssessment.objects.bulk_create(rows)
    viewer = spec["viewer"]
    person = leaders[viewer["leader"]] if viewer["leader"] >= 0 else None
    user = User.objects.create_user(f"viewer-{uuid.uuid4().hex[:8]}@example.org", PASSWORD, person=person)
    grants = [(Role.HEAD_OF_ENTITY, entities[i]) for i in viewer["head"]] + [(Role.FOCAL_POINT, entities[i]) for i in viewer["focal"]]
    grants += [(Role.ETHICS_OFFICE, None)] if viewer["ethics_office"] else []
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role, entity=entity) for role, entity in grants])
    return Built(user, answers, sessions)


@dataclass(frozen=True)
class Shown:
    """One group on one of the viewer's pages: its answers (from the data written), the count and
    whether its figures are hidden, as the selector gives them."""

    page: str
    key: object
    answers: frozenset
    n: int
    hidden: bool


def answers_of(built: Built, year: int, *, entity=None, unit=..., leader=None, sessions=None) -> frozenset:
    found = set()
    for pk, y, entity_id, path, leader_id, cancelled in built.sessions:
        if y != year or cancelled:
            continue
        if (entity is not None and entity_id != entity) or (unit is not ... and path != unit) or (leader is not None and leader_id != leader):
            continue
        if sessions is not None and pk not in sessions:
            continue
        found |= built.answers[pk]
    return frozenset(found)


def published(page: str, cell: Cell, year: int, built: Built) -> Shown:
    kind, *rest = cell.key
    if kind == "unit":
        answers = answers_of(built, year, entity=rest[0], unit=rest[1])
    elif kind == "entity":
        answers = answers_of(built, year, entity=rest[0])
    else:
        answers = answers_of(built, year)
    return Shown(page, (year, *cell.key), answers, cell.n, cell.hidden)


def what_the_viewer_sees(built: Built) -> tuple[list[Shown], list[Shown], list[tuple[str, object]]]:
    """(rating groups, text groups, counts as displayed) of every page the viewer may open."""
    scope = scope_for(built.user)
    cycle = Cycle.objects.current()
    ratings, texts, counts = [], [], []
    minimum = min_responses()
    if scope.person is not None:  # my_assessments
        results = leader_assessment_results(cycle, scope)
        for session, cell in results.sessions:
            ratings.append(Shown("mine", ("session", session.pk), frozenset(built.answers[session.pk]), cell.n, cell.hidden))
        if results.pool:
            pool = answers_of(built, cycle.year, sessions=set(results.pooled))
            ratings.append(Shown("mine", ("pool",), pool, results.pool.n, results.pool.hidden))
        for group in results.texts:
            texts.append(Shown("mine", ("texts", *group.sessions), answers_of(built, cycle.year, sessions=set(group.sessions)), group.n, False))
        counts += [("mine", shown_count(cell.n, minimum)) for _s, cell in results.sessions]
        counts += [("mine", shown_count(results.pool.n, minimum))] if results.pool else []
    for entity in visible_entities(scope):  # entity_assessments, this cycle
        table = entity_assessment_table(cycle, entity)
        for cell in [*table.rows, table.total]:
            ratings.append(published(f"entity {entity.code}", cell, cycle.year, built))
            counts.append((f"entity {entity.code}", shown_count(cell.n, table.minimum)))
    if scope.ethics_office:
        for year in YEARS:  # the insight of each cycle: its Appendix F table (`feedback_insight`)
            table = entities_assessment_table(Cycle.objects.get(year=year))
            for cell in [*table.rows, table.total]:
                ratings.append(published(f"insight {year}", cell, year, built))
                counts.append((f"insight {year}", shown_count(cell.n, table.minimum)))
            # The themes of participants' texts: the entities with enough answers, together.
            entities = entities_shown_texts(Cycle.objects.get(year=year))
            pool = frozenset().union(*(answers_of(built, year, entity=pk) for pk in entities))
            texts.append(Shown(f"insight {year}", ("themes", year), pool, sum(entities.values()), False))
        report = annual_report(cycle)  # this cycle beside the previous one (2025's own adds nothing)
        row = next(r for r in report.summary if r.kind == "answers")
        overall = report.ratings[-1].figure
        for year, n, count_hidden, hidden in (
            (cycle.year, row.figure.current, row.figure.current_hidden, overall.current_hidden),
            (report.previous.year, row.figure.previous, row.figure.previous_hidden, overall.previous_hidden),
        ):
            total = answers_of(built, year)
            counts.append(("report", "hidden" if count_hidden else n))
            ratings.append(Shown("report", (year, "total"), total, len(total), hidden or not total))
        if row.figure.change is not None:
            counts.append(("report, change", row.figure.current - row.figure.change))
    return ratings, texts, counts


def assert_nothing_small_can_be_worked_out(groups: list[Shown], minimum: int) -> None:
    shown = [g for g in groups if not g.hidden and g.answers]
    for group in shown:
        assert len(group.answers) >= minimum, group
    distinct = {g.answers: g for g in shown}  # the same answers on two pages are one group
    for outer in distinct.values():
        inner = [g for g in distinct.values() if g.answers < outer.answers]
        for part in inner:  # two groups one inside the other
            assert len(outer.answers - part.answers) >= minimum, (outer, part)
        largest = [g for g in inner if not any(g.answers < o.answers for o in inner)]
        if all(a.answers.isdisjoint(b.answers) for a in largest for b in largest if a is not b):
            covered = frozenset().union(*(g.answers for g in largest)) if largest else frozenset()
            rest = outer.answers - covered  # what subtracting every shown part would leave
            assert not rest or len(rest) >= minimum, (outer, largest)


def spec(entities, units, leaders, sessions, viewer, **roles):
    """An example written out: leaders as (entity, unit, chief), sessions as (leader, year, answers)."""
    return {
        "entities": entities,
        "units": units,
        "leaders": [{"entity": e, "unit": u, "chief": chief} for e, u, chief in leaders],
        "sessions": [{"leader": k, "year": year, "answers": n, "cancelled": False} for k, year, n in sessions],
        "viewer": {"leader": viewer, "head": set(), "focal": set(), "ethics_office": False, **roles},
    }


# The attacks of issue 10 first, whatever Hypothesis draws after them.
HEAD_LEADS_IN_HIS_UNIT = spec(1, [1], [(0, 0, True), (0, 0, False)], [(0, 2026, 5), (1, 2026, 1)], 0)
POOL_IN_HIS_UNIT = spec(1, [1], [(0, 0, True), (0, 0, False)], [(0, 2026, 3), (0, 2026, 2), (1, 2026, 2)], 0)
FOCAL_POINT_LEADS_IN_ANOTHER_UNIT = spec(2, [2, 0], [(0, 0, False), (0, 1, False)], [(0, 2026, 6), (1, 2026, 2), (0, 2025, 3)], 0, focal={0})
ETHICS_OFFICE_LEADS = spec(2, [1, 0], [(0, 0, False), (0, 0, False), (1, -1, False)], [(0, 2026, 10), (1, 2026, 2), (2, 2026, 1)], 0, ethics_office=True)
TOTAL_ENTITY_UNITS = spec(
    3, [2, 0, 0], [(0, 0, False), (0, 1, False), (0, -1, False), (1, -1, False), (2, -1, False)], [(0, 2026, 5), (1, 2026, 5), (2, 2026, 1), (3, 2026, 1), (4, 2026, 12)], -1, ethics_office=True
)


@example(spec=HEAD_LEADS_IN_HIS_UNIT)
@example(spec=POOL_IN_HIS_UNIT)
@example(spec=FOCAL_POINT_LEADS_IN_ANOTHER_UNIT)
@example(spec=ETHICS_OFFICE_LEADS)
@example(spec=TOTAL_ENTITY_UNITS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=organizations())
def test_no_small_group_can_be_worked_out_from_what_one_viewer_sees(db, spec):
    with transaction.atomic():
        built = build(spec)
        ratings, texts, counts = what_the_viewer_sees(built)
        minimum = min_responses()
        for group in ratings + texts:  # every count matches the answers the group holds
            assert group.n == len(group.answers), group
        assert_nothing_small_can_be_worked_out(ratings, minimum)
        assert_nothing_small_can_be_worked_out(texts, min_comments())
        for page, count in counts:  # no count from 1 to the threshold minus one, anywhere
            assert not (isinstance(count, int) and 0 < count < minimum), (page, count)
        # One group, one decision: a unit, an entity or a total is hidden alike on every page.
        decided = {}
        for group in ratings:
            if group.answers and group.page != "mine":
                assert decided.setdefault(group.key if group.key[1] != "total" else (group.key[0], "total"), group.hidden) == group.hidden, group
        transaction.set_rollback(True)
