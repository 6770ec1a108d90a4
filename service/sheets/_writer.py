"""Write the tagged rows: a CSV (UTF-8 with BOM, cells Excel will not run as formulas), the officer's .xlsx
(``_workbook``) or rows kept for a JSON response.

Apart from ``_tables`` (which only reads) because a writer needs the 汇总's column words (``_summary``) and the
workbook (``_workbook``), and both of those read tables: one module for reading and one for writing keeps the
imports running one way.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ._summary import AddedColumns, header_mode
from ._tables import Table, TableError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def csv_safe(value: object) -> object:
    """A cell Excel or WPS will not run: text starting with ``= + - @`` (or a tab or carriage return) gets a
    leading apostrophe, as the OWASP CSV-injection guidance says; numbers such as ``-5`` stay numbers.

    >>> csv_safe("=1+2"), csv_safe("-5"), csv_safe("@SUM(A1)"), csv_safe("社工站")
    ("'=1+2", '-5', "'@SUM(A1)", '社工站')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class TableWriter:
    """Write rows to .csv (UTF-8 with BOM, so Excel shows Chinese) or .xlsx.

    With a ``path`` the format comes from its suffix; without one the rows are kept in memory in
    ``format`` and ``getvalue()`` returns the file's bytes (for HTTP responses).

    An .xlsx is the officer's workbook of ``_workbook`` (the input's sheet name and other sheets,
    typed cells, frozen header, autofilter, coloured verdicts and, given the ``tally``, a 汇总 sheet);
    ``source`` is the open input table. ``headers`` is ``zh`` (Chinese headers, verdicts and reasons) or
    ``machine`` (``gpsc_*``, ``eligible`` …); by default zh for .xlsx, machine for CSV.
    """

    def __init__(
        self,
        path: Path | None,
        header: list[str],
        format: str | None = None,
        *,
        source: Table | None = None,
        headers: str | None = None,
        tally=None,
    ) -> None:
        self.path = path
        if path is not None:
            suffix = path.suffix.lower()
            if suffix not in (".csv", ".xlsx"):
                raise TableError(f"输出文件 {path.name} 的扩展名应为 .csv 或 .xlsx")
            format = suffix.lstrip(".")
        self.format = format or "csv"
        self.headers = header_mode(headers, self.format)
        self.buffer: io.BytesIO | io.StringIO | None = None
        if self.format == "xlsx":
            from ._workbook import WorkbookWriter  # openpyxl loads only for an .xlsx

            self.book = WorkbookWriter(header, source=source, headers=self.headers, tally=tally)
        else:
            added = AddedColumns(header)
            self.localize = added.localize if self.headers == "zh" else None
            if path is not None:
                self.handle = path.open("w", encoding="utf-8-sig", newline="")
            else:
                self.handle = self.buffer = io.StringIO()
            self.writer = csv.writer(self.handle, lineterminator="\r\n")
            # the title and note rows above the header come back above it, as they were
            self.writer.writerows([[csv_safe(v) for v in row] for row in (source.above if source is not None else [])])
            self.writer.writerow([csv_safe(v) for v in (added.titles(header) if self.localize else header)])
        self.closed = False

    def write(self, rows: list[list[object]]) -> None:
        if self.format == "xlsx":
            self.book.write(rows)
        else:
            if self.localize is not None:
                rows = [self.localize(row) for row in rows]
            self.writer.writerows([[csv_safe(v) for v in row] for row in rows])

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.format == "xlsx":
            if self.path is not None:
                self.book.save(self.path)
            else:
                self.buffer = io.BytesIO()
                self.book.save(self.buffer)
        elif self.path is not None:
            self.handle.close()

    def getvalue(self) -> bytes:
        """The written file (in-memory writers only), after ``close()``."""
        self.close()
        if isinstance(self.buffer, io.StringIO):
            return self.buffer.getvalue().encode("utf-8-sig")
        assert self.buffer is not None, "getvalue() is for in-memory writers"
        return self.buffer.getvalue()


class RowCollector:
    """A writer that keeps the rows (for JSON responses)."""

    format = "json"

    def __init__(self) -> None:
        self.rows: list[list[object]] = []

    def write(self, rows: list[list[object]]) -> None:
        self.rows.extend(rows)

    def close(self) -> None:
        pass
