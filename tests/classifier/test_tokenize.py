"""The compact jieba dictionary cuts what the models learn from exactly as jieba's full dictionary does."""

from __future__ import annotations

import jieba
import pytest

from classifier import tokenize
from classifier._jieba_words import compact_words, full_dictionary, learned_texts
from classifier._tokenize import _WORD, WORDS_FILE, catalog_terms, read_word_table


@pytest.fixture(scope="module")
def full():
    return full_dictionary()


def test_the_bundled_file_is_current(full):
    from importlib.resources import files

    words, total = full
    stored, stored_total = read_word_table(files("classifier.data").joinpath(WORDS_FILE).read_text(encoding="utf-8"))
    assert stored_total == total
    wanted = compact_words(learned_texts(), words)
    assert {w: f for w, f in stored.items() if f} == wanted, "run: python -m classifier._jieba_words"


def test_learned_lines_are_cut_as_by_the_full_dictionary(full):
    reference = jieba.Tokenizer()
    words, total = full
    prefixes = {w[:end]: 0 for w in words for end in range(1, len(w))}
    reference.FREQ, reference.total = {**prefixes, **words}, total
    reference.initialized = True
    for term in sorted(catalog_terms()):
        reference.add_word(term, freq=2000)
    lines = [line.split(",")[0] for text in learned_texts()[:8] for line in text.splitlines()[1:]][::7]
    assert len(lines) > 300
    for line in lines:
        expected = [w for w in reference.lcut(line, HMM=False) if _WORD.search(w)]
        assert tokenize(line) == expected, line
