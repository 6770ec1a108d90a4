"""Where a sheet's header is, as offices lay sheets out, and which rows are no purchase.

Every 采购意向 and budget table published in China opens with a merged title row
(``某县财政局2026年6月政府采购意向``), a note (``填报单位（盖章）：…  单位：万元``), then the header, sometimes over
two rows (``资金来源`` over ``财政拨款 | 其他资金 | 合计``), and ends with a 合计 row and notes. This module reads
that layout from the first rows, as plain strings, so the CSV and the XLSX reader, the CLI and the page's
pickers all find the same header:

- ``find_layout(rows)``: the header row (or two), one name per column, the rows above it, the buyer named
  above it (title or 填报单位), and notes that say what was found;
- ``row_kind(row, text_at)``: ``blank``, ``total`` (合计, 小计, 总计) or ``note`` (注：…, 填表说明, 制表人) for a row
  that is no purchase and is left unjudged, else None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LOOK_ROWS = 30  # a header further down than this is no header an office would write
# words that head the columns of budget and procurement sheets (a cell that is one of them, or a short cell
# that contains one, reads as a column name)
HEADER_WORDS = (
    "序号",
    "编号",
    "项目名称",
    "采购项目",
    "项目",
    "名称",
    "品目",
    "内容",
    "概况",
    "需求",
    "金额",
    "预算",
    "资金",
    "来源",
    "单位",
    "部门",
    "时间",
    "日期",
    "方式",
    "类别",
    "类型",
    "代码",
    "编码",
    "备注",
    "数量",
    "单价",
    "合计",
)
MAX_HEADER_CELL = 40  # a column name is short; a longer cell is data or a note
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)%?")
_YEAR = re.compile(r"(?:19|20)\d\d(?:年(?:度)?)?")
# a note above the header, never a column name: 填报单位（盖章）：…, 单位：万元, 金额单位：元
_NOTE_CELL = re.compile(
    r"^(?:填报|编制|制表|报送|预算|采购|主管)?单位(?:（[^）]*）|\([^)]*\))?[：:]|金额单位|^(?:注|说明|备注)[：:]|盖章|^填报日期|^日期[：:]"
)
# the buyer named above the header
_LABELLED_BUYER = re.compile(
    r"(?:(?:填报|编制|报送|预算|采购|主管)?单位|部门)(?:名称)?(?:（[^）]*）|\([^)]*\))?[：:]\s*"
    r"(?P<name>[^\s：:，,；;（(\[]{2,40})"
)
_ORGAN = r"(?:局|委员会|委|办公室|办|院|中心|站|所|馆|队|会|部|厅|处|学校|校|医院|政府|法院|检察院|联合会|团)"
_TITLE_BUYER = re.compile(
    rf"^\s*(?P<name>[^\s\d，,：:（(]{{2,40}}?{_ORGAN})"
    r"\s*(?:（[^）]*）|\([^)]*\))?\s*(?:(?:19|20)\d\d|关于|政府采购|部门预算|预算|采购意向|项目|本级)"
)
_NOT_A_UNIT = re.compile(r"万元|^元$|人民币")

# rows that are no purchase
# a unit's or department's own row in a budget table, which sums the lines below it:
# 柳林县人力资源和社会保障局[部门] | 4307.30, then 柳林县创业就业服务中心 | 1242.01
_UNIT_ROW = re.compile(rf"^[^\d\s，,；;：:]{{2,40}}?{_ORGAN}(?:\[部门\]|（部门）|\(部门\)|本级)?$")
_NUMBERING = re.compile(r"\d{1,2}|栏次|[一二三四五六七八九十]{1,3}")
_TOTAL = re.compile(
    r"^(?:(?:部门|单位|本部门|本单位|本页|全年|项目)?(?:总合计|合计|小计|总计)|累计|合计金额|总金额)(?:[：:（(].*)?$"
)
_NOTE_ROW = re.compile(
    r"^(?:注|备注|说明|附注|填表说明|填报说明|填表人|填报人|制表人|制表|审核人|审核|负责人|单位负责人|联系人|联系电话|电话|经办人|填报日期|制表日期)\s*[0-9一二三四五六七八九十]*\s*[：:、.]"
    r"|^(?:填表说明|填报说明)"
)


@dataclass
class Layout:
    """What the first rows of a sheet hold. ``start`` and ``end`` are the header's rows, 0-based, end
    exclusive (one row: ``end == start + 1``); ``names`` one per column; ``above`` the rows above the header,
    as they were; ``buyer`` the buyer named above it, with the 1-based row it was read from."""

    start: int
    end: int
    names: list[str]
    above: list[list[str]] = field(default_factory=list)
    buyer: str | None = None
    buyer_row: int | None = None

    @property
    def rows_used(self) -> str:
        """The header's rows as a person counts them: ``第 3 行`` or ``第 3–4 行``."""
        if self.end - self.start == 1:
            return f"第 {self.start + 1} 行"
        return f"第 {self.start + 1}–{self.end} 行"

    def notes(self) -> list[str]:
        """What a user is told about the layout (nothing when the header is the first row alone)."""
        out = []
        if self.start or self.end - self.start > 1:
            joined = "（两行表头已合并为一行列名，如“上/下”）" if self.end - self.start > 1 else ""
            out.append(f"表头：{self.rows_used}{joined}；其上 {self.start} 行（标题、说明）原样保留")
        return out


class LayoutError(ValueError):
    """A header row the user named that the sheet does not have."""


def _filled(row: list[str]) -> list[tuple[int, str]]:
    return [(k, cell.strip()) for k, cell in enumerate(row) if cell and cell.strip()]


def _numeric(cell: str) -> bool:
    """A number that is data (序号 1, 金额 120.5), not a year in a column name."""
    return bool(_NUMBER.fullmatch(cell)) and not _YEAR.fullmatch(cell)


def _header_words(cells: list[str]) -> int:
    return sum(
        1 for cell in cells if cell in HEADER_WORDS or (len(cell) <= 12 and any(w in cell for w in HEADER_WORDS))
    )


def _could_name_columns(cells: list[str]) -> bool:
    """Cells that could all be column names: short, no data numbers, no note."""
    return bool(cells) and not any(
        len(cell) > MAX_HEADER_CELL or _numeric(cell) or _NOTE_CELL.search(cell) for cell in cells
    )


def _continues(top: list[str], below: list[str]) -> bool:
    """Whether ``below`` is the second row of a two-row header under ``top``: it names only columns under a
    merged group of ``top`` (where ``top`` is empty, or starts the group), at least one where ``top`` is empty."""
    cells = _filled(below)
    if not _could_name_columns([c for _, c in cells]):
        return False
    width = max(len(top), len(below))
    top = top + [""] * (width - len(top))
    under_gap = False
    for k, _cell in cells:
        if not top[k].strip():
            under_gap = True
            continue
        starts_group = k + 1 < width and not top[k + 1].strip()
        if not starts_group:
            return False
    return under_gap


def joined_names(top: list[str], below: list[str] | None, width: int) -> list[str]:
    """One name per column; under a merged group the group's name and the column's, ``资金来源/财政拨款``.

    >>> joined_names(["序号", "资金来源", "", "", "备注"], ["", "财政拨款", "其他资金", "合计", ""], 5)
    ['序号', '资金来源/财政拨款', '资金来源/其他资金', '资金来源/合计', '备注']
    """
    top = [c.strip() for c in top] + [""] * (width - len(top))
    below = [c.strip() for c in (below or [])] + [""] * (width - len(below or []))
    names, group = [], ""
    for k in range(width):
        if top[k]:
            group = top[k]
        if below[k] and (top[k] or group):
            names.append(f"{top[k] or group}/{below[k]}")
        else:
            names.append(top[k] or below[k])
        if top[k] and not below[k]:
            group = top[k]
    return unique_names(names)


def unique_names(names: list[str]) -> list[str]:
    """Every column a distinct, non-empty name: an empty one is ``第k列``, a repeated one gets ``_2``.

    >>> unique_names(["项目", "", "项目"])
    ['项目', '第2列', '项目_2']
    """
    out: list[str] = []
    taken: set[str] = set()
    for k, name in enumerate(names, start=1):
        name = name or f"第{k}列"
        base, n = name, 2
        while name in taken:
            name = f"{base}_{n}"
            n += 1
        taken.add(name)
        out.append(name)
    return out


def _buyer(above: list[list[str]]) -> tuple[str | None, int | None]:
    """The buyer named above the header: a 填报单位 line first (it names the unit itself), else a title that
    starts with an organ's name (``某县财政局2026年6月政府采购意向``)."""
    for pattern in (_LABELLED_BUYER, _TITLE_BUYER):
        for k, row in enumerate(above):
            for _, cell in _filled(row):
                found = pattern.search(cell)
                if found and not _NOT_A_UNIT.search(found.group("name")):
                    return found.group("name"), k + 1
    return None, None


def find_layout(
    rows: list[list[str]], header_row: int | None = None, header_rows: int | None = None, *, width: int | None = None
) -> Layout:
    """The header among the first rows, past titles, notes and unit lines; a second header row is joined.

    ``header_row`` (1-based) names it instead, and ``header_rows`` (1 or 2) how many rows it has; a row past
    the rows given is a LayoutError. ``width`` is the sheet's widest row (default: the widest row given).

    >>> layout = find_layout([["某县财政局2026年6月政府采购意向", "", ""],
    ...                       ["填报单位（盖章）：某县财政局", "", "单位：万元"],
    ...                       ["序号", "采购项目名称", "预算金额（万元）"],
    ...                       ["1", "办公楼物业管理服务", "12.5"]])
    >>> layout.rows_used, layout.names, layout.buyer
    ('第 3 行', ['序号', '采购项目名称', '预算金额（万元）'], '某县财政局')
    """
    window = rows[:LOOK_ROWS]
    width = max([len(r) for r in rows] + [width or 0])
    if header_row is not None:
        if not 1 <= header_row <= len(rows):
            raise LayoutError(f"表头行号 {header_row} 超出范围：前 {len(rows)} 行中没有这一行")
        start = header_row - 1
        below = start + 1 < len(rows)
        two = header_rows == 2 or (header_rows is None and below and _continues(rows[start], rows[start + 1]))
        if two and not below:
            raise LayoutError(f"第 {header_row} 行之下没有第二行表头")
    else:
        start = _header_start(window)
        two = start + 1 < len(window) and _continues(window[start], window[start + 1])
    end = start + (2 if two else 1)
    names = joined_names(rows[start], rows[start + 1] if two else None, width)
    above = [list(r) for r in rows[:start]]
    buyer, buyer_row = _buyer(above)
    return Layout(start, end, names, above, buyer, buyer_row)


def _header_start(window: list[list[str]]) -> int:
    """The first row that can name the columns and fills at least half as many cells as the fullest row;
    one with header words (序号, 项目名称, 金额 …) is preferred over one without."""
    filled = [_filled(row) for row in window]
    most = max((len(f) for f in filled), default=0)
    if most <= 1:  # one column: its first filled row
        return next((k for k, cells in enumerate(filled) if cells), 0)
    candidates = [
        k
        for k, cells in enumerate(filled)
        if len(cells) >= max(2, (most + 1) // 2) and _could_name_columns([c for _, c in cells])
    ]
    if not candidates:
        return 0
    worded = [k for k in candidates if _header_words([c for _, c in filled[k]])]
    return worded[0] if worded else candidates[0]


def row_kind(row: list[str], text_at: int | None = None) -> str | None:
    """The kind of a row that is no purchase, else None:

    - ``blank``;
    - ``total``: a total word (合计, 小计, 总计) in a cell, and the purchase cell empty or that word;
    - ``note``: a note (注：…, 填表说明, 制表人：…) at the row's start, or a signature or date line with an
      empty purchase cell;
    - ``numbering``: the 栏次 row ``1 | 2 | 3 …`` under a header;
    - ``subtotal``: a unit's own row in a budget table, its name and amounts only
      (``柳林县创业就业服务中心 | 1242.01``).


    >>> row_kind(["", "合计", "", "1,250.00"], 1), row_kind(["合 计", "", "300"], 1)
    ('total', 'total')
    >>> row_kind(["注：本表金额单位为万元", "", ""], 1), row_kind(["3", "合计办公用品采购", "2"], 1)
    ('note', None)
    >>> row_kind(["柳林县创业就业服务中心", "1242.01", "1242.01"], 0), row_kind(["1", "2", "3", "4"], 0)
    ('subtotal', 'numbering')
    >>> row_kind(["零工市场基础建设", "30.50", "30.50"], 0)
    """
    cells = _filled(row)
    if not cells:
        return "blank"
    text = row[text_at].strip() if text_at is not None and text_at < len(row) else ""
    plain = [(k, re.sub(r"\s+", "", cell)) for k, cell in cells]
    text_plain = re.sub(r"\s+", "", text)
    if any(_TOTAL.match(cell) for _, cell in plain) and (not text_plain or _TOTAL.match(text_plain)):
        return "total"
    first = plain[0][1]
    if _NOTE_ROW.match(first) and len(cells) <= 3 and (not text_plain or text_plain == first):
        return "note"
    if len(cells) >= 3 and all(_NUMBERING.fullmatch(cell) for _, cell in plain) and _counts_up(plain):
        return "numbering"  # the 栏次 row under a header: 1 | 2 | 3 …
    numbers = sum(_numeric(cell) for _, cell in plain)
    if text_plain and _UNIT_ROW.match(text_plain) and numbers and numbers == len(plain) - 1:
        return "subtotal"
    if not text_plain and text_at is not None and len(cells) <= 2 and not numbers:
        return "note"  # a signature or date line under the table: 某县财政局 / 2026年6月1日
    return None


def _counts_up(plain: list[tuple[int, str]]) -> bool:
    numbers = [int(cell) for _, cell in plain if cell.isdigit()]
    return len(numbers) == len(plain) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


__all__ = ["LOOK_ROWS", "Layout", "LayoutError", "find_layout", "joined_names", "row_kind", "unique_names"]
