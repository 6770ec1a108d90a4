"""Read a whole document (PDF text) and find the catalog table in it.

``parse_catalog(text)`` is a pure function: it locates the table by its header row
(``代码 一级目录 二级目录 三级目录 四级目录``), reads every row as printed, and hands the rows to
``_canonical`` to build the trees. It never stops at a bad line: what it cannot place becomes an
``Anomaly`` of kind ``unplaced_line``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from ._canonical import build_sections
from ._errors import CatalogParseError
from ._model import Anomaly, Catalog, PrintedRow, Section
from ._text import looks_like_code, strip_tags

_HEADER = ("代码", "一级目录", "二级目录", "三级目录", "四级目录")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_PAGE_NUMBER = re.compile(r"^[—–\-－]\s*\d+\s*[—–\-－]$")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}[〔【\[（(]\s*\d{4}\s*[〕】\])）]\s*\d+\s*号$")
_TOC_ENTRY = re.compile(r"^(?P<title>[^\t.…]+?)\s*[.…]{3,}\s*(?P<page>\d+)\s*$")


@dataclass
class _Reading:
    """Mutable state of one pass over the table; only ``parse_catalog`` sees it."""

    rows: list[PrintedRow] = field(default_factory=list)
    sections: list[tuple[str, int]] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    pending: list[tuple[int, str]] = field(default_factory=list)
    department: str | None = None

    def note(self, kind: str, line: int | None, printed: str, decided: str) -> None:
        self.anomalies.append(Anomaly(kind, self.department, line, printed, decided))

    def flush_pending(self) -> None:
        """Lines between table rows that are not rows: report each, never drop silently."""
        for line, text in self.pending:
            if _PAGE_NUMBER.match(text):
                self.note("page_number", line, text, "已略去：表格中的页码")
            else:
                self.note("unplaced_line", line, text, "已略去：不是目录行")
        self.pending.clear()


def parse_catalog(text: str) -> Catalog:
    """Parse a document that contains a 政府购买服务指导性目录 table into a ``Catalog``.

    >>> from catalog import bundled_document
    >>> cat = parse_catalog(bundled_document())  # the text of liulin_hrss_budget_2026.txt
    >>> len(cat.sections)
    56
    """
    lines = _LINE_BREAK.split(text)
    start = _find_header(lines)
    if start is None:
        raise CatalogParseError(
            "没有找到目录表格：应有一行表头“代码、一级目录、二级目录、三级目录、四级目录”（以制表符分隔）"
        )
    toc = _table_of_contents(lines[:start])
    reading = _read_table(lines, start, set(toc))
    if not reading.rows:
        raise CatalogParseError(f"第 {start + 1} 行开始的目录表格没有任何条目")
    sections = build_sections(reading.rows, reading.sections, reading.anomalies)
    aliases = _reconcile_toc(toc, [s.title for s in sections], reading.anomalies)
    return Catalog(
        title=_title(lines, start),
        source_version=_source_version(lines[:start]),
        sections=tuple(sections),
        rows=tuple(reading.rows),
        anomalies=tuple(reading.anomalies),
        content_hash=content_hash(sections),
        aliases=aliases,
    )


def content_hash(sections: list[Section] | tuple[Section, ...]) -> str:
    """A short hash of the canonical trees; models record it to notice a changed catalog."""
    payload = [[s.title, [[n.code, n.level, n.name, n.section_name, n.parent] for n in s.nodes]] for s in sections]
    blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _is_header(cells: list[str]) -> bool:
    return len(cells) >= 3 and strip_tags(cells[0]) == "代码" and sum("目录" in c for c in cells[1:]) >= 2


def _find_header(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if _is_header(_cells(line)):
            return index
    return None


def _read_table(lines: list[str], start: int, toc_titles: set[str]) -> _Reading:
    reading = _Reading()
    for index in range(start + 1, len(lines)):
        lineno, raw = index + 1, lines[index]
        if not raw.strip():
            continue
        cells = _cells(raw)
        if _is_header(cells):
            reading.flush_pending()
            shown = " ".join(strip_tags(c) for c in cells if c)
            if tuple(strip_tags(c) for c in cells[:5]) == _HEADER and not any(cells[5:]):
                reading.note("repeated_header", lineno, shown, "已略去：分页处重复的表头")
            else:
                reading.note("misprinted_header", lineno, shown, "已略去：列名印错的表头")
            continue
        if _read_section_title(reading, lineno, cells, toc_titles) or _read_row(reading, lineno, cells):
            continue
        reading.pending.append((lineno, raw.strip()))
    # Lines after the last row are the rest of the document, not part of the table.
    return reading


def _read_section_title(reading: _Reading, lineno: int, cells: list[str], toc_titles: set[str]) -> bool:
    first = cells[0]
    title = strip_tags(first).strip()
    is_title = (len(cells) >= 2 and not any(cells[1:]) and title and not looks_like_code(first)) or (
        len(cells) == 1 and title in toc_titles
    )
    if not is_title:
        return False
    reading.flush_pending()
    reading.department = title
    reading.sections.append((title, lineno))
    if title != first:
        reading.note("markup", lineno, first, f"部门标题读作“{title}”")
    return True


def _read_row(reading: _Reading, lineno: int, cells: list[str]) -> bool:
    names = [(level, cell) for level, cell in enumerate(cells[1:5], start=1) if cell]
    if len(cells) < 2 or len(names) != 1 or any(cells[5:]) or not looks_like_code(cells[0]):
        return False
    if reading.department is None:
        return False  # a row before any section title cannot be placed; reported as pending
    reading.flush_pending()
    level, name = names[0]
    if strip_tags(name) != name or strip_tags(cells[0]) != cells[0]:
        reading.note("markup", lineno, f"{cells[0]} {name}", "已去掉行中的格式标签")
    reading.rows.append(PrintedRow(lineno, reading.department, level, strip_tags(cells[0]), strip_tags(name)))
    return True


def _title(lines: list[str], start: int) -> str:
    for line in reversed(lines[max(0, start - 5) : start]):
        text = strip_tags(line).strip(" #*\t")
        if "目录" in text:
            return text
    return "政府购买服务指导性目录"


def _source_version(before: list[str]) -> str | None:
    """The number of the notice that issued the catalog: the innermost (last) one forwarded."""
    found = None
    for line in before:
        text = strip_tags(line).strip(" #*\t")
        if _DOC_NUMBER.match(text):
            found = re.sub(r"\s+", "", text)
    return found


def _table_of_contents(before: list[str]) -> dict[str, int]:
    """Entries of the catalog's own table of contents (``民政 ..... 21``), nearest the table."""
    heading = max(
        (i for i, line in enumerate(before) if re.sub(r"[\s#*]", "", strip_tags(line)) == "目录"),
        default=None,
    )
    if heading is None:
        return {}
    entries: dict[str, int] = {}
    for line in before[heading + 1 :]:
        match = _TOC_ENTRY.match(strip_tags(line).strip())
        if match:
            entries[match["title"].strip()] = int(match["page"])
    return entries


def _reconcile_toc(toc: dict[str, int], titles: list[str], anomalies: list[Anomaly]) -> dict[str, str]:
    """Compare the table of contents with the section titles; differing TOC names become aliases."""
    aliases: dict[str, str] = {}
    unmatched = [t for t in titles if t not in toc]
    for entry in toc:
        if entry in titles:
            continue
        close = [t for t in unmatched if t.startswith(entry) or entry.startswith(t)]
        if len(close) == 1:
            aliases[entry] = close[0]
            anomalies.append(
                Anomaly(
                    "toc_mismatch",
                    close[0],
                    None,
                    f"目录: {entry}",
                    f"保留正文标题“{close[0]}”，目录中的“{entry}”作为它的别名",
                )
            )
        else:
            anomalies.append(
                Anomaly("toc_mismatch", None, None, f"目录: {entry}", "目录中列出，但正文中没有这个部门的章节")
            )
    return aliases
