"""The cascade tree of an entity, computed in the database: its managers with their state
(as `cascade_status` gives it), the people below each blocked manager, and the lists of managers to chase.
Selectors only, for the entity dashboard; one query over the entity's managers plus one
recursive CTE per page, whatever the size of the entity.
"""

# The SQL text is assembled from table names taken from the models, constant fragments and
# integer lists formatted with int(); every value from a request travels as a parameter.
# ruff: noqa: S608

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Window

from feedback import selectors as feedback_selectors
from org.models import Cycle

from .dashboards import LIST_LIMIT, _as_date, _fetch, _tables
from .selectors import CascadeState, attended_sql, cascade_state_sql, led_sql, manager_attended_sql, reached_sql

READY_TOO_LONG_DAYS = 14
# Waiting or ready: the manager has not led a session yet, and their reports wait for one.
BLOCKED = (CascadeState.WAITING, CascadeState.READY)


_STATE = cascade_state_sql(
    reports="f.reports",
    reached="f.reached",
    sessions_led="f.sessions_led",
    attended=manager_attended_sql(manager_id="f.manager_id", attended="f.first_attended IS NOT NULL"),
)


def _entity_managers_sql() -> str:
    """Every manager of one entity with their state, as a CTE named `states`. The state is
    `selectors.cascade_state_sql`'s (the states of the cascade status other tools read), as in `selectors._cascade_sql` but without
    the depth walk, which the dashboard does not need; `ready_since` is the date of the first
    session of the cycle the manager attended (the cycle's opening day for the top of the
    organization, who needs none).

    Only the entity's managers and their reports are read: the reports' reach through hashed
    sets of the cycle's attendees and leaders, each manager's own sessions and first attendance
    through the (cycle, leader) and (person, session) indexes. No CTE aggregates the whole
    attendance table, which also keeps PostgreSQL's estimates sane (a wild estimate there made
    it JIT-compile for most of a second). `facts` is MATERIALIZED so that each manager's two
    lookups run once, not once per mention in the CASE."""
    return """
WITH managers AS (
    SELECT m.id, m.index_number, m.name, m.manager_id, m.unit_id, COUNT(*) AS reports,
           SUM(CASE WHEN {reached} THEN 1 ELSE 0 END) AS reached
    FROM {person} m JOIN {person} r ON r.manager_id = m.index_number AND r.active
    WHERE m.active AND m.entity_id = %(entity)s
    GROUP BY m.id, m.index_number, m.name, m.manager_id, m.unit_id
),
facts AS MATERIALIZED (
    SELECT mg.id, mg.index_number, mg.name, mg.manager_id, mg.unit_id, mg.reports, mg.reached,
           ({sessions_led}) AS sessions_led,
           ({first_attended}) AS first_attended
    FROM managers mg
),
states AS (
    SELECT f.id, f.index_number, f.name, f.manager_id, f.unit_id, f.reports, f.reached, f.sessions_led,
           CASE WHEN f.manager_id IS NULL THEN %(opens)s ELSE f.first_attended END AS ready_since,
           {state} AS state
    FROM facts f
)
""".format(
        reached=reached_sql("r.id"),
        sessions_led=led_sql("COUNT(*)", where=" AND s.leader_id = mg.id"),
        first_attended=attended_sql("MIN(s.date)", where=" AND a.person_id = mg.id"),
        state=_STATE,
        person=_tables()["person"],
    )


@dataclass(frozen=True)
class ManagerNode:
    person_id: int
    index_number: str
    name: str
    unit: str
    state: CascadeState
    reports: int
    reports_reached: int
    sessions_led: int
    ready_since: datetime.date | None
    sub_managers: int = 0
    people_below: int | None = None  # filled for blocked managers only

    @property
    def blocked(self) -> bool:
        return self.state in BLOCKED

    @property
    def unreached(self) -> int:
        return self.reports - self.reports_reached


def _params(cycle: Cycle, entity_id: int, **extra) -> dict:
    return {"cycle": cycle.pk, "entity": entity_id, "opens": cycle.opens, **extra}


_NODE_COLUMNS = "s.id, s.index_number, s.name, COALESCE(u.path, '') AS unit, s.state, s.reports, s.reached, s.sessions_led, s.ready_since"
# How many of a node's direct reports are managers of this entity: only for the few rows of a level.
_SUB_MANAGERS = "(SELECT COUNT(*) FROM states c WHERE c.manager_id = s.index_number)"
_TOP = "(s.manager_id IS NULL OR s.manager_id NOT IN (SELECT index_number FROM states))"


def _node(row) -> "ManagerNode":
    pid, index, name, unit, state, reports, reached, led, since, subs = row
    return ManagerNode(pid, index, name, unit, CascadeState(state), reports, int(reached), led, _as_date(since), subs)


def people_below(person_ids: list[int]) -> dict[int, int]:
    """For each given person, how many active people sit below them in the reporting lines
    (their whole subtree, not only direct reports): one recursive CTE walking down from all of
    them at once. The walk stops at inactive people, as the cascade does."""
    if not person_ids:
        return {}
    ids = ",".join(str(int(i)) for i in person_ids)  # integers only: nothing from a user
    if connection.vendor == "postgresql":
        # LATERAL makes each step an index lookup on manager_id; a plain join let PostgreSQL
        # hash all 150,000 people at every level of the walk.
        step = "SELECT b.root, p.index_number FROM below b CROSS JOIN LATERAL (SELECT index_number FROM {person} WHERE manager_id = b.index_number AND active OFFSET 0) p"
    else:
        step = "SELECT b.root, p.index_number FROM below b JOIN {person} p ON p.manager_id = b.index_number WHERE p.active"
    sql = (
        """
WITH RECURSIVE below (root, index_number) AS (
    SELECT id, index_number FROM {person} WHERE id IN ({ids})
    UNION ALL
    """
        + step
        + """
)
SELECT root, COUNT(*) - 1 FROM below GROUP BY root"""
    ).format(ids=ids, **_tables())
    return dict(_fetch(sql, {}))


def _with_people_below(nodes: list["ManagerNode"], counts: dict[int, int]) -> list["ManagerNode"]:
    return [ManagerNode(**{**n.__dict__, "people_below": counts.get(n.person_id, 0)}) if n.blocked else n for n in nodes]


def tree_level(cycle: Cycle, entity_id: int, *, parent: str | None = None) -> list["ManagerNode"]:
    """One level of the entity's cascade tree, sorted by name: the entity's top managers (whose
    own manager is not a manager of this entity) when `parent` is None, else the managers of
    this entity who report directly to `parent`. Each with their state, how many sub-managers
    they have here, and, when blocked (waiting or ready), how many people sit below them."""
    where = _TOP if parent is None else "s.manager_id = %(parent)s"
    sql = _entity_managers_sql() + (
        f"SELECT {_NODE_COLUMNS}, {_SUB_MANAGERS} FROM states s LEFT JOIN {_tables()['unit']} u ON u.id = s.unit_id "
        f"WHERE {where} ORDER BY s.name, s.index_number"
    )
    nodes = [_node(row) for row in _fetch(sql, _params(cycle, entity_id, parent=parent))]
    return _with_people_below(nodes, people_below([n.person_id for n in nodes if n.blocked]))


def manager_path(entity_id: int, index_number: str) -> list[tuple[str, str]]:
    """(index number, name) from the entity's top down to the given manager, climbing the
    reporting lines inside the entity with a recursive CTE; empty if the manager is not an
    active person of this entity."""
    sql = """
WITH RECURSIVE up (index_number, name, manager_id, steps) AS (
    SELECT index_number, name, manager_id, 0 FROM {person} WHERE index_number = %(start)s AND entity_id = %(entity)s AND active
    UNION ALL
    SELECT p.index_number, p.name, p.manager_id, up.steps + 1 FROM {person} p JOIN up ON p.index_number = up.manager_id
    WHERE p.entity_id = %(entity)s AND p.active AND up.steps < 100
)
SELECT index_number, name FROM up ORDER BY steps DESC""".format(**_tables())
    return [(index, name) for index, name in _fetch(sql, {"start": index_number, "entity": entity_id})]


@dataclass(frozen=True)
class ChaseList:
    managers: list["ManagerNode"]
    total: int  # before the limit


@dataclass(frozen=True)
class EntityCascade:
    """Everything the entity dashboard shows about its managers."""

    counts: dict[str, int]  # managers by state, every state listed
    level: list["ManagerNode"]  # the tree level asked for
    ready_too_long: ChaseList
    reports_not_reached: ChaseList

    @property
    def by_state(self) -> list[tuple[CascadeState, int]]:
        """`counts` as (state, managers), in the order a manager goes through the states."""
        return [(state, self.counts[state]) for state in CascadeState]


def entity_cascade(cycle: Cycle, entity_id: int, *, today: datetime.date, parent: str | None = None, limit: int = LIST_LIMIT) -> EntityCascade:
    """The managers of an entity, computed once (one query over the `states` CTE, its four
    selections joined by UNION ALL) plus one recursive CTE for the people below the blocked ones:

    - `counts`: managers by state;
    - `level`: the tree level under `parent` (the top of the entity when None), as `tree_level`;
    - `ready_too_long`: managers *ready* for more than 14 days. Ready since = the date of the
      first session of the cycle they attended as a participant (for the top of the
      organization, who attends none, the cycle's opening day); more than 14 days = ready since
      strictly before `today` - 14 days. Oldest first, at most `limit`, with people below.
    - `reports_not_reached`: managers who led at least one session but whose direct reports are
      partly unreached (state in progress): they owe a catch-up session. Most unreached first.
    """
    unit = _tables()["unit"]
    parent_where = _TOP if parent is None else "s.manager_id = %(parent)s"
    empty = "NULL AS reports, NULL AS reached, NULL AS sessions_led, NULL AS ready_since"
    sql = (
        _entity_managers_sql()
        + f"""
SELECT kind, pos, id, index_number, name, unit, state, reports, reached, sessions_led, ready_since, sub_managers, total FROM (
    SELECT 'count' AS kind, 0 AS pos, NULL AS id, NULL AS index_number, NULL AS name, NULL AS unit, state,
           {empty}, NULL AS sub_managers, COUNT(*) AS total
    FROM states GROUP BY state
    UNION ALL
    SELECT 'level', ROW_NUMBER() OVER (ORDER BY s.name, s.index_number), {_NODE_COLUMNS}, {_SUB_MANAGERS}, 0
    FROM states s LEFT JOIN {unit} u ON u.id = s.unit_id WHERE {parent_where}
    UNION ALL
    SELECT * FROM (
        SELECT 'ready' AS kind, ROW_NUMBER() OVER (ORDER BY s.ready_since, s.name, s.index_number) AS pos, {_NODE_COLUMNS}, 0, COUNT(*) OVER ()
        FROM states s LEFT JOIN {unit} u ON u.id = s.unit_id WHERE s.state = '{CascadeState.READY.value}' AND s.ready_since < %(cutoff)s
    ) ready WHERE pos <= %(limit)s
    UNION ALL
    SELECT * FROM (
        SELECT 'unreached' AS kind, ROW_NUMBER() OVER (ORDER BY s.reports - s.reached DESC, s.name, s.index_number) AS pos, {_NODE_COLUMNS}, 0, COUNT(*) OVER ()
        FROM states s LEFT JOIN {unit} u ON u.id = s.unit_id WHERE s.state = '{CascadeState.IN_PROGRESS.value}'
    ) unreached WHERE pos <= %(limit)s
) parts ORDER BY kind, pos"""
    )
    cutoff = today - datetime.timedelta(days=READY_TOO_LONG_DAYS)
    rows = _fetch(sql, _params(cycle, entity_id, parent=parent, cutoff=cutoff, limit=limit))
    counts = dict.fromkeys(CascadeState.values, 0)
    parts: dict[str, list[ManagerNode]] = {"level": [], "ready": [], "unreached": []}
    totals = {"ready": 0, "unreached": 0}
    for kind, _pos, *node, total in rows:  # at most a level and two lists of `limit` managers
        if kind == "count":
            counts[node[4]] = total
        else:
            parts[kind].append(_node(node))
            totals[kind] = total
    below = people_below([n.person_id for n in parts["level"] + parts["ready"] if n.blocked])
    return EntityCascade(
        counts=counts,
        level=_with_people_below(parts["level"], below),
        ready_too_long=ChaseList(_with_people_below(parts["ready"], below), totals["ready"]),
        reports_not_reached=ChaseList(parts["unreached"], totals["unreached"]),
    )


@dataclass(frozen=True)
class NotReported:
    total: int
    sessions: list  # the oldest LIST_LIMIT


def sessions_not_reported(cycle: Cycle, entity_id: int, *, today: datetime.date | None = None) -> NotReported:
    """Sessions led in the entity, held, and without the leader's feedback (Appendix C) three
    days on (the feedback app's rule): how many, and the oldest LIST_LIMIT, so that a large
    entity's page stays small. One query: the count is a window over the rows before the limit."""
    sessions = feedback_selectors.sessions_not_reported(cycle, entity_ids=[entity_id], today=today)
    oldest = list(sessions.annotate(total=Window(Count("*")))[:LIST_LIMIT])
    return NotReported(total=oldest[0].total if oldest else 0, sessions=oldest)
