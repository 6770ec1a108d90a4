"""Read and write the sheets clerks use: CSV (UTF-8, UTF-8 with BOM, GB18030) and XLSX, in chunks.

Rows stream through in chunks so a million-row sheet tags in flat memory. Problems come back as
``TableError`` with a message that names the fix (the CLI and API show it as is).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK_ROWS = 2000
SNIFF_BYTES = 1 << 20

TEXT_COLUMN_GUESSES = (
    "项目名称",
    "采购项目",
    "采购项目名称",
    "品目",
    "品目名称",
    "内容",
    "采购内容",
    "服务内容",
    "项目",
    "名称",
    "text",
)
DEPARTMENT_COLUMN_GUESSES = ("部门", "部门名称", "单位", "单位名称", "预算单位", "采购单位", "购买主体", "department")


class TableError(ValueError):
    """A sheet that cannot be read or written; the message says what to do."""


@dataclass
class Table:
    """An open sheet: its header and a generator of row chunks (lists of string cells)."""

    header: list[str]
    chunks: Iterator[list[list[str]]]
    encoding: str | None
    format: str
    close: Callable[[], None] = lambda: None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def detect_encoding(head: bytes) -> str:
    """``utf-8-sig``, ``utf-8`` or ``gb18030`` for the first bytes of a CSV; TableError if none fits."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=False)  # a character cut at the sniff boundary is not an error
            return encoding
        except UnicodeDecodeError:
            continue
    raise TableError("the file is neither UTF-8 nor GB18030 text: save it as CSV UTF-8, or pass --encoding")


def open_table(path: Path, encoding: str | None = None, sheet: str | None = None) -> Table:
    """Open a .csv or .xlsx for streaming; the format comes from the suffix."""
    if not path.is_file():
        raise TableError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _open_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        return _open_csv(path.open("rb"), encoding)
    raise TableError(f"{path.name}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")


def open_table_bytes(data: bytes, filename: str, encoding: str | None = None, sheet: str | None = None) -> Table:
    """The same for an uploaded file held in memory."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _open_xlsx(io.BytesIO(data), sheet)
    if suffix in (".csv", ".txt"):
        return _open_csv(io.BytesIO(data), encoding)
    raise TableError(f"{filename}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")


def _delimiter(head: bytes, encoding: str) -> str:
    """Comma, unless the header line is clearly tab- or semicolon-separated (sheets saved as 'Text')."""
    first = head.split(b"\n", 1)[0].decode(encoding, errors="ignore")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _open_csv(binary, encoding: str | None) -> Table:
    try:
        head = binary.read(SNIFF_BYTES)
        binary.seek(0)
        if not head.strip():
            raise TableError("the file is empty: expected a header row and at least one line")
        if encoding is None:
            encoding = detect_encoding(head)
        else:
            try:
                codecs.lookup(encoding)
            except LookupError as error:
                raise TableError(f"unknown encoding {encoding!r}: use utf-8, utf-8-sig or gb18030") from error
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        reader = csv.reader(text, delimiter=_delimiter(head, encoding))
        header = next(reader, [])
    except UnicodeDecodeError as error:
        binary.close()
        raise TableError(f"cannot decode the file as {encoding}: pass the right --encoding") from error
    except BaseException:
        binary.close()
        raise
    header = [h.strip().lstrip("\ufeff") for h in header]
    if not any(header):
        text.close()
        raise TableError("the first row (the header) is empty")

    def chunks() -> Iterator[list[list[str]]]:
        chunk: list[list[str]] = []
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                chunk.append(row + [""] * (len(header) - len(row)) if len(row) < len(header) else row[: len(header)])
                if len(chunk) >= CHUNK_ROWS:
                    yield chunk
                    chunk = []
        except UnicodeDecodeError as error:
            raise TableError(f"the file is not valid {encoding} further down: pass the right --encoding") from error
        except csv.Error as error:
            raise TableError(f"broken CSV at line {reader.line_num}: {error}") from error
        finally:
            text.close()
        if chunk:
            yield chunk

    return Table(header, chunks(), encoding, "csv", text.close)


def _open_xlsx(source, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(
            f"not a readable .xlsx file ({error.__class__.__name__}): open and re-save it in Excel"
        ) from error
    if sheet is not None and sheet not in workbook.sheetnames:
        raise TableError(f"no sheet {sheet!r}; sheets: {', '.join(workbook.sheetnames)}")
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = worksheet.iter_rows(values_only=True)
    header_cells = next(rows, None)
    if header_cells is None or not any(c not in (None, "") for c in header_cells):
        workbook.close()
        raise TableError("the sheet is empty: expected a header row and at least one line")
    header = [("" if c is None else str(c)).strip() for c in header_cells]
    while header and not header[-1]:
        header.pop()

    def cell(value) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def chunks() -> Iterator[list[list[str]]]:
        chunk: list[list[str]] = []
        try:
            for values in rows:
                row = [cell(v) for v in values[: len(header)]]
                if not any(c.strip() for c in row):
                    continue
                chunk.append(row + [""] * (len(header) - len(row)))
                if len(chunk) >= CHUNK_ROWS:
                    yield chunk
                    chunk = []
        finally:
            workbook.close()
        if chunk:
            yield chunk

    return Table(header, chunks(), None, "xlsx", workbook.close)


def pick_column(header: list[str], wanted: str | None, guesses: tuple[str, ...], what: str) -> str | None:
    """The column named ``wanted`` (by name or 1-based number), or the first guess present."""
    if wanted is not None:
        if wanted in header:
            return wanted
        if wanted.isdigit() and 1 <= int(wanted) <= len(header):
            return header[int(wanted) - 1]
        raise TableError(f"no {what} column {wanted!r}; the columns are: {', '.join(header)}")
    for guess in guesses:
        for name in header:
            if name.strip().lower() == guess.lower():
                return name
    for guess in guesses[:-1]:  # a header that contains a guess: 项目名称（全称）
        for name in header:
            if guess in name:
                return name
    return None


class TableWriter:
    """Write rows to .csv (UTF-8 with BOM, so Excel shows Chinese) or .xlsx.

    With a ``path`` the format comes from its suffix; without one the rows are kept in memory in
    ``format`` and ``getvalue()`` returns the file's bytes (for HTTP responses).
    """

    def __init__(self, path: Path | None, header: list[str], format: str | None = None) -> None:
        self.path = path
        if path is not None:
            suffix = path.suffix.lower()
            if suffix not in (".csv", ".xlsx"):
                raise TableError(f"{path.name}: write .csv or .xlsx")
            format = suffix.lstrip(".")
        self.format = format or "csv"
        self.buffer: io.BytesIO | io.StringIO | None = None
        if self.format == "xlsx":
            from openpyxl import Workbook

            self.workbook = Workbook(write_only=True)
            self.sheet = self.workbook.create_sheet("gpsc")
            self.sheet.append(header)
        else:
            if path is not None:
                self.handle = path.open("w", encoding="utf-8-sig", newline="")
            else:
                self.handle = self.buffer = io.StringIO()
            self.writer = csv.writer(self.handle, lineterminator="\r\n")
            self.writer.writerow(header)
        self.closed = False

    def write(self, rows: list[list[object]]) -> None:
        if self.format == "xlsx":
            for row in rows:
                self.sheet.append(row)
        else:
            self.writer.writerows(rows)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.format == "xlsx":
            if self.path is not None:
                self.workbook.save(self.path)
            else:
                self.buffer = io.BytesIO()
                self.workbook.save(self.buffer)
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
