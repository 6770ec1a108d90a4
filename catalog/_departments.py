"""Map the names people write (``县民政局``, ``柳林县人社局``, ``团县委``) to catalog section titles.

Users name their own organ; the catalog names a line of work. We strip what varies between
counties (place names in front, organ words such as 局/委/办 behind) and look the core word up in
the section titles and in a reviewed alias table (``data/department_aliases.tsv``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from importlib.resources import files

from rapidfuzz import fuzz, process

from ._errors import UnknownDepartmentError
from ._text import strip_tags

_ORGAN_SUFFIXES = (
    "委员会办公室",
    "服务中心",
    "办公厅",
    "办公室",
    "委员会",
    "管理局",
    "事务局",
    "中心",
    "局",
    "厅",
    "委",
    "办",
    "部",
    "院",
    "会",
    "处",
    "科",
    "站",
    "所",
)
_PLACE_END = re.compile(r"(?:自治区|[省市县区旗州盟])(?:[委直](?=.))?")
_ORGAN_END = re.compile(r"(?:委员会|局|委|中心|办|所|站|处)")
_ORGAN_WORDS = re.compile("|".join(sorted(_ORGAN_SUFFIXES, key=len, reverse=True)) + "|员会|公室|公厅")
_PARTY_PREFIX = re.compile(r"^(?:中国共产党|中共)")


@cache
def bundled_aliases() -> Mapping[str, str]:
    """The reviewed alias table shipped with the package: everyday core word -> section title."""
    text = files("catalog.data").joinpath("department_aliases.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            alias, _, title = line.partition("\t")
            table[alias.strip()] = title.strip()
    return table


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", strip_tags(text)))


def _strip_suffixes(text: str) -> list[str]:
    """``人力资源和社会保障局`` -> [``人力资源和社会保障局``, ``人力资源和社会保障``]."""
    out = [text]
    while True:
        for suffix in _ORGAN_SUFFIXES:
            if out[-1].endswith(suffix) and len(out[-1]) > len(suffix) + 1:
                out.append(out[-1][: -len(suffix)])
                break
        else:
            return out


def _candidates(name: str) -> list[str]:
    """Readings of a name from the most to the least literal."""
    text = _PARTY_PREFIX.sub("", _plain(name))
    # a branch or unit below an organ: 吕梁市生态环境局柳林分局 -> 吕梁市生态环境局
    organs = [text[: m.end()] for m in _ORGAN_END.finditer(text) if m.end() < len(text)]
    heads = []
    for whole in [text, *organs]:
        heads += [whole] + [whole[m.end() :] for m in _PLACE_END.finditer(whole) if whole[m.end() :]]
    seen: dict[str, None] = {}
    for head in heads:
        for candidate in _strip_suffixes(head):
            seen.setdefault(candidate, None)
    return list(seen)


def keyword_index(titles: Iterable[str], aliases: Mapping[str, str]) -> dict[str, str]:
    """Every core word (alias, title, title without organ suffix) -> section title."""
    index: dict[str, str] = {}
    title_set = set(titles)
    for alias, title in aliases.items():
        if title in title_set:
            index[_plain(alias)] = title
    for title in title_set:
        for key in _strip_suffixes(_plain(title).replace("(室)", "")):
            index[key] = title
        index[_plain(title)] = title
    return index


def resolve_department(name: str, titles: Iterable[str], extra_aliases: Mapping[str, str] | None = None) -> str:
    """The section title for an everyday department name.

    >>> from catalog import load_catalog
    >>> resolve_department("柳林县人力资源和社会保障局", load_catalog().departments())
    '人力资源和社会保障'
    """
    aliases = {**bundled_aliases(), **(extra_aliases or {})}
    return _resolve(name, tuple(titles), tuple(sorted(aliases.items())))


@lru_cache(maxsize=4096)
def _cached_index(titles: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return keyword_index(titles, dict(aliases))


# A town or township government, or a sub-district office, buys under none of the province's department
# sections (its 人民政府 is not the 人民政府办公厅 of the county).
_TOWN_GOVERNMENT = re.compile(r"[镇乡]$|(?:镇|乡|街道)(?:人民政府|政府|办事处|党委|党委政府)$")


@lru_cache(maxsize=4096)
def _resolve(name: str, titles: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> str:
    # cached: a sheet names the same few departments on every row, and the API on every request
    if _TOWN_GOVERNMENT.search(_plain(name)):
        raise UnknownDepartmentError(name, ())
    index = _cached_index(titles, aliases)
    candidates = _candidates(name)
    for candidate in candidates:
        if candidate in index:
            return index[candidate]
    # a known core word inside a longer name: 共青团柳林县委员会, 晋中监狱, 省女子强制隔离戒毒所
    for candidate in candidates:
        inside = [key for key in index if len(key) >= 2 and key in candidate]
        if inside:
            longest = max(map(len, inside))
            titles_found = {index[key] for key in inside if len(key) == longest}
            if len(titles_found) == 1:
                return titles_found.pop()
    # a shortened name: 人力资源局 is part of 人力资源和社会保障 only
    for candidate in candidates:
        if len(_ORGAN_WORDS.sub("", candidate)) >= 2:
            containing = {t for key, t in index.items() if candidate in key}
            if len(containing) == 1:
                return containing.pop()
    raise UnknownDepartmentError(name, suggest_departments(name, titles, index))


def suggest_departments(name: str, titles: Iterable[str], index: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Up to three section titles closest to ``name``, best first."""
    index = index if index is not None else keyword_index(titles, bundled_aliases())
    query = _candidates(name)[-1] if _plain(name) else ""
    if not query:
        return ()
    found: list[str] = []
    for key, _score, _ in process.extract(query, list(index), scorer=fuzz.WRatio, limit=15):
        title = index[key]
        if title not in found:
            found.append(title)
    return tuple(found[:3])
