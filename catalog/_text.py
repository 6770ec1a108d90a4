"""Small text helpers shared by the parser and the lookups.

The PDF-to-text conversion leaves HTML tags, stray spaces inside names and codes, and a mix of
full-width and half-width brackets. These helpers undo exactly those accidents and nothing more,
so that what the parser reports as "decided" is predictable.
"""

from __future__ import annotations

import re
import unicodedata

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACE = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")
_BRACKETS = str.maketrans({"(": "（", ")": "）"})
_CODE = re.compile(r"[A-Z](?:\d{2}){0,3}")
_LEVEL_BY_LENGTH = {1: 1, 3: 2, 5: 3, 7: 4}


def strip_tags(text: str) -> str:
    """Remove HTML tags the converter left around bold text: ``<b>财政</b>`` -> ``财政``."""
    return _TAG.sub("", text)


def fold_spaces(text: str) -> str:
    """Drop spaces that split a Chinese name, keep one between two ASCII words.

    ``灾害防治及应急管理服 务`` -> ``灾害防治及应急管理服务``; ``IPv6 规模部署`` -> ``IPv6规模部署``.
    """
    parts = _SPACE.split(text.strip())
    out = parts[0]
    for part in parts[1:]:
        if out and part and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(part[0]):
            out += " "
        out += part
    return out


def unify_brackets(text: str) -> str:
    """Use full-width brackets in Chinese names: ``体(美)育`` -> ``体（美）育``."""
    return text.translate(_BRACKETS)


def clean_name(text: str) -> str:
    """The canonical spelling of a printed name: tags removed, spaces folded, brackets unified."""
    return unify_brackets(fold_spaces(strip_tags(text)))


def squeeze_code(text: str) -> str:
    """A printed code without tags, spaces and width differences: ``A17 0404`` -> ``A170404``."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", strip_tags(text))).upper()


def code_level(code: str) -> int | None:
    """Level 1..4 of a well-formed code (``A``, ``A15``, ``A1502``, ``A150201``), else None."""
    if not _CODE.fullmatch(code):
        return None
    return _LEVEL_BY_LENGTH[len(code)]


def looks_like_code(text: str) -> bool:
    """True for a printed code cell, typos included (``A17 0404``, ``160601``, ``a1502``)."""
    squeezed = squeeze_code(text)
    return bool(re.fullmatch(r"[A-Z]?\d{0,6}", squeezed)) and squeezed != ""


def normalize_code(text: str, letter: str = "A") -> str | None:
    """Turn a code as users type it into a catalog code, or None if it cannot be one.

    ``a150201``, ``A15 0201``, ``A15-02-01`` and ``150201`` all give ``A150201``.
    """
    squeezed = re.sub(r"[\s\-_.]", "", unicodedata.normalize("NFKC", text)).upper()
    if squeezed.isdigit() and len(squeezed) in (2, 4, 6):
        squeezed = letter + squeezed
    return squeezed if code_level(squeezed) else None
