"""Goods, works or service as real notice titles word it (one of the readings the type decision weighs).

The 品目 ranking knows the catalogue's names and lines written for it; real titles are worded otherwise (``…校方责任险
采购项目``, ``…等级保护测评``). This small model learns the buyers' own types from real titles only, so the type
decision can weigh how real lines are written beside what the catalogue names.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._features import FittedTfidf, char_vectorizer, lean_transform
from ._pinmu_model import type_text

TYPES = ("goods", "works", "services")


class RealTypeModel:
    """Goods, works or service from how real notice titles are worded: character n-gram TF-IDF and a logistic
    regression on the object of real titles (``type_text``), the buyers' own types as labels."""

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> RealTypeModel:
        from sklearn.linear_model import LogisticRegression

        typed = [type_text(t) for t in texts]
        self.tfidf_ = FittedTfidf.fit(char_vectorizer((1, 3)), typed)
        lr = LogisticRegression(C=4.0, max_iter=2000).fit(lean_transform(self.tfidf_, typed), list(labels))
        order = [list(lr.classes_).index(t) for t in TYPES]
        self.coef_ = np.ascontiguousarray(lr.coef_[order].T, dtype=np.float32)  # a transposed copy: 100 µs a product
        self.bias_ = lr.intercept_[order].astype(np.float32)
        return self

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if hasattr(self, "coef_"):
            self.coef_ = np.ascontiguousarray(self.coef_)  # scipy would copy a Fortran-ordered one on every product

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        z = lean_transform(self.tfidf_, [type_text(t) for t in texts]) @ self.coef_ + self.bias_
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)
