"""Map the names people write (``县民政局``, ``柳林县人社局``, ``团县委``) to catalog section titles.

Users name their own organ; the catalog names a line of work. We strip what varies between
counties (place names in front, organ words such as 局/委/办 behind) and look the core word up in
the section titles and in a reviewed alias table (``data/department_aliases.tsv``).

A name longer than ``MAX_DEPARTMENT_CHARS`` is refused unread, and the readings of a shorter one
are capped (``_MAX_ORGANS``, ``_MAX_PLACES``, ``_MAX_STRIPS``, all above what real names need), so
a lookup costs time linear in the name however it repeats place and organ words (``局`` * 100).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from importlib.resources import files
from itertools import islice

from rapidfuzz import fuzz, process

from ._errors import DepartmentNameTooLongError, UnknownDepartmentError
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

MAX_DEPARTMENT_CHARS = 100
"""The longest department name resolved (stripped of surrounding spaces); real ones stay under 40."""

# Readings tried per name: organs a unit may sit below, place names in front, organ words stripped
# behind. Real names need at most 5, 4 and 4; the caps keep repeats such as 局局局… from multiplying.
_MAX_ORGANS = 8
_MAX_PLACES = 8
_MAX_STRIPS = 8


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
    """``人力资源和社会保障局`` -> [``人力资源和社会保障局``, ``人力资源和社会保障``]; ``_MAX_STRIPS`` at most."""
    out = [text]
    while len(out) <= _MAX_STRIPS:
        for suffix in _ORGAN_SUFFIXES:
            if out[-1].endswith(suffix) and len(out[-1]) > len(suffix) + 1:
                out.append(out[-1][: -len(suffix)])
                break
        else:
            break
    return out


def _too_long(name: str) -> int | None:
    """The length of a name over ``MAX_DEPARTMENT_CHARS``, else None.

    Counted as written (surrounding spaces aside) before anything else, since NFKC itself is slow on
    long runs of combining marks; then as read, since NFKC can also lengthen a name (U+FDFA reads as 15).
    """
    length = len(name.strip())
    if length <= MAX_DEPARTMENT_CHARS:
        length = len(_plain(name))
    return length if length > MAX_DEPARTMENT_CHARS else None


def _candidates(name: str) -> list[str]:
    """Readings of a name from the most to the least literal; the first is the whole name.

    Every reading is a slice of the whole name and there are at most
    (_MAX_ORGANS + 1) * (_MAX_PLACES + 1) * (_MAX_STRIPS + 1) of them.
    """
    text = _PARTY_PREFIX.sub("", _plain(name))
    # a branch or unit below an organ: 吕梁市生态环境局柳林分局 -> 吕梁市生态环境局
    ends = (m.end() for m in _ORGAN_END.finditer(text) if m.end() < len(text))
    organs = [text[:end] for end in islice(ends, _MAX_ORGANS)]
    heads = []
    for whole in [text, *organs]:
        starts = (m.end() for m in _PLACE_END.finditer(whole) if m.end() < len(whole))
        heads += [whole] + [whole[start:] for start in islice(starts, _MAX_PLACES)]
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
    length = _too_long(name)
    if length is not None:
        raise DepartmentNameTooLongError(name, length, MAX_DEPARTMENT_CHARS)
    aliases = {**bundled_aliases(), **(extra_aliases or {})}
    return _resolve(name, tuple(titles), tuple(sorted(aliases.items())))


@lru_cache(maxsize=4096)
def _cached_index(titles: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return keyword_index(titles, dict(aliases))


@lru_cache(maxsize=4096)
def _cached_containing(titles: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, frozenset[str]]:
    """Every piece of a core word -> the titles of the core words it is part of (``人力资源`` -> ...)."""
    found: dict[str, set[str]] = {}
    for key, title in _cached_index(titles, aliases).items():
        for start in range(len(key)):
            for end in range(start + 1, len(key) + 1):
                found.setdefault(key[start:end], set()).add(title)
    return {piece: frozenset(found_titles) for piece, found_titles in found.items()}


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
    # (every reading is a slice of the first, so only the core words in the first can be inside one)
    present = [key for key in index if len(key) >= 2 and key in candidates[0]]
    for candidate in candidates:
        inside = [key for key in present if key in candidate]
        if inside:
            longest = max(map(len, inside))
            titles_found = {index[key] for key in inside if len(key) == longest}
            if len(titles_found) == 1:
                return titles_found.pop()
    # a shortened name: 人力资源局 is part of 人力资源和社会保障 only
    containing = _cached_containing(titles, aliases)
    for candidate in candidates:
        found = containing.get(candidate, frozenset())
        if len(found) == 1 and len(_ORGAN_WORDS.sub("", candidate)) >= 2:
            return next(iter(found))
    raise UnknownDepartmentError(name, suggest_departments(name, titles, index))


SUGGESTION_CUTOFF = 70  # rapidfuzz WRatio: 妇女连合会 -> 妇女联合会 (75) is suggested, 科协 -> 科学技术 (60) is not
_GENERIC_CORES = frozenset({"管理", "服务", "事务", "中心", "办公室", "委员会", "人民政府", "工作", "办公"})
_TOWN_GOVERNMENT = re.compile(r"(?:镇|乡|街道)(?:人民政府|政府|办事处)$|街道办事处$")


def suggest_departments(name: str, titles: Iterable[str], index: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Up to three section titles closest to ``name``, best first; none for a name over ``MAX_DEPARTMENT_CHARS``."""
    if _too_long(name) is not None:
        return ()
    index = index if index is not None else keyword_index(titles, bundled_aliases())
    query = _candidates(name)[-1] if _plain(name) else ""
    # a suggestion must be plausible or absent: no guess from one character, an organ word (管理, 事务) or a
    # town government's name (柳林镇人民政府 is not the 人民政府办公厅), and only close spellings
    if len(query) < 2 or query in _GENERIC_CORES or _TOWN_GOVERNMENT.search(_plain(name)):
        return ()
    found: list[str] = []
    for key, _score, _ in process.extract(
        query, list(index), scorer=fuzz.WRatio, limit=15, score_cutoff=SUGGESTION_CUTOFF
    ):
        title = index[key]
        if title not in found:
            found.append(title)
    return tuple(found[:3])
