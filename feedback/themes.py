"""Group free-text answers into themes: a pure function, no database, no network.

TF-IDF over character n-grams inside word boundaries (`char_wb`, 2–4 characters), as in
`suggest.py`: no tokenizer, stemmer or model to download, so the same code works in the six
official languages, Chinese and Arabic included. MiniBatchKMeans then splits the answers into
k = round(sqrt(n / 2)) themes, at most 12 (the rule of thumb for k, capped for a readable page).
The vectors are L2-normalised, so k-means groups by cosine similarity.

A theme is labelled by its most typical answer (the one closest to its centre), in the words
people wrote, cut to its first words: a reader recognises a sentence of their colleagues more
easily than a list of frequent words, and it works the same in every script.
"""

import math
import unicodedata
from dataclasses import dataclass

MAX_THEMES = 12
EXAMPLES = 3
LABEL_WORDS = 12

@dataclass(frozen=True)
class Theme:
    label: str
    count: int
    examples: tuple[str, ...]


def _normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def choose_k(n: int) -> int:
    """The number of themes for n answers: sqrt(n / 2), at least 1, at most MAX_THEMES."""
    return max(1, min(MAX_THEMES, round(math.sqrt(n / 2))))


def _first_words(text: str) -> str:
    words = text.split()
    if len(words) <= 1:  # no spaces: a script written without them, such as Chinese
        return text if len(text) <= 24 else text[:24] + "…"
    return " ".join(words[:LABEL_WORDS]) + ("…" if len(words) > LABEL_WORDS else "")


def themes(texts: list[str], *, max_themes: int = MAX_THEMES, examples: int = EXAMPLES, seed: int = 0) -> list[Theme]:
    """Themes of `texts` (one answer each), largest first: each with a label, the number of
    answers, and up to `examples` distinct answers closest to its centre. Empty answers are
    ignored. The same input and seed give the same output."""
    # numpy and scikit-learn take seconds to import: only where the clustering runs, not in
    # every web worker's first request.
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    answers = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not answers:
        return []
    normalized = [_normalize(t) for t in answers]
    n = len(answers)
    k = min(choose_k(n), max_themes, len(set(normalized)))
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2 if n >= 50 else 1, sublinear_tf=True, dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(normalized)
    except ValueError:  # nothing but one-letter words
        return [Theme(_first_words(answers[0]), n, tuple(dict.fromkeys(answers))[:examples])]
    if k <= 1:
        labels = np.zeros(n, dtype=int)
        centers = np.asarray(matrix.mean(axis=0))
    else:
        model = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=2048, max_iter=100)
        labels = model.fit_predict(matrix)
        centers = model.cluster_centers_
    result = []
    for cluster in range(centers.shape[0]):
        rows = np.flatnonzero(labels == cluster)
        if not len(rows):
            continue
        scores = matrix[rows] @ centers[cluster].T
        ranked = [answers[rows[i]] for i in np.argsort(-np.asarray(scores).ravel())]
        result.append(Theme(_first_words(ranked[0]), len(rows), tuple(dict.fromkeys(ranked))[:examples]))
    result.sort(key=lambda theme: (-theme.count, theme.label))
    return result
