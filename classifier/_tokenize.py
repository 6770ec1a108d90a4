"""jieba word tokens for the word TF-IDF, with the catalog's own terms in the dictionary.

One private ``jieba.Tokenizer`` per process, built once and quietly. It is built from a compact dictionary
(``data/jieba_words.txt``): jieba's own 350k-word dictionary costs 0.56 s and 72 MB in every process, but the
words that can matter are those found in what the models learn from (training lines, catalog names, 品目 names,
the training half of the real titles), plus jieba's most common words and every single character. The file keeps
jieba's frequencies and total, so the route jieba picks through any text it was built from is the one the full
dictionary picks (a test checks this); a new line's unknown words may be cut finer, into words the models know.
``python -m classifier._jieba_words`` rebuilds it. ``tokenize`` is a module-level function so fitted vectorizers pickle.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.resources import files

import jieba

from catalog import load_catalog

from ._data import bundled_aliases

_SPLIT = re.compile(r"[、，,（）()和及与或；;：:\s/“”\"]+")
_WORD = re.compile(r"[\u4e00-\u9fff0-9a-z]")
WORDS_FILE = "jieba_words.txt"
TERM_FREQ = 2000  # a catalog term outweighs the common words it is made of
jieba.setLogLevel(logging.WARNING)


def catalog_terms(catalog=None, aliases=None) -> set[str]:
    """Short terms (2-8 characters) cut from catalog names at punctuation and conjunctions, plus aliases
    (default: the bundled catalog and its aliases; a model for another catalog gives its own, see ``add_terms``)."""
    if catalog is None:
        catalog, aliases = load_catalog(), bundled_aliases()
    terms: set[str] = set()
    for section in catalog.sections:
        for node in section.nodes:
            for part in _SPLIT.split(node.section_name):
                if 2 <= len(part) <= 8:
                    terms.add(part.lower())
    terms.update(a.alias.lower() for a in aliases or () if 2 <= len(a.alias) <= 12)
    return terms


def add_terms(terms: Iterable[str]) -> None:
    """Keep these terms whole from now on (a model for another catalog brings its own names); the cached cuts are
    forgotten when anything changed."""
    tokenizer = _tokenizer()
    new = sorted(t for t in terms if tokenizer.FREQ.get(t) != TERM_FREQ)
    for term in new:
        tokenizer.add_word(term, freq=TERM_FREQ)
    if new:
        _cached_words.cache_clear()


def read_word_table(text: str) -> tuple[dict[str, int], int]:
    """``(prefix dictionary, total)`` from a compact dictionary: a ``total N`` line, then ``word freq`` lines.

    >>> read_word_table("total 100\\n外包 7\\n") == ({"外包": 7, "外": 0}, 100)
    True
    """
    lines = text.splitlines()
    head, _, total = lines[0].partition(" ")
    if head != "total":
        raise ValueError(f"{WORDS_FILE}: the first line must be 'total N'")
    freq: dict[str, int] = {}
    for line in lines[1:]:
        word, _, count = line.rpartition(" ")
        freq[word] = int(count)
        for end in range(1, len(word)):  # jieba's prefix dictionary: every prefix is known, with 0
            freq.setdefault(word[:end], 0)
    return freq, int(total)


@cache
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    table = files("classifier.data").joinpath(WORDS_FILE).read_text(encoding="utf-8")
    tokenizer.FREQ, tokenizer.total = read_word_table(table)
    tokenizer.initialized = True  # never read jieba's own dictionary (nor write its cache file)
    for term in sorted(catalog_terms()):
        tokenizer.add_word(term, freq=TERM_FREQ)
    return tokenizer


def tokenize(text: str) -> list[str]:
    """Words of a normalised line; catalog terms and aliases stay whole.

    >>> tokenize("12345热线外包")
    ['12345热线', '外包']
    """
    return list(_cached_words(text))


@lru_cache(maxsize=16_384)  # bounded: a million distinct lines must not grow memory (50,000 cost 20 MB more, no faster)
def _cached_words(text: str) -> tuple[str, ...]:
    # jieba is the slowest step per line; sheets and training data repeat their wordings
    return tuple(w for w in _tokenizer().lcut(text, HMM=False) if _WORD.search(w))


def clear_token_cache() -> None:
    """Forget the cached word cuts (benchmarks start each repeat cold)."""
    _cached_words.cache_clear()
