"""Kit points that may answer a question, by text similarity.

TF-IDF over character n-grams inside word boundaries (`char_wb`, 2–4 characters) and cosine
similarity. Character n-grams need no tokenizer or stemmer, so the same code works offline in
the six official languages, Arabic and Chinese included, and tolerates inflection ("gift",
"gifts"; "هدية", "الهدايا"). It compares texts in the same language: a question in French is
matched against a kit written in English only through shared names and numbers.
"""

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kit.models import Kit

TOP = 5

KIND_LABELS = {
    "important_point": _("Important point"),
    "reference": _("Reference"),
    "key_message": _("Key message"),
    "question": _("Discussion question"),
}


@dataclass(frozen=True)
class KitPoint:
    kind: str  # a key of KIND_LABELS
    text: str
    source: str = ""  # the scenario it belongs to

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


@dataclass(frozen=True)
class Suggestion:
    point: KitPoint
    score: float  # cosine similarity, 0 to 1: for the order, never shown as a number

    @property
    def closeness(self) -> str:
        """How close the point is to the question, in words a reader can use."""
        if self.score >= 0.5:
            return _("Very close")
        if self.score >= 0.25:
            return _("Close")
        return _("Loosely related")


def _normalize(text: str) -> str:
    # NFKC folds full-width and compatibility forms (common in Chinese and Arabic input).
    return unicodedata.normalize("NFKC", text).casefold()


def rank_points(question: str, points: list[KitPoint], *, top: int = TOP) -> list[Suggestion]:
    """The `top` points most similar to `question`, best first, leaving out those sharing
    nothing with it. Pure: no database, no state."""
    if not question.strip() or not points:
        return []
    # scikit-learn takes seconds to import: here, not in every web worker's first request.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), preprocessor=_normalize, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([point.text for point in points])
    except ValueError:  # no n-gram at all (points of one character)
        return []
    # Rows are L2-normalised, so the dot product is the cosine similarity.
    scores = linear_kernel(vectorizer.transform([question]), matrix).ravel()
    order = sorted(range(len(points)), key=lambda i: (-scores[i], i))
    return [Suggestion(points[i], round(float(scores[i]), 3)) for i in order[:top] if scores[i] > 0]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def kit_points(kit: Kit) -> list[KitPoint]:
    """Every point of a kit worth suggesting: each scenario's key messages, and each discussion
    question with its important points and references (two queries)."""
    points = []
    for scenario in kit.scenarios.order_by("order").prefetch_related("questions"):
        points += [KitPoint("key_message", line, scenario.title) for line in _lines(scenario.key_messages)]
        for question in scenario.questions.all():
            points.append(KitPoint("question", question.text.strip(), scenario.title))
            points += [KitPoint("important_point", line, scenario.title) for line in _lines(question.important_points)]
            points += [KitPoint("reference", line, scenario.title) for line in _lines(question.references)]
    return [point for point in points if point.text]


def suggestions_for(text: str, kit: Kit | None, *, top: int = TOP) -> list[Suggestion]:
    """The kit points most related to a question's text; none without a kit."""
    return rank_points(text, kit_points(kit), top=top) if kit is not None else []
