"""Similarity features between purchase lines and every catalog leaf, computed as matrices.

Each leaf is represented by texts: its name (and this section's readings of its level-3/level-2
names as weaker context), its aliases and its training lines. For a batch of queries every feature
is an (n_queries, n_leaves) array, so bulk tagging never loops over leaves in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from sklearn.feature_extraction.text import TfidfVectorizer

from ._tokenize import tokenize

FEATURE_NAMES = (
    "best_text_char",  # max char n-gram cosine over the leaf's texts (name, aliases, examples)
    "best_text_word",  # max jieba-word cosine over the leaf's texts
    "doc_char",  # char cosine with all the leaf's texts joined
    "doc_word",  # word cosine with all the leaf's texts joined
    "name_fuzzy",  # rapidfuzz partial_ratio with the leaf name
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
    return TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False, sublinear_tf=True)


def char_vectorizer(ngram_range: tuple[int, int]) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=False, sublinear_tf=True)


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
        self.texts, self.owner, self.names = texts, owner, leaf_texts.names
        docs = [" ".join(texts[a:b]) for a, b in zip(self.starts, [*self.starts[1:], len(texts)], strict=True)]
        self.char = char_vectorizer(ngram_range).fit(texts + leaf_texts.level3 + leaf_texts.level2)
        self.word = word_vectorizer().fit(texts)
        self.text_char = self.char.transform(texts).T.tocsr()
        self.text_word = self.word.transform(texts).T.tocsr()
        self.doc_char = self.char.transform(docs).T.tocsr()
        self.doc_word = self.word.transform(docs).T.tocsr()
        self.level3_char = self.char.transform(leaf_texts.level3).T.tocsr()
        self.level2_char = self.char.transform(leaf_texts.level2).T.tocsr()
        self.leaf_section = leaf_texts.section
        n_sections = int(self.leaf_section.max()) + 1
        section_docs = [
            " ".join(d for d, s in zip(docs, self.leaf_section, strict=True) if s == k) for k in range(n_sections)
        ]
        self.section_word = self.word.transform(section_docs).T.tocsr()
        keywords = sorted(leaf_texts.section_keywords, key=len, reverse=True)
        self.keyword_section = dict(leaf_texts.section_keywords)
        self.keyword_pattern = re.compile("|".join(map(re.escape, keywords))) if keywords else None

    def features(self, queries: list[str], columns: np.ndarray | None = None) -> np.ndarray:
        """(n_raw_features, n_queries, n_leaves) float32 features; ``columns`` restricts to some leaves.

        The two gap features depend on the candidate set, so the caller adds them (``add_gaps``).
        """
        q_char = self.char.transform(queries)
        q_word = self.word.transform(queries)
        best_char = np.maximum.reduceat((q_char @ self.text_char).toarray(), self.starts, axis=1)
        best_word = np.maximum.reduceat((q_word @ self.text_word).toarray(), self.starts, axis=1)
        doc_char = (q_char @ self.doc_char).toarray()
        doc_word = (q_word @ self.doc_word).toarray()
        level3 = (q_char @ self.level3_char).toarray()
        level2 = (q_char @ self.level2_char).toarray()
        section_word = (q_word @ self.section_word).toarray()[:, self.leaf_section]
        mention = self.mentions(queries)[:, self.leaf_section]
        if columns is not None:
            best_char, best_word, doc_char, doc_word, level3, level2, section_word, mention = (
                m[:, columns] for m in (best_char, best_word, doc_char, doc_word, level3, level2, section_word, mention)
            )
            names = [self.names[i] for i in columns]
        else:
            names = self.names
        fuzzy = cdist(queries, names, scorer=fuzz.partial_ratio, dtype=np.uint8, workers=-1) / 100.0
        stack = [best_char, best_word, doc_char, doc_word, fuzzy, level3, level2, section_word, mention]
        return np.stack(stack).astype(np.float32)

    def mentions(self, queries: list[str]) -> np.ndarray:
        """(n_queries, n_sections) 1.0 where the line names that section's department."""
        found = np.zeros((len(queries), int(self.leaf_section.max()) + 1), dtype=np.float32)
        if self.keyword_pattern is not None:
            for row, query in enumerate(queries):
                for match in self.keyword_pattern.finditer(query):
                    found[row, self.keyword_section[match.group()]] = 1.0
        return found

    def best_text(self, query: str, leaf: int) -> str:
        """The text of ``leaf`` most like ``query``: shown as evidence for a match."""
        a = self.starts[leaf]
        b = self.starts[leaf + 1] if leaf + 1 < len(self.starts) else len(self.texts)
        sims = (self.char.transform([query]) @ self.text_char[:, a:b]).toarray().ravel()
        return self.texts[a + int(np.argmax(sims))]
