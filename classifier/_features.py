"""Similarity features between purchase lines and every catalog leaf, computed as matrices.

Each leaf is represented by texts: its name (and this section's readings of its level-3/level-2
names as weaker context), its aliases and its training lines. For a batch of queries every feature
is an (n_queries, n_leaves) array, so bulk tagging never loops over leaves in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain, repeat
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from rapidfuzz.distance import LCSseq
from rapidfuzz.process import cdist
from scipy import sparse
from scipy.sparse import csr_matrix

from ._threads import cdist_workers
from ._tokenize import tokenize

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

FEATURE_NAMES = (
    "best_text_char",  # max char n-gram cosine over the leaf's texts (name, aliases, examples)
    "best_text_word",  # max jieba-word cosine over the leaf's texts
    "doc_char",  # char cosine with all the leaf's texts joined
    "doc_word",  # word cosine with all the leaf's texts joined
    "name_coverage",  # rapidfuzz LCS: share of the line found, in order, in the leaf name
    "level3_char",  # char cosine with the level-3 name
    "level2_char",  # char cosine with the level-2 name
    "section_word",  # word cosine with everything known of the leaf's section: the line's subject area
    "section_mention",  # 1 when the line names the leaf's department (人大, 纪委, 公安, 团委 ...)
    "gap_text_char",  # best_text_char minus the best of the row: how far behind the leader
    "gap_doc_word",
)


@dataclass
class LeafTexts:
    """The texts that stand for each leaf; ``owner[i]`` is the leaf index of ``texts[i]``."""

    names: list[str]
    level3: list[str]
    level2: list[str]
    texts: list[str]
    owner: np.ndarray
    section: np.ndarray  # section number of each leaf
    section_keywords: dict[str, int]  # core word naming a section -> section number


def word_vectorizer() -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer  # fitting only: serving uses lean_transform

    return TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False, sublinear_tf=True, dtype=np.float32)


def char_vectorizer(ngram_range: tuple[int, int]) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char", ngram_range=ngram_range, lowercase=False, sublinear_tf=True, dtype=np.float32
    )


_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass
class FittedTfidf:
    """What a fitted TF-IDF needs to transform new lines: its vocabulary and idf weights.

    scikit-learn fits it; serving uses ``lean_transform``, so a saved model loads (and answers) without
    importing scikit-learn, which is most of a cold start. A test pins the two transforms together.
    """

    kind: str  # "char" (n-grams) or "word" (jieba tokens)
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, vectorizer: TfidfVectorizer, docs: list[str]) -> FittedTfidf:
        vectorizer.fit(docs)
        kind = "char" if vectorizer.analyzer == "char" else "word"
        vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        return cls(kind, tuple(vectorizer.ngram_range), vocabulary, vectorizer.idf_.astype(np.float32))

    def __getstate__(self) -> dict:
        # the vocabulary as one array: joblib loads arrays in one read, but a dict term by term in Python
        terms = np.empty(len(self.vocabulary), dtype=object)
        for term, i in self.vocabulary.items():
            terms[i] = term
        return {"kind": self.kind, "ngram_range": self.ngram_range, "terms": terms.astype(str), "idf": self.idf}

    def __setstate__(self, state: dict) -> None:
        self.kind, self.ngram_range, self.idf = state["kind"], tuple(state["ngram_range"]), state["idf"]
        self.vocabulary = dict(zip(state["terms"].tolist(), range(len(state["terms"])), strict=True))

    def analyze(self, doc: str) -> list[str]:
        if self.kind == "word":
            return tokenize(doc)
        # scikit-learn's char analyzer: runs of white space fold to one, then every n-gram
        text = _WHITE_SPACES.sub(" ", doc)
        low, high = self.ngram_range
        return [text[i : i + n] for n in range(low, high + 1) for i in range(len(text) - n + 1)]


def lean_transform(fitted: FittedTfidf, docs: list[str]) -> csr_matrix:
    """Sublinear, l2-normalised TF-IDF vectors of ``docs``, the same as the fitted vectorizer's transform.

    The batch's terms are looked up in one pass (``map`` over the vocabulary's ``get``) and counted with numpy,
    not term by term in Python: bulk tagging transforms every line twice.
    """
    vocabulary = fitted.vocabulary
    terms = [fitted.analyze(doc) for doc in docs]
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(docs))
    columns = np.fromiter(map(vocabulary.get, chain.from_iterable(terms), repeat(-1)), dtype=np.int64)
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    known = columns >= 0
    rows, columns = rows[known], columns[known]
    # one entry per (row, column) with its count: sort the pairs once, then count the runs
    keys = np.unique(rows * len(vocabulary) + columns, return_counts=True)
    pairs, counts = keys
    row_index = pairs // len(vocabulary)
    col_index = (pairs % len(vocabulary)).astype(np.int32)
    data = (np.log(counts.astype(np.float32)) + 1.0) * fitted.idf[col_index]
    norms = np.sqrt(np.bincount(row_index, weights=data * data, minlength=len(docs))).astype(np.float32)
    if len(data):
        data /= norms[row_index]
    indptr = np.zeros(len(docs) + 1, dtype=np.int32)
    np.cumsum(np.bincount(row_index, minlength=len(docs)), out=indptr[1:])
    return csr_matrix((data, col_index, indptr), shape=(len(docs), len(vocabulary)))


class Similarities(NamedTuple):
    """A batch's similarities with the catalog (rows: queries), from which ``LeafIndex.gather`` reads features."""

    texts_char: np.ndarray  # (n, n_texts)
    texts_word: np.ndarray  # (n, n_texts)
    docs_char: np.ndarray  # (n, n_leaves)
    docs_word: np.ndarray
    coverage: np.ndarray
    level3_char: np.ndarray
    level2_char: np.ndarray
    sections_word: np.ndarray  # (n, n_sections)
    mentions: np.ndarray  # (n, n_sections)


class LeafIndex:
    """TF-IDF matrices over the leaf texts; ``features(queries)`` gives the feature tensor."""

    def __init__(self, leaf_texts: LeafTexts, ngram_range: tuple[int, int]) -> None:
        order = np.argsort(leaf_texts.owner, kind="stable")
        texts = [leaf_texts.texts[i] for i in order]
        owner = leaf_texts.owner[order]
        n_leaves = len(leaf_texts.names)
        if len(np.unique(owner)) != n_leaves:
            raise ValueError("every leaf needs at least one text")
        self.starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        self.text_counts = np.diff(np.r_[self.starts, len(owner)])
        self.texts, self.owner, self.names = texts, owner, leaf_texts.names
        docs = [" ".join(texts[a:b]) for a, b in zip(self.starts, [*self.starts[1:], len(texts)], strict=True)]
        self.char = FittedTfidf.fit(char_vectorizer(ngram_range), texts + leaf_texts.level3 + leaf_texts.level2)
        self.word = FittedTfidf.fit(word_vectorizer(), texts)
        self.text_rows = lean_transform(self.char, texts)  # one row per text, for evidence
        self.leaf_section = leaf_texts.section
        n_sections = int(self.leaf_section.max()) + 1
        section_docs = [
            " ".join(d for d, s in zip(docs, self.leaf_section, strict=True) if s == k) for k in range(n_sections)
        ]
        # Everything a line is compared with, side by side, so that a batch needs two sparse products
        # (characters, words) instead of seven: [texts | leaf docs | level-3 names | level-2 names]
        char_parts = [
            self.text_rows,
            *(lean_transform(self.char, d) for d in (docs, leaf_texts.level3, leaf_texts.level2)),
        ]
        word_parts = [lean_transform(self.word, d) for d in (texts, docs, section_docs)]
        self.char_side = sparse.vstack(char_parts, format="csr").T.tocsr()
        self.word_side = sparse.vstack(word_parts, format="csr").T.tocsr()
        self.char_splits = np.cumsum([p.shape[0] for p in char_parts])[:-1]
        self.word_splits = np.cumsum([p.shape[0] for p in word_parts])[:-1]
        keywords = sorted(leaf_texts.section_keywords, key=len, reverse=True)
        self.keyword_section = dict(leaf_texts.section_keywords)
        self.keyword_pattern = re.compile("|".join(map(re.escape, keywords))) if keywords else None

    def features(self, queries: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(n_raw_features, n_queries, n_leaves) float32 features, and each query's character cosine with
        every leaf text (n_queries, n_texts), kept for evidence.

        The two gap features depend on the candidate set, so the caller adds them (``add_gaps``). Training
        uses this whole tensor; prediction gathers only its candidates' columns (``similarities`` + ``gather``).
        """
        sims = self.similarities(queries)
        every = np.broadcast_to(np.arange(len(self.names)), (len(queries), len(self.names)))
        return self.gather(sims, np.arange(len(queries)), every), sims.texts_char

    def similarities(self, queries: list[str]) -> Similarities:
        """Every similarity of every query with every leaf, text, section and name: two sparse products (characters,
        words) and one rapidfuzz ``cdist``. The features of any (query, leaf) pair are read from these."""
        q_char = lean_transform(self.char, queries)
        q_word = lean_transform(self.word, queries)
        texts_c, docs_c, level3, level2 = np.split((q_char @ self.char_side).toarray(), self.char_splits, axis=1)
        texts_w, docs_w, sections_w = np.split((q_word @ self.word_side).toarray(), self.word_splits, axis=1)
        # how much of the line appears, in order, in the leaf name (a fast, SIMD "partial" match)
        workers = cdist_workers(len(queries))
        lcs = cdist(queries, self.names, scorer=LCSseq.similarity, dtype=np.int32, workers=workers)
        lengths = np.maximum(1, np.fromiter(map(len, queries), dtype=np.float32, count=len(queries)))
        coverage = lcs.astype(np.float32) / lengths[:, None]
        return Similarities(
            texts_c, texts_w, docs_c, docs_w, coverage, level3, level2, sections_w, self.mentions(queries)
        )

    def gather(self, sims: Similarities, rows: np.ndarray, leaves: np.ndarray) -> np.ndarray:
        """(n_raw_features, len(rows), m) float32 features of query ``rows[i]`` with leaves ``leaves[i]`` (m each).

        Bulk tagging scores each line against its candidates only (its section, or the leaves most like it), so
        the features are read from the similarities for those pairs instead of for every leaf.
        """
        n, m = leaves.shape
        out = np.empty((len(FEATURE_NAMES) - 2, n, m), dtype=np.float32)
        at = rows[:, None]
        out[0] = self._best_text(sims.texts_char, rows, leaves)
        out[1] = self._best_text(sims.texts_word, rows, leaves)
        out[2] = sims.docs_char[at, leaves]
        out[3] = sims.docs_word[at, leaves]
        out[4] = sims.coverage[at, leaves]
        out[5] = sims.level3_char[at, leaves]
        out[6] = sims.level2_char[at, leaves]
        sections = self.leaf_section[leaves]
        out[7] = sims.sections_word[at, sections]
        out[8] = sims.mentions[at, sections]
        return out

    def _best_text(self, per_text: np.ndarray, rows: np.ndarray, leaves: np.ndarray) -> np.ndarray:
        """The best of each leaf's texts for each (row, leaf) pair: a max over the pair's run of text columns."""
        if leaves.shape[1] == len(self.names) and (leaves[0] == np.arange(len(self.names))).all():
            return np.maximum.reduceat(per_text[rows], self.starts, axis=1)  # every leaf: one pass
        counts = self.text_counts[leaves].ravel()
        first = self.starts[leaves].ravel()
        ends = np.cumsum(counts)
        offset = np.arange(ends[-1]) - np.repeat(ends - counts, counts)
        columns = np.repeat(first, counts) + offset
        row_of = np.repeat(np.repeat(rows, leaves.shape[1]), counts)
        values = per_text[row_of, columns]
        return np.maximum.reduceat(values, ends - counts).reshape(leaves.shape)

    def mentions(self, queries: list[str]) -> np.ndarray:
        """(n_queries, n_sections) 1.0 where the line names that section's department."""
        found = np.zeros((len(queries), int(self.leaf_section.max()) + 1), dtype=np.float32)
        if self.keyword_pattern is not None:
            for row, query in enumerate(queries):
                for match in self.keyword_pattern.finditer(query):
                    found[row, self.keyword_section[match.group()]] = 1.0
        return found

    def leaf_texts(self, leaf: int) -> list[str]:
        """Every text that stands for a leaf: its name, aliases and training lines."""
        b = self.starts[leaf + 1] if leaf + 1 < len(self.starts) else len(self.texts)
        return self.texts[self.starts[leaf] : b]

    def best_texts(self, similarities: np.ndarray, leaves: list[int]) -> list[str]:
        """For each leaf, its text most like the query (``similarities``: the query's row of ``features``)."""
        sims = similarities
        out = []
        for leaf in leaves:
            a = self.starts[leaf]
            b = self.starts[leaf + 1] if leaf + 1 < len(self.starts) else len(self.texts)
            out.append(self.texts[a + int(np.argmax(sims[a:b]))])
        return out
