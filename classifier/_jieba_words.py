"""Build step: the compact jieba dictionary (``classifier/data/jieba_words.txt``) that ``_tokenize`` loads.

    python -m classifier._jieba_words

Keeps jieba's frequencies and total for the words found in what the models learn from, its most common words
and every single character (see ``_tokenize``); run it again when the training data or the catalog change (a test
says when the file is stale).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import jieba

from catalog import load_catalog, load_pinmu

from ._tokenize import WORDS_FILE

COMMON_WORDS = 20_000  # jieba's most frequent words, kept for lines unlike anything learned from
LONGEST_WORD = 16  # jieba's longest dictionary word


def learned_texts() -> list[str]:
    """Everything the models learn from or compare with: the training files (never a held-out one), the
    catalog's names, the 品目 names and notes, and the real titles' training half."""
    root = Path(__file__).resolve().parents[1] / "training_data"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.csv")) if "test" not in p.name]
    texts = [t for t in texts if not t.startswith("id,title,")]  # the real titles: only their training half below
    real = (root / "real_titles.csv").read_text(encoding="utf-8").splitlines()
    texts += [line for line in real if line.endswith(",train")]
    texts += [node.section_name for section in load_catalog().sections for node in section.nodes]
    texts += [f"{item.name} {item.description}" for item in load_pinmu().items]
    return texts


def compact_words(texts: Iterable[str], full: dict[str, int], common: int = COMMON_WORDS) -> dict[str, int]:
    """The words of ``full`` (jieba's dictionary) that occur in ``texts``, its ``common`` most frequent words and
    every single character, with their frequencies.

    >>> compact_words(["购买外包服务"], {"外包": 5, "服务": 9, "包服": 1, "苹果": 3, "购": 2}, common=1)
    {'外包': 5, '服务': 9, '包服': 1, '购': 2}
    """
    keep = {w for w, f in full.items() if f > 0 and len(w) == 1}
    keep.update(sorted((w for w, f in full.items() if f > 0), key=lambda w: (-full[w], w))[:common])
    for text in texts:
        for start in range(len(text)):
            for end in range(start + 2, min(len(text), start + LONGEST_WORD) + 1):
                if full.get(text[start:end]):
                    keep.add(text[start:end])
    return {w: f for w, f in full.items() if w in keep}


def full_dictionary() -> tuple[dict[str, int], int]:
    """jieba's own dictionary (its words with a frequency) and total: only for building the compact file."""
    tokenizer = jieba.Tokenizer()
    # jieba's cache of its dictionary defaults to /tmp/jieba.cache, which anyone can plant: a private folder
    with tempfile.TemporaryDirectory(prefix="gpsc-jieba-") as folder:
        tokenizer.tmp_dir = folder
        tokenizer.initialize()
    return {w: f for w, f in tokenizer.FREQ.items() if f > 0}, tokenizer.total


def write_words(path: Path | None = None) -> Path:
    """Rebuild ``data/jieba_words.txt`` from jieba's dictionary and what the models learn from."""
    full, total = full_dictionary()
    words = compact_words(learned_texts(), full)
    path = path or Path(__file__).resolve().parent / "data" / WORDS_FILE
    body = "".join(f"{w} {f}\n" for w, f in sorted(words.items()))
    path.write_text(f"total {total}\n{body}", encoding="utf-8")
    return path


def main() -> None:
    written = write_words(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(f"{written}: {sum(1 for _ in written.open(encoding='utf-8')) - 1} 个词")


if __name__ == "__main__":
    main()
