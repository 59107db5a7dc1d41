"""Group free-text answers into themes: a pure function, no database, no network.

TF-IDF over character n-grams inside word boundaries (`char_wb`, 2–4 characters), as in
`suggest.py`: no tokenizer, stemmer or model to download, so the same code works in the six
official languages, Chinese and Arabic included. MiniBatchKMeans then splits the answers into
k = round(sqrt(n / 2)) themes, at most 12 (the rule of thumb for k, capped for a readable page).
The vectors are L2-normalised, so k-means groups by cosine similarity.

A theme is labelled by its most distinctive word n-grams (words of two letters or more, which
works for scripts that put spaces between words); when the words say nothing (Chinese, or too
few shared words), by the first words of its most central answer.
"""

import math
import re
import unicodedata
from dataclasses import dataclass

MAX_THEMES = 12
EXAMPLES = 3
LABEL_TERMS = 3
LABEL_WORDS = 8

# Function words of the Latin- and Cyrillic-script official languages, left out of labels only.
STOP_WORDS = frozenset(
    """a an and are as at be but by for from had has have i in is it its of on or so that the their there they this to too
    was we were what when which who with our us not no very more some all
    can could may might must shall should will would do does did how why if into about any one
    au aux avec ce ces dans de des du elle en est et il ils la le les leur mais ne nous on ou par pas plus pour qu que qui
    sa se ses son sur un une très été été
    al como con de del el en es esta fue la las lo los más no nos para pero por que se su sus un una muy y
    в и не на что с по как это был была были было но из за для к о от мы они у то же очень все""".split()
)

_WORD = re.compile(r"(?u)\b[^\W\d_]{2,}\b")


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


def _word_label(member_docs: list[str], words_matrix, vocabulary, rows, global_rate) -> str:
    """The theme's distinctive word n-grams: frequent in the theme, rarer elsewhere."""
    import numpy as np  # see themes()

    if words_matrix is None:
        return ""
    present = (words_matrix[rows] > 0).mean(axis=0).A1  # share of the theme's answers with each term
    lift = present - global_rate
    order = np.argsort(-lift)
    picked: list[str] = []
    for index in order[: LABEL_TERMS * 10]:
        term = vocabulary[index]
        # Shared by at least a fifth of the theme (and by two answers), and not a sub-phrase of one kept.
        if present[index] < 0.2 or present[index] * len(rows) < 2 or lift[index] <= 0:
            break
        if any(term in kept or kept in term for kept in picked):
            continue
        picked.append(term)
        if len(picked) == LABEL_TERMS:
            break
    return " · ".join(picked)


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
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

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
    words = CountVectorizer(token_pattern=_WORD.pattern, ngram_range=(1, 2), min_df=2, binary=True, stop_words=list(STOP_WORDS))
    try:
        words_matrix = words.fit_transform(normalized).tocsr()
        vocabulary = words.get_feature_names_out()
        global_rate = (words_matrix > 0).mean(axis=0).A1
    except ValueError:  # no word shared by two answers
        words_matrix, vocabulary, global_rate = None, None, None
    result = []
    for cluster in range(centers.shape[0]):
        rows = np.flatnonzero(labels == cluster)
        if not len(rows):
            continue
        scores = matrix[rows] @ centers[cluster].T
        ranked = [answers[rows[i]] for i in np.argsort(-np.asarray(scores).ravel())]
        label = _word_label([normalized[i] for i in rows], words_matrix, vocabulary, rows, global_rate) or _first_words(ranked[0])
        result.append(Theme(label, len(rows), tuple(dict.fromkeys(ranked))[:examples]))
    result.sort(key=lambda theme: (-theme.count, theme.label))
    return result
