"""Normalise a purchase line for matching, keeping the original for display.

Clerks wrap the service in noise: years, places, document numbers, amounts, and words such as
项目/采购/委托/外包/经费 that every line has. Matching works on what remains; nothing here guesses
what the service is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib.resources import files

_SPACE = re.compile(r"\s+")
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,8}\s*[〔【\[（(]\s*\d{4}\s*[〕】\])）]\s*\d+\s*号"  # 柳财社〔2025〕856号, 柳财预(2026)23号
    r"|[〔【\[（(]\s*\d{4}\s*[〕】\])）]\s*\d+\s*号"
)
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|万)")
# 2025年度年 (a clerk's doubled 年 is part of the year), 2021-2035年; a bare 年初 stays a word
_YEAR = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*(?:[-—~至到]\s*(?:19|20)?\d{2,4}\s*)?(?:年度|年|度)?(?:\s*年(?!度|初|末|底|中))?"
)
_BATCH = re.compile(r"第[一二三四五六七八九十\d]+(?:批|期|季度)|[上下]半年|[一二三四]季度|全年|年度")
_EMPTY_BRACKETS = re.compile(r"[（(【\[〔]\s*[)）】\]〕]")
_PUNCT = re.compile(r"[\s,，.。;；:：、!！?？\"'“”‘’《》<>〈〉—\-_/\\|·~～]+")
_FILLER = re.compile(
    "|".join(
        [
            "政府购买服务",
            "提前下达",
            "购买服务",
            "服务费用",
            "服务费",
            "委托费",
            "经费",
            "费用",
            "资金",
            "专项",
            "项目",
            "采购",
            "委托",
            "外包",
            "购买",
            "支出",
            "补助",
        ]
    )
)
_FULL_TO_BRACKETS = str.maketrans(
    {"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"}
)


@cache
def _places() -> re.Pattern[str]:
    text = files("classifier.data").joinpath("places.txt").read_text(encoding="utf-8")
    names = sorted({w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@cache
def _to_simplified():
    import opencc  # OpenCC's own tables (t2s: 採購 -> 采购, 項目 -> 项目, 臺 -> 台), not a hand-written list

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=16_384)  # every reader asks for the same lines of a chunk: convert each once
def simplified(text: str) -> str:
    """Traditional characters read as simplified, through OpenCC, so that every reader sees one script.

    >>> simplified("政府採購項目維護")
    '政府采购项目维护'
    """
    return _to_simplified().convert(text) if text and not text.isascii() else text


def fold(text: str) -> str:
    """NFKC, simplified, lower-case, no spaces: the form exact matches are compared in."""
    return _SPACE.sub("", simplified(unicodedata.normalize("NFKC", text))).lower()


def _without_incidentals(text: str) -> str:
    """NFKC and simplified, brackets unified, and a line's incidentals blanked: 文号, amounts, years and batches,
    places. Both the ranking's reading (``normalize``) and the review record's key (``key_text``) fold these."""
    out = _SPACE.sub(" ", simplified(unicodedata.normalize("NFKC", text)).translate(_FULL_TO_BRACKETS))
    for pattern in (_DOC_NUMBER, _AMOUNT, _YEAR, _BATCH, _places()):
        out = pattern.sub(" ", out)
    return out


def key_text(text: str) -> str:
    """A line with only its incidentals folded: years and batches (第二批, 上半年), places, document numbers (文号),
    amounts, spaces and punctuation; every word that could change what is bought (外包, 购买, 项目, 服务费) is
    kept. The review record keys a team's decision on it, so a decision reaches next year's sheet and another
    county's wording of the same line, and never a different purchase.

    >>> key_text("2025年度柳林县人力资源服务外包（柳人社〔2025〕3号），预算12万元")
    '人力资源服务外包预算'
    >>> key_text("人力资源服务外包") == key_text("人力资源服务")
    False
    """
    out = _EMPTY_BRACKETS.sub(" ", _without_incidentals(text))
    out = _PUNCT.sub("", out)
    out = re.sub(r"\(\s*\)", "", out)
    return _SPACE.sub("", out).lower().strip("()")


def normalize(text: str) -> str:
    """The part of a purchase line that says what the service is.

    >>> normalize("2025年度年全民意外伤害保险")
    '全民意外伤害保险'
    >>> normalize("村协办员补助——柳财预（2026）23 号")
    '村协办员'
    >>> normalize("年初预算安排的舆情监测")
    '年初预算安排的舆情监测'
    """
    out = _FILLER.sub(" ", _without_incidentals(text))
    out = _EMPTY_BRACKETS.sub(" ", out)
    out = _PUNCT.sub(" ", out)
    out = re.sub(r"\s*\(\s*\)\s*", " ", out)
    out = _SPACE.sub("", out.strip()).lower()
    return out.strip("()")
