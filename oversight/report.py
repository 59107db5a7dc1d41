"""The Ethics Office's annual report: a cycle beside the cycle before it. Participation by entity,
staff category and location type, the certification of Appendix E, the ratings of Appendices C
and F, the most recommended topics and the recurring questions.

Aggregates only: no person's name, and nothing below the entity. Every figure is a set-based
query (GROUP BY); Python folds a few aggregate rows (entities x categories x location types),
never a list of people. Both cycles are measured against the organization file as it is today
(active people, with their entity, category and location type now), since the file keeps no
history of who was where; the totals an entity certified are reported as they were frozen.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from feedback.anonymity import Cell, fewer_than
from feedback.insight import RATING_LABELS, cycle_question_themes, cycle_themes, leader_rating_distributions
from feedback.models import ASSESSMENT_RATINGS, Question, QuestionStatus
from feedback.results import entities_assessment_table
from feedback.selectors import held_sessions
from feedback.themes import Theme
from org.models import Category, Cycle, LocationType, Person

from .models import Certification, CertificationStatus
from .selectors import reached_q

THEMES_SHOWN = 10


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The cycle before `cycle` by year (years may be skipped), or None."""
    return Cycle.objects.filter(year__lt=cycle.year).order_by("-year").first()


@dataclass(frozen=True)
class Compared:
    """A figure of the cycle beside the previous cycle's. None: nothing to measure (or no
    previous cycle); `hidden`: too few answers to show it."""

    current: float | None
    previous: float | None = None
    current_hidden: bool = False
    previous_hidden: bool = False

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return round(self.current - self.previous, 2)


def _rate(part: int, whole: int) -> float | None:
    """A share in percent, rounded as shown, so that the change is the difference of what the
    reader sees."""
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class ParticipationRow:
    key: str  # an entity code, a Category or a LocationType value; "" when not given
    label: str
    personnel: int
    participants: Compared
    rate: Compared


@dataclass(frozen=True)
class Participation:
    entities: list[ParticipationRow]  # by code
    categories: list[ParticipationRow]  # in the order of Category, "not given" last
    locations: list[ParticipationRow]
    total: ParticipationRow


def _row(key: str, label: str, counts: list[int], has_previous: bool) -> ParticipationRow:
    personnel, current, previous = counts
    return ParticipationRow(
        key,
        label,
        personnel,
        Compared(current, previous if has_previous else None),
        Compared(_rate(current, personnel), _rate(previous, personnel) if has_previous else None),
    )


def participation(cycle: Cycle, previous: Cycle | None) -> tuple[Participation, dict[str, int]]:
    """Personnel and people reached in both cycles (reached as in the roll-up: attended a session of the
    cycle or led one), over active people, in ONE query grouped by entity, category and
    location type. Also returns {entity code: entity id} of the entities listed."""
    counts = {"personnel": Count("id"), "current": Count("id", filter=reached_q(cycle))}
    if previous is not None:
        counts["previous"] = Count("id", filter=reached_q(previous))
    rows = Person.objects.active().values("entity_id", "entity__code", "entity__name", "category", "location_type").annotate(**counts).order_by()
    entities: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    ids: dict[str, int] = {}
    categories: dict[str, list[int]] = {}
    locations: dict[str, list[int]] = {}
    # Aggregate rows: entities x categories x location types, a few hundred at most.
    for row in rows:
        values = [row["personnel"], row["current"], row.get("previous", 0)]
        code = row["entity__code"]
        names[code], ids[code] = row["entity__name"], row["entity_id"]
        for target, key in ((entities, code), (categories, row["category"] or ""), (locations, row["location_type"] or "")):
            sums = target.setdefault(key, [0, 0, 0])
            for i, value in enumerate(values):
                sums[i] += value
    has_previous = previous is not None

    def ordered(counts: dict[str, list[int]], choices) -> list[ParticipationRow]:
        keys = list(choices.values) + ([""] if "" in counts else [])
        labels = dict(choices.choices)
        return [_row(key, str(labels[key]) if key else _("Not given"), counts.get(key, [0, 0, 0]), has_previous) for key in keys]

    total = [sum(values[i] for values in entities.values()) for i in range(3)]
    result = Participation(
        entities=[_row(code, names[code], entities[code], has_previous) for code in sorted(entities)],
        categories=ordered(categories, Category),
        locations=ordered(locations, LocationType),
        total=_row("", _("Total"), total, has_previous),
    )
    return result, ids


@dataclass(frozen=True)
class Certified:
    """An entity's Appendix E in one cycle: its status and, once frozen, the totals submitted."""

    status: CertificationStatus
    personnel: int | None = None
    participants: int | None = None

    @property
    def label(self) -> str:
        return str(self.status.summary)


@dataclass(frozen=True)
class CertificationRow:
    code: str
    name: str
    current: Certified
    previous: Certified | None


def _certifications(cycle: Cycle, previous: Cycle | None) -> dict[tuple[int, int], Certified]:
    """{(cycle id, entity id): Certified} for the certification rows of both cycles, in one
    query; the totals read from the snapshot's JSON by the database."""
    cycles = [cycle.pk] + ([previous.pk] if previous else [])
    rows = Certification.objects.filter(cycle_id__in=cycles).values_list(
        "cycle_id", "entity_id", "status", KT("snapshot__total__personnel"), KT("snapshot__total__participants")
    )
    result = {}
    for cycle_id, entity_id, status, personnel, participants in rows:
        status = CertificationStatus(status)
        frozen = status in (CertificationStatus.SUBMITTED, CertificationStatus.CERTIFIED) and personnel is not None
        result[(cycle_id, entity_id)] = Certified(status, int(personnel), int(participants)) if frozen else Certified(status)
    return result


@dataclass(frozen=True)
class FigureRow:
    """One line of a comparison table: a label, how to show the figure, and the figure."""

    label: str
    kind: str  # "count", "answers" (a count of Appendix F answers, from the threshold), "percent" or "average"
    figure: Compared


@dataclass(frozen=True)
class EntityRatings:
    code: str
    forms: Compared
    guide: Compared
    topics: Compared


@dataclass(frozen=True)
class ThemeList:
    year: int
    answers: int
    themes: list[Theme]  # the largest THEMES_SHOWN, largest first


@dataclass
class AnnualReport:
    cycle: Cycle
    previous: Cycle | None
    summary: list[FigureRow]
    participation: Participation
    certification: list[CertificationRow]
    certification_counts: list[FigureRow]
    ratings: list[FigureRow]
    entity_ratings: list[EntityRatings]
    minimum: int  # answers an Appendix F group needs before its ratings are shown
    topics: list[ThemeList | None] = field(default_factory=list)  # this cycle, previous cycle
    questions: list[ThemeList | None] = field(default_factory=list)


def _leader_ratings(cycle: Cycle | None) -> tuple[dict[str, tuple[int, float | None, float | None]], tuple[int, float | None, float | None]]:
    """Appendix C per entity code and for everyone: (forms, guide average, topics average)."""
    if cycle is None:
        return {}, (0, None, None)
    rows = leader_rating_distributions(cycle)
    per_entity = {r.entity: (r.forms, r.guide_average, r.topics_average) for r in rows}
    forms = sum(r.forms for r in rows)

    def average(name: str) -> float | None:
        # From the distributions: the sum of each rating times the forms that gave it.
        return sum(i * n for r in rows for i, n in enumerate(getattr(r, name), start=1)) / forms if forms else None

    return per_entity, (forms, average("guide"), average("topics"))


def _answers(now: Cell, before: Cell | None, *, minimum: int, has_previous: bool) -> Compared:
    """The number of Appendix F answers of both cycles; below the threshold hidden (the page
    reads "fewer than 5"), and then no change either, which would give it by subtraction."""

    def small(cell: Cell | None) -> bool:
        return cell is not None and 0 < cell.n < minimum

    return Compared(
        None if small(now) else now.n,
        None if not has_previous or small(before) else (before.n if before else 0),
        current_hidden=small(now),
        previous_hidden=small(before),
    )


def _round(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def _themes(cycle: Cycle, pair: tuple[int, list[Theme]]) -> ThemeList:
    answers, found = pair
    return ThemeList(cycle.year, answers, found[:THEMES_SHOWN])


def annual_report(cycle: Cycle) -> AnnualReport:
    """The annual report of `cycle` beside the previous cycle (see the module's docstring).
    A bounded number of queries, whatever the number of people: about twenty."""
    previous = previous_cycle(cycle)
    cycles = [c for c in (cycle, previous) if c is not None]
    people, entity_ids = participation(cycle, previous)

    certified = _certifications(cycle, previous)
    draft = Certified(CertificationStatus.DRAFT)
    certification = [
        CertificationRow(
            row.key,
            row.label,
            certified.get((cycle.pk, entity_ids[row.key]), draft),
            certified.get((previous.pk, entity_ids[row.key]), draft) if previous else None,
        )
        for row in people.entities
    ]
    status_counts = []
    for status in (CertificationStatus.CERTIFIED, CertificationStatus.SUBMITTED, CertificationStatus.REOPENED, CertificationStatus.DRAFT):
        now = sum(1 for row in certification if row.current.status == status)
        before = sum(1 for row in certification if row.previous.status == status) if previous else None
        status_counts.append(FigureRow(str(status.summary), "count", Compared(now, before)))

    held = {c.pk: held_sessions(c).count() for c in cycles}
    questions = {
        row["cycle_id"]: row
        for row in Question.objects.filter(cycle__in=cycles)
        .values("cycle_id")
        .annotate(n=Count("id"), answered=Count("id", filter=Q(status__in=[QuestionStatus.ANSWERED, QuestionStatus.PUBLISHED])))
        .order_by()
    }
    leaders, leaders_all = _leader_ratings(cycle)
    leaders_before, leaders_before_all = _leader_ratings(previous)
    assessed = entities_assessment_table(cycle)
    assessed_before = entities_assessment_table(previous) if previous else None

    def both(current, before):
        return Compared(current, before if previous else None)

    def asked(c: Cycle | None, key: str) -> int | None:
        return questions.get(c.pk, {}).get(key, 0) if c is not None else None

    certified_now, certified_before = status_counts[0].figure.current, status_counts[0].figure.previous
    summary = [
        FigureRow(_("Personnel (today's organization file)"), "count", Compared(people.total.personnel, people.total.personnel if previous else None)),
        FigureRow(_("Participants"), "count", people.total.participants),
        FigureRow(_("Share of personnel reached"), "percent", people.total.rate),
        FigureRow(_("Sessions held"), "count", both(held[cycle.pk], held.get(previous.pk) if previous else None)),
        FigureRow(_("Leader feedback forms (Appendix C)"), "count", both(leaders_all[0], leaders_before_all[0])),
        FigureRow(_("Facilitator assessments (Appendix F)"), "answers", _answers(assessed.total, assessed_before.total if assessed_before else None, minimum=assessed.minimum, has_previous=previous is not None)),
        FigureRow(_("Questions forwarded to the Ethics Office"), "count", both(asked(cycle, "n"), asked(previous, "n"))),
        FigureRow(_("Questions answered"), "count", both(asked(cycle, "answered"), asked(previous, "answered"))),
        FigureRow(_("Entities that certified Appendix E"), "count", both(certified_now, certified_before)),
    ]

    ratings = [
        FigureRow(_("Leader feedback: quality and ease of use of the guide"), "average", both(_round(leaders_all[1]), _round(leaders_before_all[1]))),
        FigureRow(_("Leader feedback: the topics"), "average", both(_round(leaders_all[2]), _round(leaders_before_all[2]))),
    ]
    for index, name in enumerate(ASSESSMENT_RATINGS):
        now, before = assessed.total, assessed_before.total if assessed_before else None
        figure = Compared(
            None if now.hidden or not now.n else _round(now.average_list[index]),
            None if before is None or before.hidden or not before.n else _round(before.average_list[index]),
            current_hidden=now.hidden and bool(now.n),
            previous_hidden=before is not None and before.hidden and bool(before.n),
        )
        ratings.append(FigureRow(_("Facilitator assessment: %(rating)s") % {"rating": RATING_LABELS[name]}, "average", figure))

    entity_ratings = []
    for code in sorted(set(leaders) | set(leaders_before)):
        now, before = leaders.get(code, (0, None, None)), leaders_before.get(code, (0, None, None))
        entity_ratings.append(EntityRatings(code, both(now[0], before[0]), both(_round(now[1]), _round(before[1])), both(_round(now[2]), _round(before[2]))))

    return AnnualReport(
        cycle=cycle,
        previous=previous,
        summary=summary,
        participation=people,
        certification=certification,
        certification_counts=status_counts,
        ratings=ratings,
        entity_ratings=entity_ratings,
        minimum=assessed.minimum,
        topics=[_themes(c, cycle_themes(c, ["topics"])["topics"]) if c else None for c in (cycle, previous)],
        questions=[_themes(c, cycle_question_themes(c)) if c else None for c in (cycle, previous)],
    )


# --- the workbook ----------------------------------------------------------------------------


def _cell(value):
    return "" if value is None else value


def _compared_cells(figure: Compared, has_previous: bool, hidden: str | None = None) -> list:
    hidden = hidden or _("hidden (too few answers)")
    current = hidden if figure.current_hidden else _cell(figure.current)
    if not has_previous:
        return [current]
    previous = hidden if figure.previous_hidden else _cell(figure.previous)
    return [current, previous, _cell(figure.change)]


def report_sheets(report: AnnualReport) -> dict[str, list[list]]:
    """The report as tables, {sheet title: rows}: a header row, then numbers (rates in percent,
    changes in points). Hidden figures are empty cells marked as hidden, never filled."""
    year = report.cycle.year
    prior = report.previous.year if report.previous else None
    has_previous = prior is not None

    def years(label: str) -> list[str]:
        # Translators: a column heading, such as "Participants, 2026".
        heads = [_("%(label)s, %(year)s") % {"label": label, "year": year}]
        if has_previous:
            # Translators: a column heading, such as "Participants, change" (from the previous cycle).
            heads += [_("%(label)s, %(year)s") % {"label": label, "year": prior}, _("%(label)s, change") % {"label": label}]
        return heads

    about = [
        [_("Annual report of the Leadership Dialogue"), year],
        [_("Topic"), report.cycle.topic],
        [_("Previous cycle"), prior if has_previous else _("none")],
        [_("Personnel, categories and locations are those of today's organization file, for both cycles.")],
        [],
        [_("Figure"), *years(_("Value"))],
    ]
    # A count of answers below the threshold reads "fewer than 5", as on the page.
    fewer = fewer_than(report.minimum)
    about += [[row.label, *_compared_cells(row.figure, has_previous, fewer if row.kind == "answers" else None)] for row in report.summary]

    def participation_rows(title: str, rows: list[ParticipationRow], with_name: bool) -> list[list]:
        head = [title] + ([_("Name")] if with_name else []) + [_("Personnel"), *years(_("Participants")), *years(_("Rate (%)"))]
        out = [head]
        for row in [*rows, report.participation.total]:
            first = [row.key, row.label] if with_name and row.key else [row.label] + ([""] if with_name else [])
            out.append([*first, row.personnel, *_compared_cells(row.participants, has_previous), *_compared_cells(row.rate, has_previous)])
        return out

    certification = [[_("Entity"), _("Name"), _("Status, %(year)s") % {"year": year}, _("Personnel certified, %(year)s") % {"year": year}]]
    certification[0].append(_("Participants certified, %(year)s") % {"year": year})
    if has_previous:
        certification[0] += [_("Status, %(year)s") % {"year": prior}, _("Personnel certified, %(year)s") % {"year": prior}]
        certification[0].append(_("Participants certified, %(year)s") % {"year": prior})
    for row in report.certification:
        line = [row.code, row.name, row.current.label, _cell(row.current.personnel), _cell(row.current.participants)]
        if row.previous is not None:
            line += [row.previous.label, _cell(row.previous.personnel), _cell(row.previous.participants)]
        certification.append(line)
    certification.append([])
    certification.append([_("Status"), *years(_("Entities"))])
    certification += [[row.label, *_compared_cells(row.figure, has_previous)] for row in report.certification_counts]

    ratings = [[_("Rating"), *years(_("Average"))]]
    ratings += [[row.label, *_compared_cells(row.figure, has_previous)] for row in report.ratings]
    ratings.append([])
    ratings.append([_("Entity"), *years(_("Forms")), *years(_("Guide average")), *years(_("Topics average"))])
    for row in report.entity_ratings:
        ratings.append([row.code, *(cell for figure in (row.forms, row.guide, row.topics) for cell in _compared_cells(figure, has_previous))])

    def theme_rows(lists: list[ThemeList | None]) -> list[list]:
        out = [[_("Cycle"), _("Theme"), _("Answers"), _("Example 1"), _("Example 2")]]
        for found in lists:
            if found is None:
                continue
            for theme in found.themes:
                examples = [*theme.examples[:2], "", ""][:2]
                out.append([found.year, theme.label, theme.count, *examples])
        return out

    return {
        _("Summary"): about,
        _("Entities"): participation_rows(_("Entity"), report.participation.entities, True),
        _("Categories"): participation_rows(_("Category"), report.participation.categories, False),
        _("Locations"): participation_rows(_("Location type"), report.participation.locations, False),
        _("Certification"): certification,
        _("Ratings"): ratings,
        _("Recommended topics"): theme_rows(report.topics),
        _("Recurring questions"): theme_rows(report.questions),
    }
