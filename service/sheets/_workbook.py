"""The .xlsx an officer can hand on: the input workbook with gpsc's columns added, streamed in flat memory.

- the tagged sheet keeps its name and place; every other sheet of the input workbook is copied after it in
  the same order, **as cell values only** (numbers, dates and their number formats stay; fonts, fills,
  borders, merged cells, column widths, comments, charts and formulas of those sheets are lost; a formula
  keeps its last value computed by Excel, or its text when the file has none);
- pass-through cells keep their types (an .xlsx's numbers and dates with their number formats; a CSV's plain
  numbers become numbers, with as many decimals as written, while ``0012`` or an 18-digit number stays text);
- the header row is frozen and carries an autofilter over the data; column widths come from the header and
  the first rows (a CJK character counts double);
- the verdict (and audit) cells get a light fill in the web page's colours (``service/web/style.css``);
- with Chinese headers (the default for .xlsx) gpsc's columns, verdicts, audit kinds and reasons read in
  Chinese (``COLUMN_TITLES``; ``--headers machine`` keeps ``gpsc_*`` and ``eligible`` …);
- a sheet named 汇总 holds the counts and amounts of ``SheetTally``.

Text that starts with ``=`` is written as a text cell, so that Excel and WPS show it and never run it.
openpyxl's write-only mode writes every row as it comes: styles, widths and frozen panes are set before the
first row, the autofilter (written at the end) once the row count is known.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from copy import copy

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ._summary import AddedColumns, SheetTally
from ._tables import Formatted, Table, formula_view, load_xlsx, sheet_rows

# style.css: --green #1b7f3b, --red #b3261e, --amber #9a6700 as the text, on a light tint of the same colour
VERDICT_COLOURS = {
    "eligible": ("1B7F3B", "E6F4EA"),
    "ineligible": ("B3261E", "FDECEA"),
    "review": ("9A6700", "FFF4D6"),
}
AUDIT_COLOURS = {"ok": "eligible", "ineligible": "ineligible"}  # every other kind is a problem to review
HEADER_FILL = "F6F8FA"  # style.css --bg
SUMMARY_SHEET = "汇总"
SAMPLE_ROWS = 200  # rows that set the column widths
MIN_WIDTH, MAX_WIDTH = 6, 60
_PLAIN_INT = re.compile(r"-?(?:0|[1-9]\d*)")
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)\.(\d+)")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
MAX_DIGITS = 15  # Excel keeps 15 significant digits: a longer number (an ID) stays text


def csv_number(text: object) -> object:
    """A CSV cell as Excel would hold it: a plain number becomes a number (its decimals kept as a number
    format), anything else stays text.

    >>> csv_number("12"), csv_number("0012"), csv_number("1760.00"), csv_number("1,760"), csv_number("-5")
    (12, '0012', Formatted(value=1760.0, number_format='0.00'), '1,760', -5)
    """
    if not isinstance(text, str) or not text or len(text) > MAX_DIGITS + 3:
        return text
    if _PLAIN_INT.fullmatch(text):
        return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else text
    found = _PLAIN_DECIMAL.fullmatch(text)
    if found and len(text.lstrip("-").replace(".", "").lstrip("0")) <= MAX_DIGITS:
        decimals = len(found.group(1))
        return Formatted(float(text), "0." + "0" * decimals) if decimals <= 10 else float(text)
    return text


def text_width(value: object) -> int:
    """How wide a value shows: a CJK (wide or full-width) character counts two.

    >>> text_width("社工站"), text_width("A150201"), text_width(12.5)
    (6, 7, 5)
    """
    if isinstance(value, Formatted):
        value = value.value
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 10 if value.time() == dt.time() else 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        value = f"{value:,.2f}" if not value.is_integer() else f"{value:,.0f}"
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(header: list[str], rows: Iterable[list[object]]) -> list[float]:
    """Widths from the header (plus room for the filter button) and a sample of rows, within 6 … 60."""
    widest = [text_width(name) + 4 for name in header]
    for row in rows:
        for k, value in enumerate(row[: len(widest)]):
            widest[k] = max(widest[k], text_width(value) + 2)
    return [min(max(w, MIN_WIDTH), MAX_WIDTH) for w in widest]


def sheet_title(name: str | None, taken: set[str]) -> str:
    """A valid sheet name (no ``[]:*?/\\``, at most 31 characters), not yet taken.

    >>> sheet_title("2026年预算[草稿]", set()), sheet_title("汇总", {"汇总"})
    ('2026年预算_草稿_', '汇总（gpsc）')
    """
    title = _BAD_TITLE.sub("_", (name or "").strip().strip("'"))[:31] or "Sheet1"
    if title.lower() in {t.lower() for t in taken}:
        title = f"{title[:25]}（gpsc）"
    return title


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    """A string that looks like a formula, written as text: the sheet shows it, Excel never runs it."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


class WorkbookWriter:
    """Rows in, an officer's .xlsx out (see the module's docstring); ``save(target)`` at the end.

    ``source`` is the open input table: its sheet name, its other sheets and (for an .xlsx) its typed cells.
    ``tally`` is the ``SheetTally`` that ``tag_table`` fills; its 汇总 is written at ``save``.
    """

    def __init__(
        self,
        header: list[str],
        *,
        source: Table | None = None,
        headers: str = "zh",
        tally: SheetTally | None = None,
    ) -> None:
        self.workbook = Workbook(write_only=True)
        self.header = header
        self.added = AddedColumns(header)
        self.zh = headers == "zh"
        self.tally = tally
        self.above = list(getattr(source, "above", None) or [])
        self.rows = 0
        self.started = False
        self._styles: dict[str, object] = {}
        keep = getattr(source, "keep_values", None)
        self.values = keep() if keep is not None else None
        name = getattr(source, "name", None)
        names = list(getattr(source, "sheet_names", None) or [])
        if name not in names:  # a CSV: one sheet, named after the file
            names = [name]
        taken: set[str] = set()
        others = []
        for k, each in enumerate(names):
            sheet = self.workbook.create_sheet(sheet_title(each, taken))
            taken.add(sheet.title)
            if each == name:
                self.sheet, self.index = sheet, k
            else:
                others.append((each, sheet))
        self.taken = taken
        if others and source is not None and source.reopen is not None:
            self._copy_sheets(source.reopen(), others)

    # ---------------------------------------------------------------------------------------- the tagged sheet
    def write(self, rows: list[list[object]]) -> None:
        typed = self.values.popleft() if self.values else None
        if typed is not None and len(typed) != len(rows):  # pragma: no cover - tag_table keeps chunks whole
            raise RuntimeError("typed rows out of step with the written rows")
        n = self.added.start
        prepared = []
        for k, row in enumerate(rows):
            shown = self.added.localize(row) if self.zh else row
            first = list(typed[k]) if typed is not None else [csv_number(v) for v in row[:n]]
            prepared.append(first + list(shown[n:]))
        if not self.started:
            self._start(prepared[:SAMPLE_ROWS])
        verdict_at = self.added.at.get("gpsc_verdict")
        audit_at = self.added.at.get("gpsc_audit")
        for row, values in zip(rows, prepared, strict=True):
            cells = [self._cell(v) for v in values]
            if verdict_at is not None and row[verdict_at] in VERDICT_COLOURS:
                cells[verdict_at] = self._styled(values[verdict_at], row[verdict_at])
            if audit_at is not None and row[audit_at]:
                cells[audit_at] = self._styled(values[audit_at], AUDIT_COLOURS.get(row[audit_at], "review"))
            self.sheet.append(cells)
        self.rows += len(rows)

    def _start(self, sample: list[list[object]]) -> None:
        """Widths, the frozen header and the header row: all must precede the first row in write-only mode."""
        titles = self.added.titles(self.header) if self.zh else list(self.header)
        for k, width in enumerate(column_widths(titles, sample), start=1):
            self.sheet.column_dimensions[get_column_letter(k)].width = width
        self.sheet.freeze_panes = f"A{len(self.above) + 2}"
        self.sheet.sheet_view.tabSelected = True  # the tab Excel opens on (the workbook's active sheet)
        for row in self.above:  # the title and note rows, above the header as they were
            self.sheet.append([self._cell(csv_number(v)) for v in row])
        self.sheet.append([self._styled(title, "header") for title in titles])
        self.started = True

    def save(self, target) -> None:
        if not self.started:
            self._start([])
        top = len(self.above) + 1
        self.sheet.auto_filter.ref = f"A{top}:{get_column_letter(max(len(self.header), 1))}{self.rows + top}"
        if self.tally is not None:
            self._write_summary(self.tally)
        self.workbook.active = self.index
        self.workbook.save(target)

    # --------------------------------------------------------------------------------------------- cells
    def _cell(self, value: object, sheet=None) -> object:
        sheet = sheet or self.sheet
        if isinstance(value, Formatted):
            cell = WriteOnlyCell(sheet, value.value)
            cell.number_format = value.number_format
            return cell
        if isinstance(value, str) and value.startswith("="):
            return _text_cell(sheet, value)
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            cell = WriteOnlyCell(sheet, value)
            cell.number_format = "yyyy-mm-dd"
            return cell
        return value

    def _styled(self, value: object, key: str, sheet=None, number_format: str | None = None) -> WriteOnlyCell:
        """A cell in one of a few fixed styles; each style is built once and its index array copied."""
        sheet = sheet or self.sheet
        style_key = f"{key}|{number_format}"
        if style_key not in self._styles:
            template = WriteOnlyCell(sheet)
            if key in VERDICT_COLOURS:
                ink, tint = VERDICT_COLOURS[key]
                template.font = Font(bold=True, color=ink)
                template.fill = PatternFill("solid", start_color=tint, end_color=tint)
            elif key == "header":
                template.font = Font(bold=True)
                template.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
                template.alignment = Alignment(vertical="center")
            elif key == "title":
                template.font = Font(bold=True, size=13)
            elif key == "section":
                template.font = Font(bold=True)
            elif key == "note":
                template.font = Font(italic=True, color="59636E")  # style.css --muted
            if number_format:
                template.number_format = number_format
            self._styles[style_key] = template._style
        formula_like = isinstance(value, str) and value.startswith("=")
        cell = _text_cell(sheet, value) if formula_like else WriteOnlyCell(sheet, value)
        cell._style = copy(self._styles[style_key])
        return cell

    # -------------------------------------------------------------------------------------- other sheets
    def _copy_sheets(self, origin, others: list[tuple[str, object]]) -> None:
        """Every other sheet of the input, value by value (typed, with number formats), streamed."""
        workbook = load_xlsx(origin)
        try:
            for name, target in others:
                source = workbook[name]
                state = getattr(source, "sheet_state", "visible")
                if state in ("hidden", "veryHidden"):
                    target.sheet_state = state
                formulas = formula_view(origin, workbook, source)
                try:
                    self._copy_rows(target, sheet_rows(source, formulas, typed=True))
                finally:
                    if formulas is not None:
                        formulas.close()
        finally:
            workbook.close()

    def _copy_rows(self, target, rows: Iterator[tuple]) -> None:
        sample = []
        for row in rows:
            sample.append(row)
            if len(sample) >= SAMPLE_ROWS:
                break
        width = max((len(r) for r in sample), default=0)
        for k, w in enumerate(column_widths([""] * width, sample), start=1):
            target.column_dimensions[get_column_letter(k)].width = w
        for row in sample:
            target.append([self._cell(v, target) for v in row])
        for row in rows:
            target.append([self._cell(v, target) for v in row])

    # ------------------------------------------------------------------------------------------ 汇总
    def _write_summary(self, tally: SheetTally) -> None:
        sheet = self.workbook.create_sheet(sheet_title(SUMMARY_SHEET, self.taken))
        for letter, width in zip("ABCDEFG", (30, 22, 10, 10, 10, 16, 16), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.append([self._styled("汇总", "title", sheet)])
        sheet.append([self._styled(tally.headline(), "note", sheet)])
        for section in tally.sections():
            sheet.append([])
            sheet.append([self._styled(section.title, "section", sheet)])
            sheet.append([self._styled(name, "header", sheet) for name in section.columns])
            for row in section.rows:
                cells = []
                for k, value in enumerate(row):
                    if k in section.amount_columns:
                        cells.append(self._styled(value, "amount", sheet, "#,##0.00"))
                    elif k == section.share_column:
                        cells.append(self._styled(value, "share", sheet, "0.0%"))
                    elif row[0] == "合计":
                        cells.append(self._styled(value, "section", sheet))
                    else:
                        cells.append(self._cell(value, sheet))
                sheet.append(cells)
            if section.note:
                sheet.append([self._styled(section.note, "note", sheet)])
