"""Read the sheets clerks use: CSV (UTF-8, UTF-8 with BOM, GB18030) and XLSX, in chunks (``_writer`` writes
them back).

Rows stream through in chunks so a million-row sheet tags in flat memory. Problems come back as
``TableError`` with a message that names the fix (the CLI and API show it as is).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from ._layout import LOOK_ROWS, Layout, LayoutError, find_layout

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
    """A sheet that cannot be read or written; the message says what to do, in words for every reader (the page
    shows it too). ``option`` names the command-line option that fixes it; ``for_cli`` adds it.

    >>> TableError("无法按 gb18030 解码文件：请指明正确的编码", option="--encoding").for_cli
    '无法按 gb18030 解码文件：请指明正确的编码（命令行选项 --encoding）'
    """

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option

    @property
    def for_cli(self) -> str:
        return f"{self}（命令行选项 {self.option}）" if self.option else str(self)


class ColumnError(TableError):
    """The sheet was read, but a column to use is missing or not the one named: the user picks the column."""


class Formatted(NamedTuple):
    """A typed cell of an .xlsx with the number format it was shown with (``#,##0.00``, ``yyyy-mm-dd``)."""

    value: object
    number_format: str


@dataclass
class Table:
    """An open sheet: its header and a generator of row chunks (lists of string cells).

    The checker reads strings. An .xlsx also keeps each row's typed cells (numbers, dates, with their number
    formats) for a writer that asks with ``keep_values()`` before the first chunk is read: the typed rows of
    every chunk handed out wait in ``values`` until the writer takes them, so memory stays one window of
    chunks. ``name`` is the sheet's name (a CSV's file stem); ``sheet_names`` and ``reopen`` let a writer copy
    the workbook's other sheets.
    """

    header: list[str]
    chunks: Iterator[list[list[str]]]
    encoding: str | None
    format: str
    close: Callable[[], None] = lambda: None
    name: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    reopen: Callable[[], object] | None = None  # a fresh path or file object of the same workbook
    values: deque | None = None  # typed rows, one list per chunk handed out, while a writer keeps them
    typed: bool = False  # whether this table can keep typed rows (an .xlsx)
    rows: int | None = None  # data rows, when known cheaply (a CSV's first pass, an .xlsx's dimension): progress
    layout: Layout | None = None  # where the header was found, the rows above it and the buyer named there

    @property
    def above(self) -> list[list[str]]:
        """The rows above the header (title, notes), as they were: the output puts them back above it."""
        return self.layout.above if self.layout is not None else []

    @property
    def first_row(self) -> int:
        """The 1-based row number of the first data row, as Excel shows it."""
        return (self.layout.end if self.layout is not None else 1) + 1

    def keep_values(self) -> deque | None:
        """Start keeping the typed rows of every chunk (an .xlsx only; None for a CSV, whose cells are text)."""
        if self.typed and self.values is None:
            self.values = deque()
        return self.values

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# text encodings a sheet may be in; any other codec name (rot13, base64, zlib, idna, undefined …) is refused
TEXT_ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "gb18030",
    "gbk",
    "gb2312",
    "big5",
    "big5hkscs",
    "cp950",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _decodes(head: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)  # a character cut at the end is fine
        return True
    except UnicodeDecodeError:
        return False


def detect_encoding(head: bytes) -> str:
    """The encoding of a CSV from its first bytes: a BOM, else UTF-8, else GB18030 or Big5 (charset-normalizer
    chooses between the two when both decode); TableError when none fits, never a guess that garbles.

    >>> detect_encoding("项目名称,单位".encode("gb18030"))
    'gb18030'
    >>> detect_encoding("項目名稱,單位,社區服務".encode("big5"))
    'big5'
    """
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise TableError("文件是 UTF-32 编码（或已损坏）：请在 Excel 中另存为“CSV UTF-8”")
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if _decodes(head, "utf-8"):
        return "utf-8"
    fits = [e for e in ("gb18030", "big5") if _decodes(head, e)]
    if len(fits) == 2:
        from charset_normalizer import from_bytes

        best = from_bytes(head, cp_isolation=["gb18030", "big5"]).best()
        fits = [best.encoding if best is not None and best.encoding in fits else "gb18030"]
    if not fits:
        raise TableError(
            "文件既不是 UTF-8，也不是 GB18030 或 Big5 编码的文本：请另存为“CSV UTF-8”，或指明文件的编码",
            option="--encoding",
        )
    return fits[0]


def check_encoding(encoding: str, head: bytes = b"") -> str:
    """A text encoding the user named, normalised (``GBK`` -> ``gbk``); TableError for anything else.

    >>> check_encoding("GB18030")
    'gb18030'
    """
    try:
        name = codecs.lookup(encoding).name
    except (LookupError, TypeError, ValueError) as error:
        raise TableError(f"未知的编码 {encoding!r}：请用 utf-8、utf-8-sig、gb18030 或 big5") from error
    if name not in TEXT_ENCODINGS:
        raise TableError(f"编码 {encoding!r} 不是表格可用的文本编码：请用 utf-8、utf-8-sig、gb18030 或 big5")
    if name == "utf-16" and head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TableError(
            "按 UTF-16 编码读取需要字节顺序标记（BOM），文件没有：请用 utf-16-le 或 utf-16-be 指明字节顺序"
        )
    return name


# an .xlsx is a zip: all its parts unpacked must stay under this (a 1 MB file can unpack to gigabytes)
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_XML_TEXT_BYTES = 256 * 1024  # text between two tags of a part: 32,767 characters escaped stay far below


def open_table(
    path: Path,
    encoding: str | None = None,
    sheet: str | None = None,
    *,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    header_row: int | None = None,
) -> Table:
    """Open a .csv or .xlsx for streaming; the format comes from the suffix. The header is found among the
    first rows (``_layout``), or is row ``header_row`` (1-based)."""
    if not path.is_file():
        raise TableError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _open_xlsx(path, sheet, max_unpacked, reopen=lambda: path, header_row=header_row)
    if suffix in (".csv", ".txt"):
        return _named(_open_csv(path.open("rb"), encoding, header_row), path.stem)
    raise TableError(f"{path.name}：不支持的文件类型 {suffix or '（无扩展名）'}，请用 .csv 或 .xlsx")


def _named(table: Table, name: str) -> Table:
    table.name = name
    return table


def open_table_bytes(
    data: bytes,
    filename: str,
    encoding: str | None = None,
    sheet: str | None = None,
    *,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    header_row: int | None = None,
) -> Table:
    """The same for an uploaded file held in memory."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _open_xlsx(io.BytesIO(data), sheet, max_unpacked, reopen=lambda: io.BytesIO(data), header_row=header_row)
    if suffix in (".csv", ".txt"):
        return _named(_open_csv(io.BytesIO(data), encoding, header_row), Path(filename).stem)
    raise TableError(f"{filename}：不支持的文件类型 {suffix or '（无扩展名）'}，请用 .csv 或 .xlsx")


def _delimiter(head: bytes, encoding: str) -> str:
    """Comma, unless the header line is clearly tab- or semicolon-separated (sheets saved as 'Text')."""
    first = head.split(b"\n", 1)[0].decode(encoding, errors="ignore")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _used_width(row: list[str]) -> int:
    """1 + the index of the last non-empty cell (trailing empty cells are no data)."""
    for k in range(len(row) - 1, -1, -1):
        if row[k].strip():
            return k + 1
    return 0


def _open_csv(binary, encoding: str | None, header_row: int | None = None) -> Table:
    try:
        head = binary.read(SNIFF_BYTES)
        binary.seek(0)
        if not head.strip():
            raise TableError("文件是空的：应有一行表头和至少一行数据")
        encoding = detect_encoding(head) if encoding is None else check_encoding(encoding, head)
        delimiter = _delimiter(head, encoding)

        def rows():
            binary.seek(0)
            text = io.TextIOWrapper(binary, encoding=encoding, newline="")
            return text, csv.reader(text, delimiter=delimiter)

        # a first pass keeps the first rows (the header is among them) and finds the widest row: cells beyond
        # the header get names instead of being dropped
        text, reader = rows()
        first: list[list[str]] = []
        width, count = 0, 0
        for row in reader:
            width = max(width, _used_width(row))
            count += 1
            if len(first) < max(LOOK_ROWS, header_row or 0):
                first.append(row)
        text.detach()
        if first:
            first[0] = [first[0][0].lstrip("\ufeff"), *first[0][1:]] if first[0] else first[0]
        layout = _layout(first, header_row, width)
        text, reader = rows()
        for _ in range(layout.end):
            next(reader, None)
    except UnicodeError as error:
        binary.close()
        raise TableError(f"无法按 {encoding} 解码文件：请指明正确的编码", option="--encoding") from error
    except csv.Error as error:
        binary.close()
        raise TableError(f"第 {reader.line_num} 行的 CSV 格式有误：{error}") from error
    except BaseException:
        binary.close()
        raise

    def chunks() -> Iterator[list[list[str]]]:
        chunk: list[list[str]] = []
        try:
            for row in reader:
                chunk.append(row + [""] * (width - len(row)) if len(row) < width else row[:width])
                if len(chunk) >= CHUNK_ROWS:
                    yield chunk
                    chunk = []
        except UnicodeError as error:
            raise TableError(
                f"文件后面的内容不是有效的 {encoding} 编码（第 {reader.line_num} 行附近）：请指明正确的编码",
                option="--encoding",
            ) from error
        except csv.Error as error:
            raise TableError(f"第 {reader.line_num} 行的 CSV 格式有误：{error}") from error
        finally:
            text.close()
        if chunk:
            yield chunk

    return Table(layout.names, chunks(), encoding, "csv", text.close, rows=count - layout.end, layout=layout)


def _layout(first: list[list[str]], header_row: int | None, width: int) -> Layout:
    """The header among a sheet's first rows (``_layout``); TableError when it holds nothing."""
    if not any(cell.strip() for row in first for cell in row):
        raise TableError("表格是空的：应有一行表头和至少一行数据")
    try:
        layout = find_layout(first, header_row, width=width)
    except LayoutError as error:
        raise TableError(str(error)) from error
    layout.above = [row + [""] * (width - len(row)) if len(row) < width else row[:width] for row in layout.above]
    return layout


def check_archive(source, max_unpacked: int) -> None:
    """Unpack every part of an .xlsx once, counting, before any XML parser sees it: a zip bomb, a part larger
    than its header says, or more than ``max_unpacked`` bytes in all is a TableError naming the part."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TableError(
            f"不是可读取的 .xlsx 文件（{error.__class__.__name__}）：请在 Excel 中打开后重新保存"
        ) from error
    limit = f"{max_unpacked / 1024**2:,.0f} MiB"
    total = 0
    with archive:
        members = archive.infolist()
        if sum(m.file_size for m in members) > max_unpacked:
            raise TableError(f"这个 .xlsx 解压后超过 {limit}（按文件头声明）：请拆分表格后再上传")
        for member in members:
            read = run = 0
            try:
                with archive.open(member) as part:
                    while block := part.read(1 << 20):
                        read += len(block)
                        total += len(block)
                        if read > member.file_size or total > max_unpacked:
                            raise TableError(
                                f"这个 .xlsx 的部件 {member.filename} 解压后超过声明的大小或总上限 {limit}："
                                "文件可能是恶意构造的"
                            )
                        # the longest text between two tags: one cell's text, which Excel caps at 32,767
                        # characters; a longer one would be held whole by the XML parser
                        pieces = block.split(b"<")
                        run += len(pieces[0])
                        longest = max(run, max(map(len, pieces[1:]), default=0))
                        run = len(pieces[-1]) if len(pieces) > 1 else run
                        if longest > MAX_XML_TEXT_BYTES:
                            raise TableError(
                                f"这个 .xlsx 的部件 {member.filename} 中有超过 {MAX_XML_TEXT_BYTES // 1024} KiB "
                                "的单元格文本（Excel 每格最多 32,767 字）：文件可能是恶意构造的"
                            )
            except TableError:
                raise
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
                raise TableError(
                    f".xlsx 的部件 {member.filename} 已损坏（{error.__class__.__name__}）：请重新保存文件"
                ) from error
    if hasattr(source, "seek"):
        source.seek(0)


def _has_formulas(workbook, worksheet) -> bool:
    """Whether the sheet's XML holds any formula (``<f>``); unknown counts as yes."""
    try:  # openpyxl keeps the archive and the part's name on a read-only sheet
        with workbook._archive.open(worksheet._worksheet_path) as part:
            tail = b""
            while block := part.read(1 << 20):
                if b"<f>" in tail + block or b"<f " in tail + block:
                    return True
                tail = block[-3:]
        return False
    except (AttributeError, KeyError, OSError, zipfile.BadZipFile):
        return True


def load_xlsx(source, *, data_only: bool = True):
    """An .xlsx opened read-only (streaming); TableError when it is no workbook."""
    from openpyxl import load_workbook

    if hasattr(source, "seek"):
        source.seek(0)
    try:
        return load_workbook(source, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(
            f"不是可读取的 .xlsx 文件（{error.__class__.__name__}）：请在 Excel 中打开后重新保存"
        ) from error


def formula_view(source, workbook, worksheet):
    """The same file opened again with formulas as written, when ``worksheet`` has any (else None): a formula
    whose value Excel never cached (a file written by a program) then keeps its text, not an empty cell."""
    if not _has_formulas(workbook, worksheet):
        return None
    formulas = load_xlsx(source, data_only=False)
    if hasattr(source, "seek"):
        source.seek(0)
    return formulas


def sheet_rows(worksheet, formulas=None, *, typed: bool = False) -> Iterator[tuple]:
    """The rows of a read-only sheet as tuples of values; with ``typed`` a number or date shown with a number
    format comes as ``Formatted(value, format)``; with ``formulas`` (from ``formula_view``) an uncached formula
    keeps its text."""
    cells = worksheet.iter_rows(values_only=not typed)
    texts = formulas[worksheet.title].iter_rows(values_only=True) if formulas is not None else None
    for row in cells:
        values = tuple(_typed_value(c) for c in row) if typed else row
        if texts is not None:
            written = next(texts, ())
            values = tuple(
                w if c is None and isinstance(w, str) and w.startswith("=") else c
                for c, w in zip(values, written, strict=False)
            )
        yield values


def _typed_value(cell) -> object:
    value = cell.value
    number_format = getattr(cell, "number_format", None)
    if value is None or isinstance(value, str) or not number_format or number_format == "General":
        return value
    return Formatted(value, number_format)


def _open_xlsx(
    source, sheet: str | None, max_unpacked: int = MAX_UNPACKED_BYTES, *, reopen=None, header_row: int | None = None
) -> Table:
    check_archive(source, max_unpacked)
    workbook = load_xlsx(source)
    if sheet is not None and sheet not in workbook.sheetnames:
        workbook.close()
        raise TableError(f"没有名为 {sheet!r} 的工作表；现有：{'、'.join(workbook.sheetnames)}")
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    formulas = formula_view(source, workbook, worksheet)

    def closer() -> None:
        workbook.close()
        if formulas is not None:
            formulas.close()

    def value_rows(typed: bool = False) -> Iterator[tuple]:
        return sheet_rows(worksheet, formulas, typed=typed)

    def cell(value) -> str:
        if isinstance(value, Formatted):
            value = value.value
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    # the first rows (the header is among them) and the widest row: the sheet's declared dimension when the
    # header fills it, else a pass over the rows
    first = [[cell(v) for v in values] for values in islice(value_rows(), max(LOOK_ROWS, header_row or 0))]
    if not any(c.strip() for row in first for c in row):
        closer()
        raise TableError("工作表是空的：应有一行表头和至少一行数据")
    width = max(map(_used_width, first))
    declared = worksheet.max_column
    if declared is None or declared > width:
        for values in value_rows():
            width = max(width, _used_width([cell(v) for v in values]))
    try:
        layout = _layout(first, header_row, width)
    except TableError:
        closer()
        raise

    def chunks() -> Iterator[list[list[str]]]:
        keep = table.values  # asked for (keep_values) before the first chunk is read, or never
        rows = value_rows(typed=keep is not None)
        for _ in range(layout.end):
            next(rows, None)
        chunk: list[list[str]] = []
        typed: list[list[object]] = []
        try:
            for values in rows:
                row = list(values[:width])
                row += [None] * (width - len(row))
                chunk.append([cell(v) for v in row])
                if keep is not None:
                    typed.append(row)
                if len(chunk) >= CHUNK_ROWS:
                    if keep is not None:
                        keep.append(typed)
                        typed = []
                    yield chunk
                    chunk = []
        finally:
            closer()
        if chunk:
            if keep is not None:
                keep.append(typed)
            yield chunk

    table = Table(
        layout.names,
        chunks(),
        None,
        "xlsx",
        closer,
        name=worksheet.title,
        sheet_names=list(workbook.sheetnames),
        reopen=reopen,
        typed=True,
        rows=worksheet.max_row - layout.end if worksheet.max_row else None,  # the sheet's declared dimension
        layout=layout,
    )
    return table


def pick_column(header: list[str], wanted: str | None, guesses: tuple[str, ...], what: str) -> str | None:
    """The column named ``wanted`` (by name or 1-based number), or the first guess present."""
    if wanted is not None:
        if wanted in header:
            return wanted
        if wanted.isdigit() and 1 <= int(wanted) <= len(header):
            return header[int(wanted) - 1]
        raise ColumnError(f"没有名为“{wanted}”的{what}列；表头各列为：{'、'.join(header)}")
    for guess in guesses:
        for name in header:
            if name.strip().lower() == guess.lower():
                return name
    for guess in guesses[:-1]:  # a header that contains a guess: 项目名称（全称）, not 单位资金 (an amount)
        for name in header:
            if guess in name and not any(word in name for word in _AMOUNT_WORDS):
                return name
    return None


_AMOUNT_WORDS = ("金额", "资金", "经费", "万元", "数")
