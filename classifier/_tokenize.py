"""jieba word tokens for the word TF-IDF, with the catalog's own terms in the dictionary.

One private ``jieba.Tokenizer`` per process, built once and quietly (jieba's start-up messages go
to a logger we silence). ``tokenize`` is a module-level function so fitted vectorizers pickle.
"""

from __future__ import annotations

import logging
import re
import tempfile
from functools import cache, lru_cache

import jieba

from catalog import load_catalog

from ._cachefile import cache_dir, prepare_dir
from ._data import bundled_aliases

_SPLIT = re.compile(r"[、，,（）()和及与或；;：:\s/“”\"]+")
_WORD = re.compile(r"[\u4e00-\u9fff0-9a-z]")
jieba.setLogLevel(logging.WARNING)


def catalog_terms() -> set[str]:
    """Short terms (2-8 characters) cut from catalog names at punctuation and conjunctions, plus aliases."""
    terms: set[str] = set()
    for section in load_catalog().sections:
        for node in section.nodes:
            for part in _SPLIT.split(node.section_name):
                if 2 <= len(part) <= 8:
                    terms.add(part.lower())
    terms.update(a.alias.lower() for a in bundled_aliases() if 2 <= len(a.alias) <= 12)
    return terms


@cache
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    # jieba's own dictionary cache defaults to /tmp/jieba.cache, which anyone can plant: keep it in our private
    # cache folder, or in a fresh private folder when that one cannot be trusted
    usable, problem = prepare_dir(cache_dir())
    tokenizer.tmp_dir = str(cache_dir()) if usable and problem is None else tempfile.mkdtemp(prefix="gpsc-jieba-")
    tokenizer.initialize()
    for term in sorted(catalog_terms()):
        tokenizer.add_word(term, freq=2000)
    return tokenizer


def tokenize(text: str) -> list[str]:
    """Words of a normalised line; catalog terms and aliases stay whole.

    >>> tokenize("12345热线外包")
    ['12345热线', '外包']
    """
    return list(_cached_words(text))


@lru_cache(maxsize=50_000)  # bounded: a million distinct lines must not grow memory
def _cached_words(text: str) -> tuple[str, ...]:
    # jieba is the slowest step per line; sheets and training data repeat their wordings
    return tuple(w for w in _tokenizer().lcut(text, HMM=False) if _WORD.search(w))


def clear_token_cache() -> None:
    """Forget the cached word cuts (benchmarks start each repeat cold)."""
    _cached_words.cache_clear()
