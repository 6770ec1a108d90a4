"""The gpsc classifier: purchase line -> ranked catalog leaves with calibrated scores.

Follows scikit-learn's contract: ``__init__`` stores parameters, ``fit`` learns the trailing-underscore
attributes and returns ``self``, prediction checks that the model is fitted.

Scoring: similarity features (``_features``) for every (line, leaf) pair are combined by a logistic
regression fitted on training lines. To keep the combiner honest it is *cross-fitted*: the features
of a training line are computed against an index built without that line's fold, as they will be for
unseen lines. The final index then uses all lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np

from catalog import Catalog, CatalogError

from ._content import NO_CONTENT_MESSAGE, no_content
from ._data import Alias, LabeledLine
from ._errors import EmptyTextError, NotFittedError
from ._features import FEATURE_NAMES, LeafIndex, LeafTexts, Similarities
from ._memo import Memo
from ._normalize import fold, normalize
from ._results import Candidate, Classification, PartialCode
from ._scope import normalize_line
from ._tokenize import add_terms, catalog_terms, tokenize

MAX_LINE_CHARS = 2000  # one purchase line; a longer text is that line's error, the rest of the batch goes on
# leaves a line is scored against when no buyer is known (two-stage ranking): on realistic lines the best 100 by
# character similarity held the full ranking's top-5 (benchmarks/README.md)
CANDIDATES = 100
BATCH = 2000  # lines scored together: (features x lines x leaves) float32 stays under ~100 MB
# Words that nearly every purchase line or leaf has: sharing only these is no evidence of a match
# (机关食堂外包服务 and 机关党的工作宣传服务 share 机关 and 服务, nothing of what is bought).
GENERIC_WORDS = frozenset(
    [
        "服务",
        "管理",
        "工作",
        "机关",
        "项目",
        "开展",
        "运营",
        "运行",
        "运维",
        "第三方",
        "公共",
        "社会",
        "中心",
        "委托",
        "外包",
        "购买",
        "提供",
        "相关",
        "专项",
        "活动",
        "实施",
        "综合",
        "事务",
        "单位",
        "机构",
        "部门",
        "业务",
        "日常",
        "全县",
        "县级",
        "市级",
        "省级",
        "年度",
        "支持",
        "保障",
        "技术",
        "建设",
        "体系",
        "组织",
        "人员",
    ]
)


def is_generic(word: str) -> bool:
    """Whether a word says nothing of what is bought: a generic word, or one made only of them (jieba keeps
    ``管理服务`` and ``技术服务`` whole, and 物业管理服务 shares nothing more with 卫生健康行业质量管理服务).

    >>> is_generic("管理服务"), is_generic("物业管理"), is_generic("服务")
    (True, False, True)
    """
    ends = {0}
    for end in range(1, len(word) + 1):
        if any(start in ends and word[start:end] in GENERIC_WORDS for start in range(end - 1)):
            ends.add(end)
    return len(word) in ends


def add_gaps(raw: np.ndarray) -> np.ndarray:
    """Append how far each leaf is behind the best leaf *of the same candidate set* (last axis)."""
    best_char, doc_word = raw[0], raw[3]
    gaps = np.stack(
        [best_char - best_char.max(axis=-1, keepdims=True), doc_word - doc_word.max(axis=-1, keepdims=True)]
    )
    return np.concatenate([raw, gaps])


def _distinctive_overlap(
    line: str, leaf_text: str, section: str = "", buyer_words: frozenset[str] = frozenset(), leaf_words=None
) -> tuple[str, ...]:
    """Words of either side found inside the other, generic words aside: the evidence a match rests on.

    Substrings rather than equal tokens, because jieba cuts the two sides differently
    (``禁毒宣传服务`` -> 禁毒 宣传 服务, ``社区禁毒服务`` -> 社区禁毒 服务): ``禁毒`` is shared all the same.
    ``leaf_words`` are the leaf side's distinctive words when the caller already has them (they are the same
    for every line).
    """
    found = [w for w in tokenize(line) if _distinctive(w, section, buyer_words) and w in leaf_text]
    if leaf_words is None:
        leaf_words = [w for w in dict.fromkeys(tokenize(leaf_text)) if _distinctive(w, section, buyer_words)]
    found += [w for w in leaf_words if w in line]
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=100_000)
def _distinctive(word: str, section: str, buyer_words: frozenset[str]) -> bool:
    # the section's own name (卫生健康, 人力资源) says who buys, not what: 涉医舆情监测 is no 卫生健康行业标准制定
    if len(word) < 2 or is_generic(word) or word in section:
        return False
    return word.lstrip("省市县区") not in buyer_words  # 县政协, 人大: who buys, not what


class GpscClassifier:
    """Rank catalog leaves for purchase lines.

    >>> from classifier import get_model
    >>> model = get_model()  # GpscClassifier().fit(catalog, bundled_training(catalog), bundled_aliases()), cached
    >>> model.classify("社工站运营", department="县民政局").best.code
    'A100301'
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 3),
        folds: int = 5,
        C: float = 1.0,
        global_negatives: int = 30,
        shortcut_score: float = 0.97,
        elsewhere_margin: float = 0.15,
        partial_ratio: float = 0.5,  # 0.6 before the calibration read the leader's lead (it widens the ratio)
        random_state: int = 0,
    ) -> None:
        self.ngram_range = ngram_range
        self.folds = folds
        self.C = C
        self.global_negatives = global_negatives
        self.shortcut_score = shortcut_score
        self.elsewhere_margin = elsewhere_margin
        self.partial_ratio = partial_ratio
        self.random_state = random_state

    # ---------------------------------------------------------------- fit
    def fit(
        self,
        catalog: Catalog,
        lines: Sequence[LabeledLine],
        aliases: Iterable[Alias] = (),
        no_leaf: Sequence[LabeledLine] = (),
    ) -> GpscClassifier:
        """Learn from ``lines`` (each with its gold leaves) and ``aliases``.

        ``no_leaf`` are services that have no right leaf in their buyer's section (out of the catalog, or only
        in another section's): scored against that section and the whole catalog with every label false, they
        teach the combiner and the calibration what a topical but wrong match looks like.
        """
        leaves = catalog.leaves()
        self.catalog_hash_ = catalog.content_hash
        self.catalog_ = catalog
        self.leaf_keys_ = [(leaf.department, leaf.code) for leaf in leaves]
        position = {key: i for i, key in enumerate(self.leaf_keys_)}
        self.leaf_names_ = [leaf.name for leaf in leaves]
        self.leaf_paths_ = [tuple((n.code, n.name) for n in catalog.path(leaf)) for leaf in leaves]
        section_paths = [catalog.path(leaf) for leaf in leaves]
        self.sections_ = list(catalog.departments())
        self.section_columns_ = {
            title: np.array([i for i, (d, _) in enumerate(self.leaf_keys_) if d == title], dtype=np.intp)
            for title in self.sections_
        }
        aliases = list(aliases)
        self.terms_ = sorted(catalog_terms(catalog, aliases))  # kept whole by the tokenizer, here and on load
        add_terms(self.terms_)
        self.aliases_: dict[str, list[int]] = defaultdict(list)
        for alias in aliases:
            self.aliases_[fold(normalize(alias.alias))].append(position[alias.leaf])
        self.exact_: dict[str, list[int]] = defaultdict(list)
        for i, name in enumerate(self.leaf_names_):
            self.exact_[fold(normalize(name))].append(i)

        base_texts = [normalize(name) for name in self.leaf_names_] + [normalize(a.alias) for a in aliases]
        base_owner = list(range(len(leaves))) + [position[a.leaf] for a in aliases]
        section_number = {title: k for k, title in enumerate(self.sections_)}
        leaf_section = np.array([section_number[d] for d, _ in self.leaf_keys_], dtype=np.intp)
        keywords = self._buyer_keywords(catalog, section_number)
        level3 = [normalize(p[2].section_name) for p in section_paths]
        level2 = [normalize(p[1].section_name) for p in section_paths]
        # a buyer without a section of its own (kept as written in the data) trains like a line without one
        examples = [
            (normalize_line(line.text), [position[g] for g in line.gold], line.department)
            if line.department in self.section_columns_
            else (normalize_line(line.text), [position[g] for g in line.gold], None)
            for line in lines
        ]
        examples = [e for e in examples if e[0]]

        def index_for(rows: list[tuple[str, list[int], str | None]]) -> LeafIndex:
            texts = base_texts + [text for text, gold, _ in rows for _ in gold]
            owner = base_owner + [g for _, gold, _ in rows for g in gold]
            leaf_texts = LeafTexts(self.leaf_names_, level3, level2, texts, np.array(owner), leaf_section, keywords)
            return LeafIndex(leaf_texts, self.ngram_range)

        fold_of = np.random.RandomState(self.random_state).randint(self.folds, size=len(examples))
        rng = np.random.RandomState(self.random_state + 1)
        groups: list[tuple[np.ndarray, np.ndarray, bool]] = []  # (features, labels, restricted to a section)
        for k in range(self.folds if examples else 0):
            held = [e for e, f in zip(examples, fold_of, strict=True) if f == k]
            if not held:
                continue
            kept = [e for e, f in zip(examples, fold_of, strict=True) if f != k]
            raw, _ = index_for(kept).features([text for text, _, _ in held])
            for i, (_, gold, department) in enumerate(held):
                for columns, restricted in self._training_sets(raw[:, i, :], gold, department, rng):
                    groups.append((add_gaps(raw[:, i, columns]).T, np.isin(columns, gold), restricted))
        self.index_ = index_for(examples)
        no_leaf = [line for line in no_leaf if normalize_line(line.text)]
        if no_leaf and groups:
            raw, _ = self.index_.features([normalize_line(line.text) for line in no_leaf])
            for i, line in enumerate(no_leaf):
                department = line.department if line.department in self.section_columns_ else None
                for columns, restricted in self._training_sets(raw[:, i, :], [], department, rng)[:2]:
                    groups.append((add_gaps(raw[:, i, columns]).T, np.zeros(len(columns), dtype=bool), restricted))
        if groups:
            X = np.vstack([g[0] for g in groups])
            y = np.concatenate([g[1] for g in groups])
            from sklearn.linear_model import LogisticRegression  # fitting only: serving needs just the weights

            combiner = LogisticRegression(C=self.C, max_iter=1000).fit(X, y)
            self.weights_ = combiner.coef_.ravel().astype(np.float32)
            self.bias_ = float(combiner.intercept_[0])
            self._fit_calibration(groups)
        else:  # no training lines: an even blend of the similarities, uncalibrated
            self.weights_ = np.array([2, 1, 1, 1, 1, 0.5, 0.25, 0.5, 1, 2, 1], dtype=np.float32)
            self.bias_ = -4.0
            self.calibration_ = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
        self.feature_names_ = FEATURE_NAMES
        # each leaf's distinctive words, once at fit: the evidence check reads them for every line's best leaf
        self.__dict__.pop("_leaf_evidence_cache", None)
        self.leaf_evidence_ = [self._leaf_evidence(leaf) for leaf in range(len(self.leaf_keys_))]
        return self

    def _fit_calibration(self, groups: list[tuple[np.ndarray, np.ndarray, bool]]) -> None:
        """Turn pair scores into the probability that a candidate is the right leaf.

        The combiner scores each (line, leaf) pair on its own; whether the top leaf is right also
        depends on how far ahead of the others it is. A small logistic regression over the
        cross-fitted top candidates (logit, distance to the best logit, the leader's lead over the next leaf,
        department given) learns that: a leaf far ahead of the next is a match even at a modest logit.
        """
        rows, labels = [], []
        for features, gold, restricted in groups:
            z = features @ self.weights_ + self.bias_
            top = np.argsort(-z, kind="stable")[:5]
            rows.append(
                np.column_stack([z[top], z[top] - z.max(), _lead(z)[top], np.full(len(top), float(restricted))])
            )
            labels.append(gold[top])
        from sklearn.linear_model import LogisticRegression

        calibrator = LogisticRegression(C=1.0, max_iter=1000).fit(np.vstack(rows), np.concatenate(labels))
        self.calibration_ = np.r_[calibrator.coef_.ravel(), calibrator.intercept_]

    @staticmethod
    def _buyer_keywords(catalog: Catalog, section_number: dict[str, int]) -> dict[str, int]:
        """Department words that identify the buyer when a line contains them (人大, 纪委, 团委).

        A word that also names the *subject* of other sections' services (宣传, 教育, 应急) says
        nothing about who buys, so only words absent from every other section's leaf names are kept.
        """
        names_by_section: dict[str, str] = defaultdict(str)
        for leaf in catalog.leaves():
            names_by_section[leaf.department] += leaf.name + "|"
        keywords = {}
        for word, title in catalog.department_keywords().items():
            word = normalize(word)
            if len(word) >= 2 and not any(word in text for t, text in names_by_section.items() if t != title):
                keywords[word] = section_number[title]
        return keywords

    def _training_sets(
        self, raw: np.ndarray, gold: list[int], department: str | None, rng: np.random.RandomState
    ) -> list[tuple[np.ndarray, bool]]:
        """Candidate sets a training line is scored against: its own section, the global top-N, and a foreign
        section that has no leaf for it.

        The foreign section is what a buyer asking about another department's service looks like (12345热线外包
        from 民政): within a section the best leaf always leads the others, and only lines where *no* leaf is
        right teach the calibration that leading a small section is not the same as being right.
        """
        sets = []
        if department is not None:
            sets.append((self.section_columns_[department], True))
        top = np.argsort(-raw[0], kind="stable")[: self.global_negatives]
        sets.append((np.union1d(top, np.asarray(gold, dtype=np.intp)), False))
        gold_level3 = {self.leaf_paths_[g][2][1] for g in gold} | {self.leaf_names_[g] for g in gold}
        for _ in range(3):  # a section that also lists this kind of service is no foreign section
            title = self.sections_[rng.randint(len(self.sections_))]
            columns = self.section_columns_[title]
            if title != department and not any(
                self.leaf_paths_[c][2][1] in gold_level3 or self.leaf_names_[c] in gold_level3 for c in columns
            ):
                sets.append((columns, True))
                break
        return sets

    # ------------------------------------------------------------ predict
    def _check_fitted(self) -> None:
        if not hasattr(self, "index_"):
            raise NotFittedError("模型尚未训练：请先运行 gpsc train")

    def _score(self, raw: np.ndarray, restricted: bool) -> np.ndarray:
        """Calibrated probabilities over the last axis (the candidate set the features were computed on).

        The same linear model as ``add_gaps`` + weights, computed in place without building the
        gap features, because bulk tagging runs this on (n_lines, n_leaves) arrays.
        """
        w = self.weights_
        n_raw = raw.shape[0]
        z = np.tensordot(w[:n_raw], raw, axes=(0, 0))
        z += w[n_raw] * (raw[0] - raw[0].max(axis=-1, keepdims=True))
        z += w[n_raw + 1] * (raw[3] - raw[3].max(axis=-1, keepdims=True))
        z += self.bias_
        a, b, lead, c, d = self.calibration_
        z = a * z + b * (z - z.max(axis=-1, keepdims=True)) + lead * _lead(z) + (c * float(restricted) + d)
        p = 1.0 / (1.0 + np.exp(-z))
        # At most one leaf is right: when several look likely, share the belief instead of claiming it twice.
        return p / np.maximum(1.0, p.sum(axis=-1, keepdims=True))

    def classify(self, text: str, department: str | None = None, top_k: int = 5) -> Classification:
        """Ranked leaves for one line; raises EmptyTextError or UnknownDepartmentError on bad input.

        ``model.classify("12345热线外包", "审批局").best.key`` -> ``'行政审批/A180701'``
        """
        if not text or not text.strip():
            raise EmptyTextError("采购内容为空")
        if department is not None and department.strip():
            self.catalog_.section(department)  # raises UnknownDepartmentError with suggestions
        (result,) = self.classify_many([text], [department], top_k=top_k, explain=True)
        if result.error:
            raise EmptyTextError(result.error)
        return result

    def classify_many(
        self,
        texts: Sequence[str],
        departments: Sequence[str | None] | None = None,
        top_k: int = 5,
        explain: bool = False,
    ) -> list[Classification]:
        """Vectorised ``classify`` for a batch; a bad line gets ``error`` set instead of stopping the batch.

        Large batches are scored ``BATCH`` lines at a time, so the feature arrays stay small whatever
        the input size (the results themselves are kept: stream a sheet chunk by chunk to bound memory).
        """
        self._check_fitted()
        departments = list(departments) if departments is not None else [None] * len(texts)
        if len(departments) != len(texts):
            raise ValueError("texts and departments differ in length")
        if len(texts) > BATCH:
            out: list[Classification] = []
            for start in range(0, len(texts), BATCH):
                part = slice(start, start + BATCH)
                out += self.classify_many(texts[part], departments[part], top_k=top_k, explain=explain)
            return out
        results: list[Classification | None] = [None] * len(texts)
        resolved: dict[str, str | Exception] = {}
        norms = [normalize_line(t or "") if len(t or "") <= MAX_LINE_CHARS else "" for t in texts]
        valid = []
        for i, (text, norm, department) in enumerate(zip(texts, norms, departments, strict=True)):
            if len(text or "") > MAX_LINE_CHARS:
                problem = f"文字过长（{len(text)} 字），一行最多 {MAX_LINE_CHARS} 字"
                results[i] = Classification(text, "", None, (), error=problem)
                continue
            title = None
            if department is not None and str(department).strip():
                key = str(department)
                if key not in resolved:
                    try:
                        resolved[key] = self.catalog_.section(key).title
                    except CatalogError as error:
                        resolved[key] = error
                if isinstance(resolved[key], Exception):
                    results[i] = Classification(text or "", norm, None, (), error=str(resolved[key]))
                    continue
                title = resolved[key]
            if not norm or no_content(text):
                problem = (
                    "采购内容为空"
                    if not (text or "").strip()
                    else NO_CONTENT_MESSAGE
                    if no_content(text)
                    else "去掉年份、地名和数字后没有可判断的内容"
                )
                results[i] = Classification(text or "", norm, title, (), error=problem)
                continue
            valid.append((i, title))
        if valid:
            # Lines that normalise alike (2025年度X / 2026年X) are read once, in this batch or an earlier one
            keys = [(norms[i], title, top_k, explain) for i, title in valid]
            memo = self.__dict__.setdefault("_memo", Memo())
            for (i, _), found in zip(valid, memo.get_many(keys, self._classify_distinct), strict=True):
                results[i] = found if found.text == texts[i] else replace(found, text=texts[i])
        return results  # type: ignore[return-value]

    def _classify_distinct(self, keys: list[tuple[str, str | None, int, bool]]) -> list[Classification]:
        """Classifications of distinct ``(normalised line, section, top_k, explain)`` keys, the text being the
        normalised line (``classify_many`` puts each row's own text back)."""
        unique: dict[str, int] = {}
        for norm, *_ in keys:
            unique.setdefault(norm, len(unique))
        queries = list(unique)
        sims = self.index_.similarities(queries)
        everyone = np.arange(len(queries))
        # two stages: every line against its CANDIDATES global leaves most like it (and the leaves its text
        # names exactly), then its section's leaves when a buyer is known; the combiner scores only those
        candidates = self._candidates(sims, queries)
        global_scores = self._score(self.index_.gather(sims, everyone, candidates), restricted=False)
        by_section: dict[str | None, list[int]] = defaultdict(list)
        for k, (_, title, *_) in enumerate(keys):
            by_section[title].append(k)
        out: list[Classification | None] = [None] * len(keys)
        for title, rows in by_section.items():
            members = np.array(sorted({unique[keys[k][0]] for k in rows}), dtype=np.intp)
            where = {int(u): j for j, u in enumerate(members)}
            if title is not None:
                columns = self.section_columns_[title]
                picked = self.index_.gather(sims, members, np.broadcast_to(columns, (len(members), len(columns))))
                scores = self._score(picked, restricted=True)
            for k in rows:
                norm, _, top_k, explain = keys[k]
                u = unique[norm]
                out[k] = self._result(
                    norm,
                    norm,
                    title,
                    global_scores[u] if title is None else scores[where[u]],
                    candidates[u] if title is None else columns,
                    (candidates[u], global_scores[u]),
                    top_k,
                    sims.texts_char[u],
                    explain,
                )
        return out  # type: ignore[return-value]

    def _candidates(self, sims: Similarities, queries: list[str]) -> np.ndarray:
        """(n, CANDIDATES) leaf ids per query: the leaves whose texts, joined, are most like it (character
        TF-IDF cosine), with any leaf its text names exactly (name or alias) put in place of the weakest."""
        docs = sims.docs_char
        width = min(CANDIDATES, docs.shape[1])
        top = np.argpartition(-docs, width - 1, axis=1)[:, :width] if width < docs.shape[1] else None
        if top is None:
            top = np.broadcast_to(np.arange(docs.shape[1]), docs.shape).copy()
        top = np.take_along_axis(top, np.argsort(-np.take_along_axis(docs, top, axis=1), axis=1, kind="stable"), 1)
        for row, query in enumerate(queries):
            key = fold(query)
            named = [h for h in (*self.exact_.get(key, ()), *self.aliases_.get(key, ())) if h not in top[row]]
            for k, leaf in enumerate(dict.fromkeys(named)):
                top[row, width - 1 - k] = leaf
        return top

    def _result(
        self,
        text: str,
        norm: str,
        title: str | None,
        scores: np.ndarray,
        columns: np.ndarray,
        global_scores: tuple[np.ndarray, np.ndarray],
        top_k: int,
        similarities: np.ndarray,
        explain: bool,
    ) -> Classification:
        """Ranked candidates for one line; ``explain`` asks for evidence strings on every candidate.

        The best candidate always gets ``shared``: the checker trusts no match that shares only generic words.
        """
        leaf_ids = columns
        scores = scores.astype(np.float64).copy()
        shortcut = None
        hits = [h for h in self.exact_.get(fold(norm), []) if title is None or self.leaf_keys_[h][0] == title]
        kind = "exact"
        if not hits:
            hits = [h for h in self.aliases_.get(fold(norm), []) if title is None or self.leaf_keys_[h][0] == title]
            kind = "alias"
        if hits:
            shortcut = kind
            position = {leaf: j for j, leaf in enumerate(leaf_ids)}
            exact = [position[h] for h in hits]
            scores[exact] = np.maximum(scores[exact], self.shortcut_score / len(exact))
            others = np.ones(len(scores), dtype=bool)
            others[exact] = False
            room, rest = 1.0 - scores[exact].sum(), scores[others].sum()
            if rest > room > 0:  # the shortcut's belief comes out of the others', so the total stays <= 1
                scores[others] *= room / rest
        k = min(top_k, len(leaf_ids))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(leaf_ids) else np.arange(len(leaf_ids))
        top = top[np.argsort(-scores[top], kind="stable")]
        chosen = [int(leaf_ids[j]) for j in top]
        closest = self.index_.best_texts(similarities, chosen if explain else chosen[:1])
        closest += [None] * (len(chosen) - len(closest))
        candidates = tuple(
            self._candidate(
                leaf,
                float(scores[j]),
                norm,
                closest_text,
                shortcut if leaf in hits else None,
                explain=explain or rank == 0,
            )
            for rank, (leaf, j, closest_text) in enumerate(zip(chosen, top, closest, strict=True))
        )
        return Classification(
            text,
            norm,
            title,
            candidates,
            shortcut=shortcut,
            partial=self._partial(candidates, scores, leaf_ids) if not shortcut else None,
            elsewhere=self._elsewhere(title, global_scores, norm, similarities, explain),
        )

    def _candidate(
        self, leaf: int, score: float, norm: str, closest: str | None, shortcut: str | None, *, explain: bool = True
    ) -> Candidate:
        department, code = self.leaf_keys_[leaf]
        evidence: list[str] = []
        shared_words: tuple[str, ...] | None = None
        if shortcut:
            evidence.append(f"{'目录名称' if shortcut == 'exact' else '常用说法'}完全一致：{norm}")
        if closest is not None:
            known, words = self._leaf_evidence(leaf)
            shared_words = _distinctive_overlap(norm, known, department, self._buyer_words(), words)
            if shortcut:
                shared_words = shared_words or (norm,)
            if explain:  # the evidence strings only when a person will read them
                closest_words = set(tokenize(closest)) | set(tokenize(self.leaf_names_[leaf]))
                shared = [w for w in dict.fromkeys(tokenize(norm)) if w in closest_words]
                if shared:
                    evidence.append("共同词语：" + " ".join(shared))
                evidence.append(f"最接近的已知写法：{closest}")
        return Candidate(
            department,
            code,
            self.leaf_names_[leaf],
            self.leaf_paths_[leaf],
            round(score, 4),
            tuple(evidence) if explain else (),
            shared_words,
        )

    def _buyer_words(self) -> frozenset[str]:
        words = self.__dict__.get("_buyer_words_cache")
        if words is None:
            words = self.__dict__["_buyer_words_cache"] = frozenset(self.index_.keyword_section)
        return words

    def _leaf_evidence(self, leaf: int) -> tuple[str, tuple[str, ...]]:
        """A leaf's known texts joined, and their distinctive words: computed once per leaf (at fit), not per line."""
        fitted = self.__dict__.get("leaf_evidence_")
        if fitted is not None:
            return fitted[leaf]
        cache = self.__dict__.setdefault("_leaf_evidence_cache", {})
        found = cache.get(leaf)
        if found is None:
            department = self.leaf_keys_[leaf][0]
            known = "|".join([self.leaf_names_[leaf], *self.index_.leaf_texts(leaf)])
            buyers = self._buyer_words()
            words = tuple(w for w in dict.fromkeys(tokenize(known)) if _distinctive(w, department, buyers))
            found = cache[leaf] = (known, words)
        return found

    def _partial(
        self, candidates: tuple[Candidate, ...], scores: np.ndarray, leaf_ids: np.ndarray
    ) -> PartialCode | None:
        if len(candidates) < 2:
            return None
        first, second = candidates[0], candidates[1]
        same_parent = first.department == second.department and first.path[2] == second.path[2]
        if not same_parent or second.score < self.partial_ratio * first.score:
            return None
        level3_code, level3_name = first.path[2]
        siblings = [
            j
            for j, leaf in enumerate(leaf_ids)
            if self.leaf_keys_[leaf][0] == first.department and self.leaf_paths_[leaf][2][0] == level3_code
        ]
        shared = [c.code for c in candidates if c.department == first.department and c.path[2][0] == level3_code]
        return PartialCode(
            first.department, level3_code, level3_name, round(min(1.0, float(scores[siblings].sum())), 4), tuple(shared)
        )

    def _elsewhere(
        self,
        title: str | None,
        global_scores: tuple[np.ndarray, np.ndarray],
        norm: str,
        similarities: np.ndarray,
        explain: bool,
    ) -> Candidate | None:
        """The best leaf of another section, when it clearly beats the buyer's own (over the global candidates)."""
        if title is None:
            return None
        leaves, scores = global_scores
        inside = self.index_.leaf_section[leaves] == self.sections_.index(title)
        if inside.all():
            return None
        outside = np.flatnonzero(~inside)
        best = int(outside[np.argmax(scores[outside])])
        best_in = float(scores[inside].max()) if inside.any() else 0.0
        if scores[best] >= 0.5 and scores[best] >= best_in + self.elsewhere_margin:
            leaf = int(leaves[best])
            closest = self.index_.best_texts(similarities, [leaf])[0]
            return self._candidate(leaf, float(scores[best]), norm, closest, None, explain=explain)
        return None

    # ---------------------------------------------------------- pickling
    def __setstate__(self, state: dict) -> None:
        """A plain unpickle (a Dask or Spark worker, ``copy.deepcopy``) re-attaches the bundled catalog when it
        is the one the model was fitted on; ``load_model``/``load_checker`` attach and check it themselves."""
        self.__dict__.update(state)
        add_terms(state.get("terms_", ()))  # the words of the catalog it was trained on stay whole
        if "catalog_" not in state and "catalog_hash_" in state:
            from catalog import load_catalog

            catalog = load_catalog()
            if catalog.content_hash == state["catalog_hash_"]:
                self.catalog_ = catalog

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("catalog_", None)  # the catalog is re-attached (and checked) on load
        state.pop("_leaf_evidence_cache", None)  # caches are rebuilt as lines come
        state.pop("_buyer_words_cache", None)
        state.pop("_memo", None)
        return state


def _lead(z: np.ndarray) -> np.ndarray:
    """How far the leader is ahead of the next score on the last axis; 0 for every other candidate (how far they
    are behind is the calibration's distance-to-best feature already).

    >>> _lead(np.array([3.0, 1.0, 0.5])).tolist()
    [2.0, 0.0, 0.0]
    """
    if z.shape[-1] < 2:
        return np.zeros_like(z)
    top2 = np.partition(z, -2, axis=-1)[..., -2:]
    best, second = top2[..., 1:], top2[..., :1]
    return np.where(z >= best, z - second, 0.0)
