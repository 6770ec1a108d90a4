"""The 政府采购品目分类目录 (财库〔2022〕31号) from the rows of its table, as a code tree with an anomaly report.

The PDF is one three-column table (编码 | 品目名称 | 说明) over 137 pages. Reading it (``_pinmu_build``) gives
rows as the page shows them; this module turns them into items, a pure function that tests feed literals:

- the header row repeated on every page is dropped (and reported);
- a row without a code continues the row before it across a page break: its name and 说明 parts are
  appended (and reported), so nothing is lost;
- line breaks inside a cell are the cell's wrapping, not part of the text; a space inside Chinese text is
  a wrap too (``合成纤维及合纤聚合物生产装 置``);
- 说明 text that ran into the name column (``…设备包括…``) is moved back (and reported);
- the level and parent come from the code (``A02021003`` is level 4 under ``A02021000``); a code whose parent
  is not in the table, or that does not sit under the row above it, is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

TYPES = {"A": "goods", "B": "works", "C": "services"}
TYPE_NAMES = {"goods": "货物", "works": "工程", "services": "服务"}
_CODE = re.compile(r"^[ABC](?:\d{8})?$")
_WRAP_SPACE = re.compile(r"(?<=[\u4e00-\u9fff（）、，])\s+(?=[\u4e00-\u9fff（）、，])")
_DESCRIPTION_IN_NAME = re.compile(r"(?:包括|指|含)[\u4e00-\u9fff、，,（）()]{2,}(?:等。?|。)$")


@dataclass(frozen=True, slots=True)
class PinmuRow:
    """One row as printed: page (1-based), row on that page (0 = the header), and the three cells."""

    page: int
    row: int
    code: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class PinmuItem:
    """One 品目: ``PinmuItem('A02021003', 'A4黑白打印机', 'goods', 4, 'A02021000', '', 17, 12)``."""

    code: str
    name: str
    type: str  # goods | works | services
    level: int  # 0 for the type itself (A, B, C), then 1..4
    parent: str | None
    description: str
    page: int
    row: int


@dataclass(frozen=True, slots=True)
class PinmuAnomaly:
    """Something the parser decided about the document: ``kind``, where, and what."""

    kind: str
    page: int
    row: int
    code: str
    detail: str


def code_level(code: str) -> int:
    """``A`` -> 0, ``A01000000`` -> 1, ``A01010000`` -> 2, ``A01010200`` -> 3, ``A01010201`` -> 4."""
    if len(code) == 1:
        return 0
    groups = [code[i : i + 2] for i in range(1, 9, 2)]
    return max((i + 1 for i, g in enumerate(groups) if g != "00"), default=0)


def parent_code(code: str) -> str | None:
    """The code one level up: ``A01010201`` -> ``A01010200``; ``A01000000`` -> ``A``; ``A`` -> None."""
    level = code_level(code)
    if level == 0:
        return None
    if level == 1:
        return code[0]
    digits = code[1:]
    cut = 2 * (level - 1)
    return code[0] + digits[:cut] + "0" * (8 - cut)


def clean_cell(text: str | None) -> str:
    """A cell's text without its wrapping: line breaks removed, spaces inside Chinese text removed."""
    text = (text or "").replace("\n", "")
    return _WRAP_SPACE.sub("", text).strip()


def parse_pinmu_rows(rows: Iterable[PinmuRow]) -> tuple[list[PinmuItem], list[PinmuAnomaly]]:
    """Items in document order and every decision made on the way.

    >>> rows = [PinmuRow(11, 1, "A", "货物", ""), PinmuRow(11, 2, "A01000000", "房屋和构筑物", ""),
    ...         PinmuRow(12, 1, "", "", "屋。")]
    >>> items, anomalies = parse_pinmu_rows(rows)
    >>> [(i.code, i.level, i.parent) for i in items], [a.kind for a in anomalies]
    ([('A', 0, None), ('A01000000', 1, 'A')], ['description_continued'])
    """
    drafts: list[dict] = []
    anomalies: list[PinmuAnomaly] = []
    for row in rows:
        code = re.sub(r"\s+", "", row.code or "")
        name, description = clean_cell(row.name), clean_cell(row.description)
        if code == "编码" or (not code and name.replace(" ", "") == "品目名称"):
            anomalies.append(PinmuAnomaly("repeated_header", row.page, row.row, "", "每页重复的表头，已略去"))
            continue
        if not code:
            if not drafts:
                anomalies.append(
                    PinmuAnomaly("unplaced_row", row.page, row.row, "", f"表格开头没有编码的行：{name}|{description}")
                )
                continue
            last = drafts[-1]
            if name:
                last["name"] += name
                anomalies.append(
                    PinmuAnomaly("name_continued", row.page, row.row, last["code"], f"品目名称跨页续接：“{name}”")
                )
            if description:
                last["description"] += description
                anomalies.append(
                    PinmuAnomaly(
                        "description_continued", row.page, row.row, last["code"], f"说明跨页续接：“{description[:30]}”"
                    )
                )
            continue
        if not _CODE.match(code):
            anomalies.append(PinmuAnomaly("bad_code", row.page, row.row, code, f"编码格式不对，整行保留为说明：{name}"))
            if drafts:
                drafts[-1]["description"] += code + name + description
            continue
        drafts.append({"code": code, "name": name, "description": description, "page": row.page, "row": row.row})
    items: list[PinmuItem] = []
    seen: dict[str, PinmuItem] = {}
    stack: list[PinmuItem] = []
    for draft in drafts:
        code, name, description = draft["code"], draft["name"], draft["description"]
        page, row = draft["page"], draft["row"]
        if match := _DESCRIPTION_IN_NAME.search(name):
            moved = match.group()
            name = name[: match.start()]
            description = (moved + description) if description else moved
            anomalies.append(PinmuAnomaly("description_in_name", page, row, code, f"名称中混入说明，已移回：“{moved}”"))
        if code in seen:
            anomalies.append(PinmuAnomaly("repeated_code", page, row, code, f"编码重复，保留第一次：{name}"))
            continue
        level = code_level(code)
        parent = parent_code(code)
        if parent is not None and parent not in seen:
            known = next((p for p in _ancestors(code) if p in seen), None)
            anomalies.append(
                PinmuAnomaly("missing_parent", page, row, code, f"上级编码 {parent} 不在表中，挂在 {known} 下")
            )
            parent = known
        while stack and stack[-1].level >= level:
            stack.pop()
        if stack and parent is not None and stack[-1].code != parent:
            anomalies.append(
                PinmuAnomaly(
                    "code_not_under_row_above",
                    page,
                    row,
                    code,
                    f"编码不延续上方的 {stack[-1].code}，按编码归入 {parent}",
                )
            )
        item = PinmuItem(code, name, TYPES[code[0]], level, parent, description, page, row)
        items.append(item)
        seen[code] = item
        stack.append(item)
    return items, anomalies


def _ancestors(code: str) -> list[str]:
    out = []
    current = parent_code(code)
    while current is not None:
        out.append(current)
        current = parent_code(current)
    return out
