"""The Ethics Office's feedback insight for a cycle: rating distributions per entity (leader
feedback, Appendix C, and the facilitator assessments, Appendix F, suppressed), and the themes
of the recommended topics and of what went well or not, with CSV and XLSX exports.

Names never appear: the texts of Appendix C are written by leaders without participants'
names, and Appendix F texts are used only from entities with at least `min_comments()` answers.
"""

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import safe_cell, xlsx_bytes
from org.models import Cycle

from .anonymity import min_comments, shown_count
from .models import ASSESSMENT_RATINGS, FacilitatorAssessment, LeaderFeedback, Question
from .results import AssessmentTable, entities_assessment_table, entities_shown_texts
from .themes import Theme, themes

THEMES_CACHE_SECONDS = 30 * 24 * 3600  # keyed by the texts themselves: never stale
THEMES_CACHE = "shared"  # settings.CACHES: the database, for every worker and across restarts

THEME_GROUPS = [
    ("topics", gettext_lazy("Recommended topics for next year")),
    ("went_well", gettext_lazy("What went well")),
    ("went_badly", gettext_lazy("What did not go well")),
    ("comments", gettext_lazy("Participants' comments on the facilitator")),
]

RATING_LABELS = {
    "preparation": gettext_lazy("Preparation"),
    "inclusion": gettext_lazy("Inclusion of quieter colleagues"),
    "safety": gettext_lazy("Psychological safety"),
    "time_use": gettext_lazy("Use of time"),
    "overall": gettext_lazy("Overall"),
}


@dataclass(frozen=True)
class LeaderRatings:
    entity: str
    forms: int
    guide: list[int]  # forms that rated the guide 1..5
    guide_average: float | None
    topics: list[int]
    topics_average: float | None


@dataclass(frozen=True)
class ThemeGroup:
    key: str
    title: str
    answers: int
    themes: list[Theme]


@dataclass(frozen=True)
class Insight:
    cycle: Cycle
    leader_ratings: list[LeaderRatings]
    assessments: AssessmentTable
    theme_groups: list[ThemeGroup]


def leader_rating_distributions(cycle: Cycle) -> list[LeaderRatings]:
    """Appendix C ratings per entity (as reported), in one query, entities by code."""
    counts = {f"{name}_{i}": Count("pk", filter=Q(**{f"{name}_rating": i})) for name in ("guide", "topics") for i in range(1, 6)}
    rows = (
        LeaderFeedback.objects.filter(session__cycle=cycle)
        .values("entity__code")
        .annotate(forms=Count("pk"), guide_average=Avg("guide_rating"), topics_average=Avg("topics_rating"), **counts)
        .order_by("entity__code")
    )
    return [
        LeaderRatings(
            entity=row["entity__code"],
            forms=row["forms"],
            guide=[row[f"guide_{i}"] for i in range(1, 6)],
            guide_average=row["guide_average"],
            topics=[row[f"topics_{i}"] for i in range(1, 6)],
            topics_average=row["topics_average"],
        )
        for row in rows
    ]


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def theme_texts(cycle: Cycle) -> dict[str, list[str]]:
    """The answers to group, per theme group. Recommended topics count one per line; Appendix F
    texts come only from entities whose answers reach `min_comments()`."""
    texts = {key: [] for key, _title in THEME_GROUPS}
    for topics, well, badly in LeaderFeedback.objects.filter(session__cycle=cycle).values_list("recommended_topics", "went_well", "went_badly"):
        texts["topics"].extend(_lines(topics))
        texts["went_well"].append(" ".join(well.split()))
        texts["went_badly"].append(" ".join(badly.split()))
    shown = entities_shown_texts(cycle)
    if shown and min_comments() > 0:
        answers = FacilitatorAssessment.objects.filter(session__cycle=cycle, session__leader__entity_id__in=list(shown))
        for comment, topic in answers.values_list("comment", "topic_suggestion"):
            if topic.strip():
                texts["topics"].append(" ".join(topic.split()))
            if comment.strip():
                texts["comments"].append(" ".join(comment.split()))
    return {key: sorted(value) for key, value in texts.items()}  # sorted: the input order tells nothing


def _clustered(kind: str, texts: list[str]) -> list[Theme]:
    """`themes(texts)`, kept in the shared cache under a digest of the texts: the clustering
    runs again only when they change, and once for every web worker. A closed cycle's texts
    do not change, so its themes are computed once."""
    key = f"feedback-themes-{kind}-" + hashlib.sha256(json.dumps(texts).encode()).hexdigest()
    store = caches[THEMES_CACHE]
    result = store.get(key)
    if result is None:
        result = themes(texts)
        store.set(key, result, THEMES_CACHE_SECONDS)
    return result


def cycle_themes(cycle: Cycle, groups: Iterable[str] | None = None) -> dict[str, tuple[int, list[Theme]]]:
    """{group: (answers, themes)} for the cycle, for every group of THEME_GROUPS or the ones
    asked for. Reading the texts is one query each; the clustering is cached (`_clustered`)."""
    texts = theme_texts(cycle)
    wanted = [key for key, _title in THEME_GROUPS] if groups is None else list(groups)
    return {group: (len(texts[group]), _clustered(group, texts[group])) for group in wanted}


def question_texts(cycle: Cycle) -> list[str]:
    """The questions the cycle's sessions forwarded to the Ethics Office, spaces tidied, sorted."""
    return sorted(" ".join(text.split()) for text in Question.objects.filter(cycle=cycle).order_by().values_list("text", flat=True))


def cycle_question_themes(cycle: Cycle) -> tuple[int, list[Theme]]:
    """(questions, themes) of the questions forwarded in the cycle: the recurring questions,
    largest theme first. One query; the clustering is cached (`_clustered`)."""
    texts = question_texts(cycle)
    return len(texts), _clustered("questions", texts)


def feedback_insight(cycle: Cycle) -> Insight:
    computed = cycle_themes(cycle)
    groups = [ThemeGroup(key, str(title), *computed[key]) for key, title in THEME_GROUPS]
    return Insight(cycle, leader_rating_distributions(cycle), entities_assessment_table(cycle), groups)


# --- exports ---------------------------------------------------------------------------------


def _average(value) -> float | str:
    return round(value, 2) if value is not None else ""


def insight_sheets(insight: Insight) -> dict[str, list[list]]:
    """The insight as tables, {sheet title: rows with a header row}; hidden cells are empty
    and marked, never filled."""
    hidden = _("hidden (too few answers)")
    leader = [[_("Entity"), _("Forms")] + [_("Guide rated %(n)d") % {"n": i} for i in range(1, 6)] + [_("Guide average")]]
    leader[0] += [_("Topics rated %(n)d") % {"n": i} for i in range(1, 6)] + [_("Topics average")]
    for row in insight.leader_ratings:
        leader.append([row.entity, row.forms, *row.guide, _average(row.guide_average), *row.topics, _average(row.topics_average)])
    assessed = [[_("Entity"), _("Answers"), *(str(RATING_LABELS[name]) for name in ASSESSMENT_RATINGS)]]
    assessed[0] += [_("Overall rated %(n)d") % {"n": i} for i in range(1, 6)] + [_("Note")]
    for cell in [*insight.assessments.rows, insight.assessments.total]:
        if cell.hidden:
            assessed.append([cell.label, shown_count(cell.n, insight.assessments.minimum), *[""] * 10, hidden])
        else:
            assessed.append([cell.label, cell.n, *(_average(a) for a in cell.average_list), *cell.distribution, ""])
    theme_rows = [[_("Group"), _("Theme"), _("Answers"), _("Example 1"), _("Example 2"), _("Example 3")]]
    for group in insight.theme_groups:
        for theme in group.themes:
            examples = list(theme.examples) + [""] * (3 - len(theme.examples))
            theme_rows.append([group.title, theme.label, theme.count, *examples[:3]])
    return {_("Leader ratings"): leader, _("Facilitator assessments"): assessed, _("Themes"): theme_rows}


def insight_csv(insight: Insight) -> str:
    """One CSV: each table under a line with its title, separated by an empty line."""
    out = io.StringIO()
    writer = csv.writer(out)
    for title, rows in insight_sheets(insight).items():
        writer.writerow([title])
        writer.writerows([[safe_cell(v) for v in row] for row in rows])
        writer.writerow([])
    return out.getvalue()


def insight_xlsx(insight: Insight) -> bytes:
    """An XLSX workbook, one sheet per table, text cells neutralised."""
    return xlsx_bytes(insight_sheets(insight))
