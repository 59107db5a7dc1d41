"""The dashboards' numbers, computed in the database: coverage by category and location type,
weekly progress, the forecast and risk of each entity, an entity's sessions; the cascade tree
and the managers to chase are in `oversight.tree`. Selectors only: pages and exports read them
from here.

Every figure is a set-based query (GROUP BY, a window, a recursive CTE). Python only folds a few
aggregate rows (entities x weeks, categories x location types), never a list of people.
The definitions are those of `rollup` and `cascade_status`: active people; *reached* = attended a session
of the cycle as a participant or led one; a manager's state as `selectors.cascade_states` gives it.
"""

# The SQL text is assembled from table names taken from the models, constant fragments and
# integer lists formatted with int(); every value from a request travels as a parameter.
# ruff: noqa: S608

import datetime
import math
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count

from dialogues.models import Attendance, Session
from org.models import Category, Cycle, Entity, LocationType, Person, Unit

from .selectors import attended_sql, led_sql

PACE_DAYS = 28  # "the last 4 weeks"
RISK_COVERAGE = 0.5
RISK_WEEKS = 6
LIST_LIMIT = 50


def _tables() -> dict[str, str]:
    return {
        "person": Person._meta.db_table,
        "session": Session._meta.db_table,
        "attendance": Attendance._meta.db_table,
        "unit": Unit._meta.db_table,
        "entity": Entity._meta.db_table,
    }


def _as_date(value) -> datetime.date | None:
    """SQLite hands dates back as text."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


@contextmanager
def fast_reads():
    """Run a dashboard's reads in one transaction with PostgreSQL's JIT compiler off. The
    dashboards send a dozen short aggregate queries whose cost estimates cross the JIT
    thresholds: compiling them took 50-700 ms each, several times what running them takes
    (bench/dashboards.py, EXPLAIN ANALYZE). SET LOCAL ends with the transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# -- coverage by category and location type ---------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    key: str  # a Category / LocationType value, or "" for unknown
    personnel: int
    participants: int

    @property
    def label(self) -> str:
        choices = dict(Category.choices) | dict(LocationType.choices)
        return str(choices.get(self.key, "")) if self.key else ""

    @property
    def rate(self) -> float | None:
        return self.participants / self.personnel if self.personnel else None


@dataclass
class Breakdown:
    """Coverage of a set of people by category and by location type; unknown (blank) last."""

    category: list[Coverage] = field(default_factory=list)
    location: list[Coverage] = field(default_factory=list)


def _ordered(counts: dict[str, list[int]], keys: list[str]) -> list[Coverage]:
    return [Coverage(key, *counts.get(key, [0, 0])) for key in [*keys, ""]]


def _breakdown(category: dict[str, list[int]], location: dict[str, list[int]]) -> Breakdown:
    """Every category and location type listed, with zeros; "" (not given) last."""
    return Breakdown(_ordered(category, list(Category.values)), _ordered(location, list(LocationType.values)))


# -- sessions of an entity ----------------------------------------------------------------------


def entity_sessions(cycle: Cycle, entity_id: int, *, limit: int = LIST_LIMIT):
    """The latest sessions led by people of the entity, with their number of participants
    (counted for those `limit` sessions only, not for every session of the entity)."""
    latest = Session.objects.filter(cycle=cycle, leader__entity_id=entity_id).order_by("-date", "ref").values("pk")[:limit]
    return Session.objects.filter(pk__in=latest).select_related("leader__unit").annotate(participants=Count("attendances")).order_by("-date", "ref")


def entity_session_totals(cycle: Cycle, entity_id: int) -> dict:
    """Sessions of the entity by mode, and their attendance: counts only (no name)."""
    sessions = Session.objects.filter(cycle=cycle, leader__entity_id=entity_id)
    by_mode = dict(sessions.values("mode").annotate(n=Count("id")).order_by().values_list("mode", "n"))
    attendances = Attendance.objects.filter(session__cycle=cycle, session__leader__entity_id=entity_id).count()
    return {"sessions": sum(by_mode.values()), "by_mode": by_mode, "attendances": attendances}


# -- progress over time and forecast ------------------------------------------------------------


def _entity_filter(entity_ids: list[int] | None, alias: str = "p") -> str:
    if entity_ids is None:
        return ""
    return f" AND {alias}.entity_id IN ({','.join(str(int(i)) for i in entity_ids)})" if entity_ids else " AND 1 = 0"


def _firsts_sql(entity_ids: list[int] | None) -> str:
    """Each reached person's first date in the cycle: first session attended or led, from the
    two sets `selectors.reached_sql` reads (only the people of some entities, when given: the
    filter goes inside, before the GROUP BY)."""
    person = _tables()["person"]
    join_a = join_s = ""
    if entity_ids is not None:
        join_a = f" JOIN {person} fp ON fp.id = a.person_id"
        join_s = f" JOIN {person} fp ON fp.id = s.leader_id"
    where = _entity_filter(entity_ids, "fp")
    return f"""
firsts AS (
    SELECT person_id, MIN(day) AS first_date FROM (
        {attended_sql("a.person_id, s.date AS day", join=join_a, where=where)}
        UNION ALL
        {led_sql("s.leader_id, s.date", join=join_s, where=where)}
    ) days GROUP BY person_id
)"""


def _week_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        # date - integer is a date: cheaper than date_trunc, which goes through timestamptz.
        return f"({column} - CAST(EXTRACT(ISODOW FROM {column}) AS integer) + 1)"
    return f"date({column}, 'weekday 0', '-6 days')"  # SQLite: the Monday of the ISO week


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Week:
    start: datetime.date  # the Monday
    new: int  # people whose first attendance or lead falls in this week
    cumulative: int


@dataclass(frozen=True)
class Progress:
    """An entity's coverage (or the whole organization's: entity None), its pace over the last
    four weeks and what that pace forecasts."""

    entity_id: int | None
    code: str
    name: str
    personnel: int
    participants: int
    recent: int  # reached in the last 28 days up to today
    forecast: datetime.date | None  # when 100% is reached at this pace; None: never
    deadline: datetime.date
    weeks_left: float
    risk: str = ""  # "" when not at risk, else "pace", "late" or "low"

    @property
    def rate(self) -> float | None:
        return self.participants / self.personnel if self.personnel else None

    @property
    def complete(self) -> bool:
        return self.participants >= self.personnel

    @property
    def remaining(self) -> int:
        return max(self.personnel - self.participants, 0)

    @property
    def on_time(self) -> bool:
        return self.forecast is not None and self.forecast <= self.deadline

    @property
    def per_week(self) -> float:
        return self.recent * 7 / PACE_DAYS


def forecast_date(*, personnel: int, participants: int, recent: int, today: datetime.date) -> datetime.date | None:
    """Linear forecast: at the pace of the last 28 days (`recent` people reached in them), the
    day everyone is reached; today when already there; None when the pace is zero."""
    remaining = personnel - participants
    if remaining <= 0:
        return today
    if recent <= 0:
        return None
    return today + datetime.timedelta(days=math.ceil(remaining * PACE_DAYS / recent))


def risk_of(*, personnel: int, participants: int, forecast: datetime.date | None, deadline: datetime.date, weeks_left: float) -> str:
    """An entity is at risk when it has people left to reach and either
    - "pace": nobody was reached in the last four weeks (the forecast never arrives), or
    - "late": the forecast at the last four weeks' pace falls after the deadline, or
    - "low": coverage is below 50 % with fewer than 6 weeks left — most sessions happen in the
      last six weeks, so a fast recent pace does not make up for half the entity still waiting.
    Entities with no personnel, or everyone reached, are never at risk."""
    if personnel == 0 or participants >= personnel:
        return ""
    if forecast is None:
        return "pace"
    if forecast > deadline:
        return "late"
    if participants / personnel < RISK_COVERAGE and weeks_left < RISK_WEEKS:
        return "low"
    return ""


@dataclass(frozen=True)
class ProgressReport:
    entities: list["Progress"]  # sorted by code
    total: "Progress"  # the selected entities together
    weeks: list[Week]  # the selected entities together
    breakdown: dict[int | None, Breakdown]  # per entity id, and None for the selected together


def progress_report(cycle: Cycle, *, entity_ids: list[int] | None = None, today: datetime.date) -> ProgressReport:
    """The dashboards' coverage figures in ONE query: active people (of some entities, when
    given) grouped by entity, category, location type, ISO week of the date they were first
    reached in the cycle (first session attended or led; NULL when not reached) and whether that
    date falls in the last 28 days up to `today`. Folded from those aggregate rows:

    - per entity (sorted by code) personnel, participants,
      people reached in the last 28 days, the forecast and the risk (`forecast_date`,
      `risk_of`), and `weeks`: one row per week from the cycle's opening week to the week of
      `today` (or of the last session, if later), never past the deadline's week, with the
      people first reached that week and the running total;
    - `breakdown`: by category and by location type, per entity and all together.

    Entities with no active people are left out, as in the roll-up; a person is reached exactly
    when `selectors.reached_q` says so (the first dates come from the same two sets)."""
    since = today - datetime.timedelta(days=PACE_DAYS)
    sql = (
        "WITH "
        + _firsts_sql(entity_ids)
        + """
SELECT g.entity_id, e.code, e.name, g.category, g.location_type, g.week, g.recent, g.people FROM (
    SELECT p.entity_id, p.category, p.location_type, {week} AS week,
           CASE WHEN f.first_date > %(since)s AND f.first_date <= %(today)s THEN 1 ELSE 0 END AS recent, COUNT(*) AS people
    FROM {person} p LEFT JOIN firsts f ON f.person_id = p.id
    WHERE p.active{where}
    GROUP BY p.entity_id, p.category, p.location_type, week, recent
) g JOIN {entity} e ON e.id = g.entity_id""".format(week=_week_sql("f.first_date"), where=_entity_filter(entity_ids), **_tables())
    )
    entities: dict[int, list] = {}
    new: dict[datetime.date, int] = {}
    split: dict[int | None, tuple[dict, dict]] = {}
    # Aggregate rows: entities x categories x location types x weeks, a few thousand at most.
    for entity_id, code, name, category, location, week, recent, people in _fetch(sql, {"cycle": cycle.pk, "since": since, "today": today}):
        reached = people if week is not None else 0
        row = entities.setdefault(entity_id, [code, name, 0, 0, 0])
        row[2] += people
        row[3] += reached
        row[4] += reached if recent else 0
        if week is not None:
            week = _as_date(week)
            new[week] = new.get(week, 0) + people
        for target in (entity_id, None):
            for counts, key in zip(split.setdefault(target, ({}, {})), (category, location)):
                pair = counts.setdefault(key or "", [0, 0])
                pair[0] += people
                pair[1] += reached
    weeks_left = (cycle.deadline - today).days / 7
    rows = sorted(
        (
            _progress(pk, code, name, personnel, participants, recent, cycle, today, weeks_left)
            for pk, (code, name, personnel, participants, recent) in entities.items()
        ),
        key=lambda r: r.code,
    )
    total = _progress(None, "", "", sum(r.personnel for r in rows), sum(r.participants for r in rows), sum(r.recent for r in rows), cycle, today, weeks_left)
    first, last = monday(cycle.opens), monday(min(max([today, *new]), cycle.deadline))
    weeks, running, start = [], sum(n for week, n in new.items() if week < first), first
    while start <= last:
        running += new.get(start, 0)
        weeks.append(Week(start, new.get(start, 0), running))
        start += datetime.timedelta(days=7)
    breakdown = {key: _breakdown(category, location) for key, (category, location) in split.items()}
    breakdown.setdefault(None, _breakdown({}, {}))
    return ProgressReport(rows, total, weeks, breakdown)


def _progress(entity_id, code, name, personnel, participants, recent, cycle, today, weeks_left) -> Progress:
    forecast = forecast_date(personnel=personnel, participants=participants, recent=recent, today=today)
    risk = risk_of(personnel=personnel, participants=participants, forecast=forecast, deadline=cycle.deadline, weeks_left=weeks_left)
    return Progress(entity_id, code, name, personnel, participants, recent, forecast, cycle.deadline, weeks_left, risk)
