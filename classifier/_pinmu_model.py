"""What is bought: rank 品目 items (政府采购品目分类目录) for purchase lines, with calibrated scores.

Each item is represented by its name, the terms of its 说明 (``包括电子助视器、助听器、轮椅等`` gives 电子助视器,
助听器, 轮椅) and the labelled 政府采购 lines filed under it. A line is compared with all of them through one
character n-gram TF-IDF product (the same lean transform as the guidance ranking, so a second index costs one
sparse product, not a second pipeline); an item's similarity is its best text's, blended with all its texts
together. A logistic regression, cross-fitted on the labelled lines, turns the similarity, the distance to the
best item and the item's depth into the probability that the item is right (the item itself, or a less
specific ancestor of the right one). ``type_scores`` sums that belief by type: goods, works or services.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from catalog import Pinmu, PinmuItem, code_level, parent_code

from ._content import no_content
from ._data import PinmuLine
from ._errors import NotFittedError
from ._features import FittedTfidf, char_vectorizer, lean_transform
from ._memo import Memo
from ._normalize import normalize
from ._scope import normalize_line

PINMU_FORMAT = 3  # bump when what a fitted PinmuClassifier holds changes: saved checkers then retrain
TYPES_BY_LETTER = {"A": "goods", "B": "works", "C": "services"}
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8_192)  # the 品目 type model and the real-title model read the same lines of a chunk
def type_text(text: str) -> str:
    """What the type model reads: the object of the line with its verbs kept (采购, 施工, 服务), digits folded."""
    from ._scope import purchase_scope

    core = purchase_scope(text).core
    return re.sub(r"\d+", "0", _SPACE.sub("", unicodedata.normalize("NFKC", core)).lower())


# weight of the type model against the items' own types; chosen on procurement_dev and procurement_dev2
# (0.6 and 0.7 tie within a line there; 1.0, the type model alone, was 2 points lower on procurement_dev2)
TYPE_MODEL_WEIGHT = 0.6
WEAK_TEXT_SIMILARITY = 0.05
_TERM_SPLIT = re.compile(r"[、，,；;。：:（）()——\s]+|等(?=[。，、]|$)")
_TERM_LEAD = re.compile(r"^(?:包括|指|含|如|主要包括|其他)")


@dataclass(frozen=True, slots=True)
class PinmuCandidate:
    """A ranked 品目 item with the calibrated probability that it is right."""

    code: str
    name: str
    type: str  # goods | works | services
    score: float


@dataclass(frozen=True, slots=True)
class PinmuRanking:
    """The ranked items for one line, and the belief per type (``{'goods': 0.93, ...}``).

    ``best`` is the best item *of the most likely type*: the type model reads the whole line (采购及安装,
    工程, 服务), the item ranking reads what is named, and a line is filed under an item of its own type.
    """

    candidates: tuple[PinmuCandidate, ...]
    type_scores: dict[str, float]

    @property
    def type(self) -> str | None:
        return max(self.type_scores, key=self.type_scores.get) if self.type_scores else None

    @property
    def best(self) -> PinmuCandidate | None:
        return next(
            (c for c in self.candidates if c.type == self.type), self.candidates[0] if self.candidates else None
        )


# what the 目录 files as a service although a good or a work is named: C23 维修和保养, C18 保险, C… 租赁,
# 印刷 and 清洗 of things; 勘察, 设计, 监理, 造价 and 检测 of works (C11, C20)
_GOODS_SERVICE_WORDS = (
    "维修",
    "维修服务",
    "维保",
    "维护保养",
    "保养",
    "运行维护",
    "租赁",
    "保险",
    "清洗",
    "印刷",
    "检测",
)
_WORKS_SERVICE_WORDS = ("设计", "勘察", "监理", "施工监理", "造价咨询", "检测", "设计服务", "可行性研究")


def work_on_things(items: Sequence[PinmuItem], seed: int = 0) -> list[tuple[str, str]]:
    """Service lines the type model learns from the tree itself: a good's or a work's name with the service
    done on it (``电梯维保``, ``道路工程监理``), one per item, so that the thing named does not outvote the
    service bought.

    >>> from catalog import load_pinmu
    >>> lines = work_on_things(load_pinmu().items)
    >>> {label for _, label in lines}
    {'services'}
    """
    rng = np.random.RandomState(seed)
    out = []
    for item in items:
        if item.level < 3 or item.type == "services":
            continue
        words = _GOODS_SERVICE_WORDS if item.type == "goods" else _WORKS_SERVICE_WORDS
        out.append((item.name + words[rng.randint(len(words))], "services"))
    return out


def description_terms(description: str) -> list[str]:
    """The things a 说明 lists: ``包括电子助视器、助听器、轮椅等。`` -> ``['电子助视器', '助听器', '轮椅']``."""
    out = []
    for part in _TERM_SPLIT.split(description):
        part = _TERM_LEAD.sub("", part.strip("—- "))
        if 2 <= len(part) <= 20:
            out.append(part)
    return out


def _right(candidate: str, gold: Sequence[str]) -> bool:
    """The candidate is a gold item, or a correct but less specific ancestor of one (level 2 or deeper)."""
    for g in gold:
        if candidate == g:
            return True
        current = parent_code(g)
        while current is not None and code_level(current) >= 2:
            if current == candidate:
                return True
            current = parent_code(current)
    return False


class PinmuClassifier:
    """Rank 品目 items for purchase lines.

    >>> from catalog import load_pinmu
    >>> model = PinmuClassifier().fit(load_pinmu(), [])
    >>> model.rank("A4黑白打印机").best.code
    'A02021003'
    """

    def __init__(self, ngram_range: tuple[int, int] = (2, 3), folds: int = 5, top: int = 10, random_state: int = 0):
        self.ngram_range = ngram_range
        self.folds = folds
        self.top = top
        self.random_state = random_state

    def fit(
        self,
        pinmu: Pinmu,
        lines: Sequence[PinmuLine],
        services: Sequence[str] = (),
        titles: Sequence[tuple[str, str]] = (),
    ) -> PinmuClassifier:
        """Learn from the 品目 tree and labelled lines; ``services`` are more lines known to be services (the
        guidance catalog's training lines), so that the type model knows what bought services sound like;
        ``titles`` are real notice titles with their buyer's type (``(text, 'goods')``), so that it knows how real
        lines are worded."""
        items = [i for i in pinmu.items if i.level >= 1]
        self.codes_ = [i.code for i in items]
        self.names_ = [i.name for i in items]
        self.types_ = [i.type for i in items]
        self.levels_ = np.array([i.level for i in items], dtype=np.float32)
        position = {code: k for k, code in enumerate(self.codes_)}
        base = [(normalize(i.name) or i.name, position[i.code]) for i in items]
        base += [(normalize(t) or t, position[i.code]) for i in items for t in description_terms(i.description)]
        examples = [
            (normalize_line(line.text), [position[c] for c in line.codes if c in position], line.codes)
            for line in lines
        ]
        examples = [e for e in examples if e[0] and e[1]]
        rng = np.random.RandomState(self.random_state)
        fold_of = rng.randint(self.folds, size=len(examples))
        rows, labels = [], []
        for k in range(self.folds if len(examples) >= self.folds else 0):
            held = [e for e, f in zip(examples, fold_of, strict=True) if f == k]
            kept = [e for e, f in zip(examples, fold_of, strict=True) if f != k]
            self._build(base + [(t, o) for t, owners, _ in kept for o in owners])
            raw = self._raw([t for t, _, _ in held])
            for r, (_, _, gold) in zip(raw, held, strict=True):
                top = np.argsort(-r, kind="stable")[: self.top]
                rows.append(self._calibration_features(r, top))
                labels.append([_right(self.codes_[j], gold) for j in top])
        self._build(base + [(t, o) for t, owners, _ in examples for o in owners])
        self._fit_types(items, lines, services, titles)
        if rows:
            from sklearn.linear_model import LogisticRegression

            X, y = np.vstack(rows), np.concatenate(labels)
            if len(set(y)) == 2:
                lr = LogisticRegression(C=1.0, max_iter=1000).fit(X, y)
                self.calibration_ = np.r_[lr.coef_.ravel(), lr.intercept_].astype(np.float64)
                return self
        self.calibration_ = np.array([8.0, 6.0, 0.1, -4.0])  # no labelled lines: a plain squashing of similarity
        return self

    def _fit_types(
        self,
        items: list[PinmuItem],
        lines: Sequence[PinmuLine],
        services: Sequence[str],
        titles: Sequence[tuple[str, str]] = (),
    ) -> None:
        """A type model over the whole line (its words say 采购, 工程, 服务, 安装): multinomial logistic regression
        on character n-grams, classes balanced (the tree itself is mostly goods)."""
        from sklearn.linear_model import LogisticRegression

        texts = [type_text(i.name) for i in items if i.level >= 2]
        labels = [i.type for i in items if i.level >= 2]
        for line in lines:
            texts.append(type_text(line.text))
            labels.append(TYPES_BY_LETTER[line.codes[0][0]])
        texts += [type_text(t) for t in services]
        labels += ["services"] * len(services)
        texts += [type_text(t) for t, _ in titles]
        labels += [label for _, label in titles]
        for text, label in work_on_things(items, self.random_state):
            texts.append(type_text(text))
            labels.append(label)
        self.type_tfidf_ = FittedTfidf.fit(char_vectorizer(self.ngram_range), texts)
        X = lean_transform(self.type_tfidf_, texts)
        lr = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced").fit(X, labels)
        self.type_classes_ = [str(c) for c in lr.classes_]
        self.type_coef_ = lr.coef_.T.astype(np.float32)
        self.type_bias_ = lr.intercept_.astype(np.float32)

    def _types_of(self, typed: list[str]) -> np.ndarray:
        """Type probabilities of texts already read by ``type_text``."""
        z = lean_transform(self.type_tfidf_, typed) @ self.type_coef_ + self.type_bias_
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def _build(self, texts: list[tuple[str, int]]) -> None:
        texts = sorted(texts, key=lambda t: t[1])
        self.texts_ = [t for t, _ in texts]
        owner = np.array([o for _, o in texts], dtype=np.intp)
        self.starts_ = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        present = owner[self.starts_]
        self.present_ = present  # items that have at least one text
        self.text_owner_ = owner
        self.tfidf_ = FittedTfidf.fit(char_vectorizer(self.ngram_range), self.texts_)
        self.text_matrix_ = lean_transform(self.tfidf_, self.texts_).T.tocsr()
        docs = [
            " ".join(self.texts_[a:b]) for a, b in zip(self.starts_, [*self.starts_[1:], len(self.texts_)], strict=True)
        ]
        self.doc_matrix_ = lean_transform(self.tfidf_, docs).T.tocsr()

    def _raw(self, queries: list[str]) -> np.ndarray:
        """(n_queries, n_items) similarity: 0.7 × best text + 0.3 × all texts of the item."""
        # character bigrams and trigrams only: the product stays sparse (single characters match everything),
        # so the best text of each item is a scatter-max over the non-zeros, not a dense (lines x texts) array
        q = lean_transform(self.tfidf_, queries)
        products = (q @ self.text_matrix_).tocoo()
        # a text that shares a stray bigram (cosine < 0.05, ~95 % of the non-zeros) cannot lift an item into the
        # top ten: leave it to the whole-item part below, and the scatter-max stays cheap
        strong = products.data >= WEAK_TEXT_SIMILARITY
        best = np.zeros((len(queries), len(self.codes_)), dtype=np.float32)
        np.maximum.at(best, (products.row[strong], self.text_owner_[products.col[strong]]), products.data[strong])
        whole = (q @ self.doc_matrix_).toarray()  # one column per item with a text: small and dense
        best *= 0.7
        if len(self.present_) == best.shape[1]:  # every item has its name at least: no column scatter needed
            whole *= 0.3
            best += whole
        else:
            best[:, self.present_] += 0.3 * whole
        return best

    def _calibration_features(self, raw_row: np.ndarray, top: np.ndarray) -> np.ndarray:
        s = raw_row[top]
        return np.column_stack([s, s - s.max(), self.levels_[top]])

    def _check_fitted(self) -> None:
        if not hasattr(self, "calibration_"):
            raise NotFittedError("品目模型尚未训练")

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_memo", None)  # readings are kept per process, as lines come
        return state

    def rank_many(self, texts: Sequence[str], top_k: int = 5) -> list[PinmuRanking | None]:
        """Rankings for a batch (None for a line with nothing to compare); alike lines are scored once.

        Each line's answer depends on that line only, never on its batch: the items are ranked per normalised
        line and the type is read per type text (the object with its verbs, digits folded), so a sheet gets the
        same answers however it is cut into chunks or partitions.
        """
        self._check_fitted()
        norms = [normalize_line(t or "") for t in texts]
        keys = [(n, type_text(t or "")) if n and not no_content(t) else None for t, n in zip(texts, norms, strict=True)]
        wanted = [(k, top_k) for k in keys if k is not None]
        if not wanted:
            return [None] * len(texts)
        memo = self.__dict__.setdefault("_memo", Memo())
        found = iter(memo.get_many(wanted, self._rank_distinct))
        return [next(found) if k is not None else None for k in keys]

    def _rank_distinct(self, wanted: list[tuple[tuple[str, str], int]]) -> list[PinmuRanking]:
        """Rankings of distinct ``((normalised line, type text), top_k)`` keys: one vectorised pass."""
        distinct = [key for key, _ in wanted]
        top_k = wanted[0][1]
        unique = list(dict.fromkeys(n for n, _ in distinct))
        where = {n: i for i, n in enumerate(unique)}
        rows_of = np.array([where[n] for n, _ in distinct], dtype=np.intp)
        raw = self._raw(unique)[rows_of]
        type_probs = self._types_of([t for _, t in distinct])
        a, b, c, d = self.calibration_
        # one vectorised pass over the batch: the top items per line, their calibrated scores, the likely type
        width = min(self.top, raw.shape[1])
        top = np.argpartition(-raw, width - 1, axis=1)[:, :width]
        order = np.argsort(-np.take_along_axis(raw, top, axis=1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        s = np.take_along_axis(raw, top, axis=1)
        p = 1.0 / (1.0 + np.exp(-(a * s + b * (s - s[:, :1]) + c * self.levels_[top] + d)))
        p = p / np.maximum(1.0, p.sum(axis=1, keepdims=True))  # at most one item is right: share the belief
        class_of_item = self._item_classes()
        type_probs = self._blend_types(type_probs, p, class_of_item[top])
        kinds = type_probs.argmax(axis=1)
        same = class_of_item[top] == kinds[:, None]
        typed = np.where(same.any(axis=1), same.argmax(axis=1), -1)
        keep_n = min(top_k, width)
        classes = self.type_classes_
        done: dict[tuple[str, str], PinmuRanking] = {}
        for i, key in enumerate(distinct):
            keep = list(range(keep_n))
            if typed[i] >= keep_n:  # the best item of the likely type is always listed
                keep.append(int(typed[i]))
            row, scores = top[i], p[i]
            candidates = tuple(
                PinmuCandidate(
                    self.codes_[row[k]], self.names_[row[k]], self.types_[row[k]], round(float(scores[k]), 4)
                )
                for k in keep
            )
            done[key] = PinmuRanking(
                candidates, {cls: round(float(v), 4) for cls, v in zip(classes, type_probs[i], strict=True)}
            )
        return [done[key] for key in distinct]

    @staticmethod
    def _blend_types(type_probs: np.ndarray, item_scores: np.ndarray, item_classes: np.ndarray) -> np.ndarray:
        """Belief per type: the type model's, blended with the types of the items the line matches (a short
        line such as ``财务收支审计`` names its item better than its verbs name its type)."""
        evidence = np.column_stack(
            [(item_scores * (item_classes == k)).sum(axis=1) for k in range(type_probs.shape[1])]
        )
        total = evidence.sum(axis=1, keepdims=True)
        evidence = np.where(total > 0, evidence / np.where(total > 0, total, 1.0), 1.0 / type_probs.shape[1])
        return TYPE_MODEL_WEIGHT * type_probs + (1.0 - TYPE_MODEL_WEIGHT) * evidence

    def _item_classes(self) -> np.ndarray:
        """Per item, the index of its type among ``type_classes_`` (computed once, kept on the model)."""
        cached = getattr(self, "_item_classes_cache", None)
        if cached is None:
            index = {cls: k for k, cls in enumerate(self.type_classes_)}
            cached = np.array([index.get(t, -1) for t in self.types_], dtype=np.intp)
            self._item_classes_cache = cached
        return cached

    def rank(self, text: str, top_k: int = 5) -> PinmuRanking | None:
        return self.rank_many([text], top_k=top_k)[0]


def item_label(item: PinmuItem | PinmuCandidate) -> str:
    """``A02021003 A4黑白打印机（货物）``: how reasons name a 品目."""
    return f"{item.code} {item.name}（{ {'goods': '货物', 'works': '工程', 'services': '服务'}[item.type] }）"


@dataclass(frozen=True, slots=True)
class PinmuEvaluation:
    """How the 品目 ranking does on labelled lines: the type of the best item, and the item itself."""

    total: int
    type_right: int
    code_right: int  # the best item is a gold item or a correct, less specific ancestor (level 2 or deeper)
    exact_right: int  # the best item is a gold item

    @property
    def type_accuracy(self) -> float:
        return self.type_right / self.total if self.total else 0.0

    @property
    def code_accuracy(self) -> float:
        return self.code_right / self.total if self.total else 0.0

    @property
    def exact_accuracy(self) -> float:
        return self.exact_right / self.total if self.total else 0.0


def evaluate_pinmu(model: PinmuClassifier, lines: Sequence[PinmuLine]) -> PinmuEvaluation:
    """Type and code accuracy of the best item (``PinmuRanking.best``) on labelled lines."""
    rankings = model.rank_many([line.text for line in lines])
    type_right = code_right = exact_right = 0
    for line, ranking in zip(lines, rankings, strict=True):
        best = ranking.best if ranking is not None else None
        if best is None:
            continue
        type_right += best.type == TYPES_BY_LETTER[line.codes[0][0]]
        code_right += _right(best.code, line.codes)
        exact_right += best.code in line.codes
    return PinmuEvaluation(len(lines), type_right, code_right, exact_right)
