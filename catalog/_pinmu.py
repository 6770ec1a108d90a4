"""The 政府采购品目分类目录 (财库〔2022〕31号) at run time: an immutable code tree loaded once from package data.

Every purchase line has a 品目 (what is bought: ``A`` 货物, ``B`` 工程, ``C`` 服务) beside, for a service, its leaf
in the guidance catalog. The tree is parsed from the official PDF at build time (``_pinmu_build``); here it
is only read.

>>> from catalog import load_pinmu
>>> pinmu = load_pinmu()
>>> pinmu.item("A02021003").name, pinmu.type_of("A02021003")
('A4黑白打印机', 'goods')
>>> [i.code for i in pinmu.path("A02021003")]
['A', 'A02000000', 'A02020000', 'A02021000', 'A02021003']
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from ._pinmu_parse import TYPES, PinmuAnomaly, PinmuItem

PINMU_TITLE = "政府采购品目分类目录"
PINMU_VERSION = "财库〔2022〕31号"
_CODE_QUERY = re.compile(r"^[ABCabc]\d{0,8}$")


@dataclass(frozen=True, slots=True)
class PinmuHit:
    """A search result: the item, a score in [0, 1], and where the query was found (名称, 说明, 编码)."""

    item: PinmuItem
    score: float
    found_in: str


@dataclass(frozen=True, slots=True)
class Pinmu:
    """The whole 品目 tree. ``items`` are in document order; lookups by code are O(1)."""

    items: tuple[PinmuItem, ...]
    anomalies: tuple[PinmuAnomaly, ...] = ()
    title: str = PINMU_TITLE
    version: str = PINMU_VERSION
    _by_code: dict[str, PinmuItem] = field(init=False, repr=False, compare=False)
    _children: dict[str, tuple[PinmuItem, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {i.code: i for i in self.items}
        children: dict[str, list[PinmuItem]] = {}
        for i in self.items:
            if i.parent is not None:
                children.setdefault(i.parent, []).append(i)
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})

    def item(self, code: str) -> PinmuItem | None:
        """The item with this code (``a02021003`` and ``A 0202 1003`` are read as ``A02021003``), or None."""
        return self._by_code.get(normalize_pinmu_code(code))

    def children(self, code: str) -> tuple[PinmuItem, ...]:
        return self._children.get(normalize_pinmu_code(code), ())

    def is_leaf(self, code: str) -> bool:
        return normalize_pinmu_code(code) in self._by_code and not self.children(code)

    def leaves(self) -> list[PinmuItem]:
        """Last-level items: the ones a purchase is filed under, each with its 说明."""
        return [i for i in self.items if i.code not in self._children]

    def path(self, code: str) -> list[PinmuItem]:
        """From the type (``A``) down to the item; empty for an unknown code."""
        out = []
        current = self.item(code)
        while current is not None:
            out.append(current)
            current = self._by_code.get(current.parent) if current.parent else None
        return out[::-1]

    @staticmethod
    def type_of(code: str) -> str | None:
        """``goods``, ``works`` or ``services`` from the code's letter; None when it is not a 品目 code."""
        code = normalize_pinmu_code(code)
        return TYPES.get(code[:1]) if code else None

    def search(self, query: str, limit: int = 20, type: str | None = None) -> list[PinmuHit]:
        """Items by code (exact, then prefix) or by words in the name and the 说明, best first.

        >>> [h.item.code for h in load_pinmu().search("助听器", limit=1)]
        ['A02323100']
        """
        query = query.strip()
        if not query:
            return []
        pool = [i for i in self.items if type is None or i.type == type]
        if _CODE_QUERY.match(query.replace(" ", "")):
            code = normalize_pinmu_code(query)
            exact = [PinmuHit(i, 1.0, "编码") for i in pool if i.code == code]
            prefix = code.rstrip("0") if len(code) == 9 else code
            starts = [PinmuHit(i, 0.9, "编码") for i in pool if i.code.startswith(prefix) and i.code != code]
            return (exact + starts)[:limit]
        words = [w for w in re.split(r"[\s,，、;；]+", query) if w]
        hits = []
        for item in pool:
            in_name = sum(w in item.name for w in words)
            in_description = sum(w in item.description for w in words)
            if not in_name and not in_description:
                continue
            # a name that is the query beats a name that contains it; the name beats the 说明
            score = (in_name + 0.5 * in_description) / len(words)
            if item.name == query:
                score += 1.0
            elif in_name:
                score += 0.5 * len(query) / max(len(item.name), len(query))
            hits.append(PinmuHit(item, round(min(score / 2, 1.0), 4), "名称" if in_name else "说明"))
        hits.sort(key=lambda h: (-h.score, (h.item.level == 4 and 0) or 1, h.item.code))
        return hits[:limit]


def normalize_pinmu_code(code: str) -> str:
    """``a02021003`` -> ``A02021003``; ``A0202 1003`` -> ``A02021003``; ``C`` -> ``C``; other text unchanged."""
    return re.sub(r"\s+", "", code or "").upper()


def parse_pinmu_tsv(items_tsv: str, anomalies_tsv: str = "") -> Pinmu:
    """A ``Pinmu`` from the TSV files the build step writes."""
    items = tuple(
        PinmuItem(
            r["code"],
            r["name"],
            r["type"],
            int(r["level"]),
            r["parent"] or None,
            r["description"],
            int(r["page"]),
            int(r["row"]),
        )
        for r in csv.DictReader(io.StringIO(items_tsv), delimiter="\t")
    )
    anomalies = tuple(
        PinmuAnomaly(r["kind"], int(r["page"]), int(r["row"]), r["code"], r["detail"])
        for r in csv.DictReader(io.StringIO(anomalies_tsv), delimiter="\t")
    )
    return Pinmu(items, anomalies)


@cache
def load_pinmu() -> Pinmu:
    """The bundled 品目 tree, read once."""
    data = files("catalog.data")
    return parse_pinmu_tsv(
        data.joinpath("pinmu_2022.tsv").read_text(encoding="utf-8"),
        data.joinpath("pinmu_2022_anomalies.tsv").read_text(encoding="utf-8"),
    )


@dataclass(frozen=True, slots=True)
class CrosswalkRow:
    """A guidance-catalog node and its 品目 C code; ``method`` is ``exact`` (the same name), ``reviewed`` (chosen
    by a reviewer who saw both catalogues, ``score`` 1.0 high / 0.7 medium confidence) or ``tentative`` (the
    reviewer's low-confidence choice, 0.4: shown as 推定, never stated as fact)."""

    @property
    def shown_as_fact(self) -> bool:
        return self.method in ("exact", "reviewed")

    department: str
    code: str
    level: int
    name: str
    pinmu_code: str
    pinmu_name: str
    method: str
    score: float


@cache
def load_crosswalk() -> dict[tuple[str, str], CrosswalkRow]:
    """(section title, code) -> its 品目 C code, from ``catalog/data/crosswalk_pinmu.tsv``.

    >>> load_crosswalk()[("人民代表大会常务委员会办公厅(室)", "A1502")].pinmu_code
    'C23070200'
    """
    text = files("catalog.data").joinpath("crosswalk_pinmu.tsv").read_text(encoding="utf-8")
    rows = {}
    for r in csv.DictReader(io.StringIO(text), delimiter="\t"):
        row = CrosswalkRow(
            r["department"],
            r["code"],
            int(r["level"]),
            r["name"],
            r["pinmu_code"],
            r["pinmu_name"],
            r["method"],
            float(r["score"]),
        )
        rows[(row.department, row.code)] = row
    return rows
