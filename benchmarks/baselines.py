"""The matchers a user would pick instead of gpsc, each ranking catalog leaves by one similarity:
(a) rapidfuzz alone over leaf names, (b) character n-gram TF-IDF cosine, (c) jieba word TF-IDF cosine.
Each is restricted to the buyer's section when a department is given, like gpsc."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from sklearn.feature_extraction.text import TfidfVectorizer

from catalog import Catalog, CatalogError
from classifier import char_vectorizer, normalize, word_vectorizer


@dataclass
class Baseline:
    """Scores (lines x leaves) in [0, 1] from one similarity; ``rank`` applies the section restriction."""

    name: str
    keys: list[str]
    departments: list[str]

    def scores(self, queries: list[str]) -> np.ndarray:
        raise NotImplementedError

    def rank(
        self, texts: list[str], departments: list[str | None], top_k: int = 3
    ) -> tuple[list[list[str]], list[float]]:
        """Top-k leaf keys and the best score for each line."""
        scores = self.scores([normalize(t) or t for t in texts])
        leaf_department = np.array(self.departments)
        ranked, best = [], []
        for row, department in enumerate(departments):
            allowed = np.flatnonzero(leaf_department == department) if department else np.arange(len(self.keys))
            order = allowed[np.argsort(-scores[row, allowed], kind="stable")[:top_k]]
            ranked.append([self.keys[i] for i in order])
            best.append(float(scores[row, order[0]]) if len(order) else 0.0)
        return ranked, best


class FuzzyBaseline(Baseline):
    """Best of WRatio, token_set_ratio and partial_ratio against each leaf name."""

    def __init__(self, catalog: Catalog) -> None:
        leaves = catalog.leaves()
        super().__init__("rapidfuzz", [f"{x.department}/{x.code}" for x in leaves], [x.department for x in leaves])
        self.names = [normalize(x.name) for x in leaves]

    def scores(self, queries: list[str]) -> np.ndarray:
        best = None
        for scorer in (fuzz.WRatio, fuzz.token_set_ratio, fuzz.partial_ratio):
            s = cdist(queries, self.names, scorer=scorer, dtype=np.float32, workers=-1)
            best = s if best is None else np.maximum(best, s)
        return best / 100.0


class TfidfBaseline(Baseline):
    """Cosine between the line and each leaf name in one TF-IDF space."""

    def __init__(self, catalog: Catalog, name: str, vectorizer: TfidfVectorizer) -> None:
        leaves = catalog.leaves()
        super().__init__(name, [f"{x.department}/{x.code}" for x in leaves], [x.department for x in leaves])
        self.vectorizer = vectorizer.fit([normalize(x.name) for x in leaves])
        self.matrix = self.vectorizer.transform([normalize(x.name) for x in leaves]).T.tocsr()

    def scores(self, queries: list[str]) -> np.ndarray:
        return (self.vectorizer.transform(queries) @ self.matrix).toarray()


def char_tfidf(catalog: Catalog) -> TfidfBaseline:
    """The plain character TF-IDF nearest-neighbour matcher every gpsc rate is also given against."""
    return TfidfBaseline(catalog, "char TF-IDF", char_vectorizer((1, 3)))


def section_resolver(catalog: Catalog) -> Callable[[str | None], str | None]:
    """Department as written (``柳林县民政局``) -> its section title, cached per name, or None: the baselines
    restrict to sections by title, so they get the same buyer resolution gpsc does."""
    titles: dict[str, str | None] = {}

    def resolve(name: str | None) -> str | None:
        if not name:
            return None
        if name not in titles:
            try:
                titles[name] = catalog.section(name).title
            except CatalogError:
                titles[name] = None
        return titles[name]

    return resolve


def all_baselines(catalog: Catalog) -> list[Baseline]:
    return [
        FuzzyBaseline(catalog),
        char_tfidf(catalog),
        TfidfBaseline(catalog, "word TF-IDF", word_vectorizer()),
    ]
