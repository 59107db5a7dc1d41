"""The cascade's numbers, computed in the database: the roll-up of Appendix E (`rollup`) and
the state of every manager (`cascade_status`). Commands, pages and exports all read them from here.

Every figure is one set-based query: GROUP BY for counts, one recursive CTE for depths; no
Python loop over people.
"""

from dataclasses import dataclass

from django.db import connection, models
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils.translation import gettext_lazy as _

from dialogues.models import Attendance, Session
from org.models import Cycle, Person


class CascadeState(models.TextChoices):
    """A manager's state in the cascade (as the cascade status other tools read names it), in the order a manager goes through
    them; `cascade_state_sql` is the rule that gives it."""

    WAITING = "waiting", _("Waiting")
    READY = "ready", _("Ready")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")


def cascade_state_sql(*, reports: str, reached: str, sessions_led: str, attended: str) -> str:
    """A manager's state (as the cascade status names it) as an SQL CASE over four SQL expressions: *complete*
    when every active direct report is reached, else *in progress* once they led a session of
    the cycle, else *ready* once they attended one, else *waiting*; `attended` as
    `manager_attended_sql` words it. The one statement of the rule: `cascade_states`,
    `state_counts` and the entity dashboard's tree (`tree.py`) all read the state from it."""
    return (
        f"CASE WHEN {reached} = {reports} THEN '{CascadeState.COMPLETE.value}'\n"
        f"            WHEN {sessions_led} >= 1 THEN '{CascadeState.IN_PROGRESS.value}'\n"
        f"            WHEN {attended} THEN '{CascadeState.READY.value}'\n"
        f"            ELSE '{CascadeState.WAITING.value}' END"
    )


def manager_attended_sql(*, manager_id: str, attended: str) -> str:
    """Whether a manager counts as having attended, in SQL: the top of the organization (no
    manager of their own) needs no session; anyone else attended one of the cycle (`attended`,
    an SQL condition)."""
    return f"({manager_id} IS NULL OR {attended})"


# -- reached: a person attended or led a session of the cycle (the roll-up counts them) ------------
# A person is *reached* in a cycle when they attended one of its sessions as a participant or led
# one. `reached_q` says it to the ORM, `reached_sql` to the hand-written SQL of the cascade and the
# dashboards; both are built from the same two sets, the cycle's attendance and its sessions.


def reached_q(cycle: Cycle) -> Q:
    """People who attended a session of the cycle as a participant, or led one."""
    attended = Attendance.objects.filter(session__cycle=cycle).values("person_id")
    led = Session.objects.filter(cycle=cycle).values("leader_id")
    return Q(id__in=attended) | Q(id__in=led)


def attended_sql(columns: str = "a.person_id", *, join: str = "", where: str = "") -> str:
    """The attendance of the cycle `%(cycle)s` as an SQL SELECT of `columns` over `a` (the
    attendance rows) and `s` (their sessions); `join` adds tables, `where` conditions."""
    attendance, session = Attendance._meta.db_table, Session._meta.db_table
    return f"SELECT {columns} FROM {attendance} a JOIN {session} s ON s.id = a.session_id{join} WHERE s.cycle_id = %(cycle)s{where}"  # noqa: S608


def led_sql(columns: str = "s.leader_id", *, join: str = "", where: str = "") -> str:
    """The sessions of the cycle `%(cycle)s` as an SQL SELECT of `columns` over `s`; `join`
    adds tables, `where` conditions."""
    return f"SELECT {columns} FROM {Session._meta.db_table} s{join} WHERE s.cycle_id = %(cycle)s{where}"  # noqa: S608


def reached_sql(person_id: str, *, attended: str | None = None, led: str | None = None) -> str:
    """`reached_q` as an SQL condition on the person whose id is the expression `person_id`:
    among the cycle's attendees or among its leaders. `attended` and `led` replace the two sets
    by SELECTs of a query's own CTEs built from `attended_sql` and `led_sql`."""
    return f"{person_id} IN ({attended or attended_sql()}) OR {person_id} IN ({led or led_sql()})"


def direct_reports_reached(cycle: Cycle, manager: Person):
    """A manager's active direct reports, each with `reached` for the cycle."""
    return (
        Person.objects.active().filter(manager_id=manager.index_number)
        .annotate(reached=Case(When(reached_q(cycle), then=Value(True)), default=Value(False), output_field=BooleanField()))
        .select_related("unit")
        .order_by("name")
    )


@dataclass(frozen=True)
class UnitCount:
    unit: str
    personnel: int
    participants: int

    @property
    def rate(self) -> float | None:
        return self.participants / self.personnel if self.personnel else None


@dataclass(frozen=True)
class EntityRollup:
    entity: str
    personnel: int
    participants: int
    units: list[UnitCount]

    @property
    def rate(self) -> float | None:
        return self.participants / self.personnel if self.personnel else None


def rollup(cycle: Cycle, *, entity_codes: list[str] | None = None) -> list[EntityRollup]:
    """Appendix E for the cycle: per entity, one row per unit with personnel of its own, over
    active people. Entities sorted by code, units by path (the unit-less row is `""`)."""
    people = Person.objects.active()
    if entity_codes is not None:
        people = people.filter(entity__code__in=entity_codes)
    rows = people.values("entity__code", "unit__path").annotate(personnel=Count("id"), participants=Count("id", filter=reached_q(cycle))).order_by()
    units: dict[str, list[UnitCount]] = {}
    for row in rows:
        units.setdefault(row["entity__code"], []).append(UnitCount(row["unit__path"] or "", row["personnel"], row["participants"]))
    result = []
    for code in sorted(units):
        entity_units = sorted(units[code], key=lambda u: u.unit)
        result.append(
            EntityRollup(
                entity=code,
                personnel=sum(u.personnel for u in entity_units),
                participants=sum(u.participants for u in entity_units),
                units=entity_units,
            )
        )
    return result


def rollup_document(cycle: Cycle, entities: list[EntityRollup]) -> dict:
    """The roll-up as the JSON other tools read: cycle, entities (entity, personnel, participants, units), total."""
    return {
        "cycle": cycle.year,
        "entities": [
            {
                "entity": e.entity,
                "personnel": e.personnel,
                "participants": e.participants,
                "units": [{"unit": u.unit, "personnel": u.personnel, "participants": u.participants} for u in e.units],
            }
            for e in entities
        ],
        "total": {"personnel": sum(e.personnel for e in entities), "participants": sum(e.participants for e in entities)},
    }


def rollup_csv_rows(entities: list[EntityRollup]) -> list[list]:
    """The roll-up as the CSV other tools read (entity,unit,personnel,participants): units, a TOTAL row per entity, then ALL,TOTAL."""
    rows: list[list] = [["entity", "unit", "personnel", "participants"]]
    for e in entities:
        rows.extend([e.entity, u.unit, u.personnel, u.participants] for u in e.units)
        rows.append([e.entity, "TOTAL", e.personnel, e.participants])
    rows.append(["ALL", "TOTAL", sum(e.personnel for e in entities), sum(e.participants for e in entities)])
    return rows


def _cascade_sql(where: str) -> str:
    person = Person._meta.db_table
    # Table names come from the models and `where` from _where(): no user text in the SQL.
    # The depths are walked over managers only (about one person in eight): a manager's own
    # manager is a manager too, so the walk reaches every manager while probing the reporting
    # lines once per manager instead of once per person.
    reached = reached_sql("r.id", attended="SELECT person_id FROM attended", led="SELECT leader_id FROM led")
    attended = manager_attended_sql(manager_id="m.manager_id", attended="m.id IN (SELECT person_id FROM attended)")
    state = cascade_state_sql(reports="reports", reached="reached", sessions_led="sessions_led", attended="attended")
    return f"""
WITH RECURSIVE attended AS (
    {attended_sql("DISTINCT a.person_id")}
),
led AS (
    {led_sql("s.leader_id, COUNT(*) AS sessions")} GROUP BY s.leader_id
),
reports AS (
    SELECT r.manager_id, COUNT(*) AS reports,
           SUM(CASE WHEN {reached} THEN 1 ELSE 0 END) AS reached
    FROM {person} r WHERE r.active AND r.manager_id IS NOT NULL GROUP BY r.manager_id
),
tree (index_number, depth) AS (
    SELECT index_number, 0 FROM {person} WHERE active AND manager_id IS NULL
    UNION ALL
    SELECT p.index_number, t.depth + 1 FROM tree t JOIN {person} p ON p.manager_id = t.index_number
    WHERE p.active AND p.index_number IN (SELECT manager_id FROM reports)
),
managers AS (
    SELECT m.id, m.index_number, m.entity_id, t.depth, rp.reports, rp.reached, COALESCE(l.sessions, 0) AS sessions_led,
           {attended} AS attended
    FROM reports rp
    JOIN {person} m ON m.index_number = rp.manager_id AND m.active
    LEFT JOIN tree t ON t.index_number = m.index_number
    LEFT JOIN led l ON l.leader_id = m.id
)
SELECT id, index_number, entity_id, depth, reports, reached, sessions_led, attended,
       {state} AS state
FROM managers {where}
"""  # noqa: S608


@dataclass(frozen=True)
class ManagerState:
    person_id: int
    index_number: str
    entity_id: int
    depth: int
    reports: int
    reports_reached: int
    sessions_led: int
    attended: bool
    state: CascadeState


def _where(entity_ids: list[int] | None, person_ids: list[int] | None) -> str:
    # Integers only, formatted by int(): nothing from a user reaches the SQL text.
    clauses = []
    for column, ids in (("entity_id", entity_ids), ("id", person_ids)):
        if ids is not None:
            clauses.append(f"{column} IN ({','.join(str(int(i)) for i in ids)})" if ids else "1 = 0")
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


def cascade_states(cycle: Cycle, *, entity_ids: list[int] | None = None, person_ids: list[int] | None = None) -> list[ManagerState]:
    """Every manager (an active person with an active direct report) and their state in the
    cycle, sorted by index number; optionally only those of some entities or some people."""
    params: dict = {"cycle": cycle.pk}
    where = _where(entity_ids, person_ids)
    with connection.cursor() as cursor:
        cursor.execute(_cascade_sql(where) + " ORDER BY index_number", params)
        return [
            ManagerState(pid, index, entity, depth, reports, int(reached), led, bool(attended), CascadeState(state))
            for pid, index, entity, depth, reports, reached, led, attended, state in cursor.fetchall()
        ]


def state_counts(cycle: Cycle, *, entity_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """How many managers of each entity are in each state: {entity_id: {state: count}}."""
    sql = f"SELECT entity_id, state, COUNT(*) FROM ({_cascade_sql(_where(entity_ids, None))}) states GROUP BY entity_id, state"  # noqa: S608
    counts: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, {"cycle": cycle.pk})
        for entity_id, state, count in cursor.fetchall():
            counts.setdefault(entity_id, dict.fromkeys(sorted(CascadeState.values), 0))[state] = count
    return counts


def cascade_document(cycle: Cycle, managers: list[ManagerState]) -> dict:
    """The cascade status as the JSON other tools read: cycle, managers (index_number, depth, reports, state, ...), states."""
    states = dict.fromkeys(sorted(CascadeState.values), 0)
    for m in managers:
        states[m.state] += 1
    return {
        "cycle": cycle.year,
        "managers": [
            {
                "index_number": m.index_number,
                "depth": m.depth,
                "reports": m.reports,
                "reports_reached": m.reports_reached,
                "sessions_led": m.sessions_led,
                "attended": m.attended,
                "state": m.state,
            }
            for m in managers
        ],
        "states": states,
    }

