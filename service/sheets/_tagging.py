"""Tag or audit a whole sheet, chunk by chunk: the shared engine of ``gpsc tag/audit`` and ``POST /v1/tag``.

Every input row comes out, in order, with its columns untouched; a row that cannot be judged gets its
explanation in ``gpsc_reasons``. Memory stays flat: one chunk of rows is in flight at a time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from classifier.eligibility import AUDIT_KINDS, NO_FINDING, Auditor, Checker
from service.reviews import apply_reviews, queue_line, reviewed_by
from service.shapes import AUDIT_COLUMNS, TAG_COLUMNS, audit_cells, skipped_cells, tag_cells

from . import _tables
from ._layout import row_kind
from ._summary import aside_words
from ._tables import DEPARTMENT_COLUMN_GUESSES, TEXT_COLUMN_GUESSES, ColumnError, Table, TableError, pick_column

# the declared guidance-catalog code of a row, as budget and procurement systems head the column
# (not 目录编码: that is gpsc_code's own Chinese title, and a re-audited output must not read its own answer)
CODE_COLUMN_GUESSES = ("申报代码", "目录代码", "指导性目录编码", "指导性目录代码", "服务目录代码", "购买服务目录代码")
# the declared 品目 of a procurement list (code, name or name path)
PINMU_COLUMN_GUESSES = (
    "采购品目",
    "品目",
    "品目名称",
    "品目编码",
    "品目代码",
    "采购目录",
    "政府采购品目",
    "采购品目名称",
)


@dataclass
class Columns:
    text: str
    department: str | None
    code: str | None = None
    detail: str | None = None
    pinmu: str | None = None
    notes: list[str] = field(default_factory=list)


class TooManyRowsError(TableError):
    """More rows than one request may hold (the HTTP path's limit; the CLI has none)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"表格超过 {limit:,} 行（每次上传的上限）：请拆分后分批上传，或在本机用 gpsc tag 处理")
        self.limit = limit


class TaggingCancelled(Exception):
    """The caller went away (a client that disconnected): the rest of the sheet is not judged."""


class Problem(NamedTuple):
    """One audit problem, kept small: the row number as Excel shows it, kind, certainty, text and reason."""

    row: int
    kind: str
    certainty: float
    severity: int
    text: str
    reason: str


@dataclass
class Summary:
    rows: int = 0
    blank: int = 0  # entirely blank rows, kept in the output without a verdict
    skipped: Counter = field(default_factory=Counter)  # total and note rows (合计, 注：…), kept with a marker
    verdicts: Counter = field(default_factory=Counter)
    audits: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)  # every audit problem, by kind then certainty

    @property
    def judged(self) -> int:
        """The rows judged: purchases, not blank, total or note rows."""
        return self.rows - self.blank - sum(self.skipped.values())

    def aside(self) -> str:
        """The rows kept but not judged, in words (``1 个合计行、2 个空行``), or ``""``."""
        return aside_words(self.skipped, self.blank)


def choose_columns(
    header: list[str],
    *,
    text_column: str | None = None,
    department_column: str | None = None,
    department: str | None = None,
    code_column: str | None = None,
    need_code: bool = False,
    detail_column: str | None = None,
    pinmu_column: str | None = None,
) -> Columns:
    """Resolve the columns to read; guesses are reported in ``notes`` so the user sees what was used."""
    notes = []
    text = pick_column(header, text_column, TEXT_COLUMN_GUESSES, "采购内容")
    if text is None:
        raise ColumnError(
            f"哪一列是采购内容？请指明采购内容所在的列；表头各列为：{'、'.join(header)}", option="--text-column"
        )
    if text_column is None:
        notes.append(f"采购内容列：{text}")
    dept = None
    if department is None:
        dept = pick_column(header, department_column, DEPARTMENT_COLUMN_GUESSES, "部门")
        if department_column is None and dept is not None:
            notes.append(f"部门列：{dept}")
    code = pinmu = None
    if need_code:  # an audit: the declared guidance-catalog code, the declared 品目, or both
        if code_column or not pinmu_column:
            code = pick_column(header, code_column, CODE_COLUMN_GUESSES, "申报代码")
        if pinmu_column or not code_column:
            guessed = pick_column(header, pinmu_column, PINMU_COLUMN_GUESSES, "申报品目")
            pinmu = guessed if guessed != text else None
        if code is None and pinmu is None:
            raise ColumnError(
                f"哪一列是申报的目录代码或品目？请指明申报代码或申报品目所在的列；表头各列为：{'、'.join(header)}",
                option="--code-column 或 --pinmu-column",
            )
        if code is not None and code_column is None:
            notes.append(f"申报代码列：{code}")
        if pinmu is not None and pinmu_column is None:
            notes.append(f"申报品目列：{pinmu}")
    elif pinmu_column:
        pinmu = pick_column(header, pinmu_column, (), "申报品目")
    detail = pick_column(header, detail_column, (), "说明") if detail_column else None
    return Columns(text, dept, code, detail, pinmu, notes)


def sheet_buyer(table: Table, columns: Columns, department: str | None, catalog) -> tuple[str | None, str | None]:
    """The buyer of every row when the user named none and the sheet has no department column: the unit a
    title or 填报单位 line above the header names (``某县财政局2026年6月政府采购意向``), when the catalog has its
    section. Returns (department, the note that says so, or None)."""
    layout = table.layout
    if department or columns.department or layout is None or not layout.buyer:
        return department, None
    from catalog import CatalogError

    try:
        section = catalog.resolve_department(layout.buyer)
    except CatalogError:
        return department, f"表格第 {layout.buyer_row} 行写的单位“{layout.buyer}”在目录中没有部门章节，未用作购买主体"
    return layout.buyer, f"购买主体：取自表格第 {layout.buyer_row} 行的“{layout.buyer}”（目录章节：{section}）"


@dataclass(frozen=True)
class _ChunkSpec:
    """Where to find the fields in a row, and how to judge it (picklable, for worker processes)."""

    text_at: int
    dept_at: int | None
    code_at: int | None
    detail_at: int | None
    pinmu_at: int | None
    department: str | None
    top_k: int
    audit: bool
    db_url: str | None = None  # the review record to consult (a worker process opens its own connection)
    use_reviews: bool = False

    @classmethod
    def of(cls, header: list[str], columns: Columns, department, top_k, audit, db_url, use_reviews) -> _ChunkSpec:
        def at(name: str | None) -> int | None:
            return header.index(name) if name else None

        return cls(
            header.index(columns.text),
            at(columns.department),
            at(columns.code),
            at(columns.detail),
            at(columns.pinmu),
            department,
            top_k,
            audit,
            db_url,
            use_reviews,
        )


_worker_stores: dict[str | None, object] = {}


def _store_for(spec: _ChunkSpec, store):
    """The review record of this process: the caller's guard, else one opened from the spec (in a worker)."""
    if store is not None or not spec.use_reviews:
        return store
    if spec.db_url not in _worker_stores:
        from service.reviews import open_record

        _worker_stores[spec.db_url] = open_record(spec.db_url)
    return _worker_stores[spec.db_url]


def _process_chunk(checker: Checker, chunk: list[list[str]], spec: _ChunkSpec, store=None):
    """Judge one chunk of purchase rows: the output rows and, per row, (verdict, audit result or None, the reasons'
    rule ids). The rows come from ``_RowMemo.split``, which has already set aside the rows that are no purchase
    (blank, 合计, 注：…). A line the team has decided (``store``, the review record) gets the decision, and the
    open ``review`` lines join the queue."""
    store = _store_for(spec, store)
    texts = [row[spec.text_at] for row in chunk]
    departments = [spec.department if spec.dept_at is None else (row[spec.dept_at] or spec.department) for row in chunk]
    details = None if spec.detail_at is None else [row[spec.detail_at] for row in chunk]
    verdicts = list(checker.judge_many(texts, departments, top_k=50 if spec.audit else spec.top_k, details=details))
    reviewed = apply_reviews(store, verdicts, checker)  # the queue is noted per written row (tag_table)
    shown = [r.verdict for r in reviewed]
    by = [reviewed_by(r.entry, r.warning) for r in reviewed]
    if spec.audit:
        codes = None if spec.code_at is None else [row[spec.code_at] for row in chunk]
        pinmu_codes = None if spec.pinmu_at is None else [row[spec.pinmu_at] for row in chunk]
        results = Auditor(checker).audit_verdicts(shown, codes, pinmu_codes=pinmu_codes)
        out = [row + audit_cells(r, spec.top_k, b) for row, r, b in zip(chunk, results, by, strict=True)]
        return out, [(r.verdict.verdict, r, tuple(x.rule for x in r.verdict.reasons)) for r in results]
    return [row + tag_cells(v, None, b) for row, v, b in zip(chunk, shown, by, strict=True)], [
        (v.verdict, None, tuple(x.rule for x in v.reasons)) for v in shown
    ]


def _skipped(row: list[str], kind: str, spec: _ChunkSpec) -> tuple[list[object], tuple]:
    """A row that is no purchase: its cells with the marker, and the outcome (no verdict; ``sheet.total`` …
    for a total or note row, nothing for a blank one)."""
    return row + skipped_cells(kind, spec.audit), (None, None, () if kind == "blank" else (f"sheet.{kind}",))


MEMO_ROWS = 20_000  # judged rows remembered across chunks: enough for a repetitive sheet, bounded for a distinct one


def _open_rows(out: list[list[object]], spec: _ChunkSpec) -> list[tuple[str, str, str | None, str | None]]:
    """The written rows still waiting for a person (``review``, no decision), as the queue records them. The gpsc
    cells are each row's last; a 人工审定 cell that is no warning names the reviewer of a decided row."""
    width = len(AUDIT_COLUMNS if spec.audit else TAG_COLUMNS)
    at_verdict, at_by = TAG_COLUMNS.index("gpsc_verdict"), TAG_COLUMNS.index("gpsc_reviewed_by")
    lines = []
    for row in out:
        cells = row[len(row) - width :]
        if cells[at_verdict] != "review" or (cells[at_by] and not str(cells[at_by]).startswith("（")):
            continue
        unit = (str(row[spec.dept_at] or "") if spec.dept_at is not None else "") or spec.department
        line = queue_line(str(row[spec.text_at] or ""), str(cells[0] or "") or None, unit)
        if line is not None:
            lines.append(line)
    return lines


class _RowMemo:
    """The gpsc cells and outcome of rows already judged in this sheet, by what was judged (text, department,
    detail, declared codes): budget sheets repeat the same items in every unit and every year, and a repeated
    row is copied rather than judged again. Least recently used entries go first, so memory stays bounded.

    Judging is deterministic and per row, so a copied row is exactly what judging it again would give (a
    test tags the same sheet in different chunk sizes and compares)."""

    def __init__(self, spec: _ChunkSpec, size: int = MEMO_ROWS) -> None:
        self.spec, self.size = spec, size
        self.seen: dict[tuple, tuple[list[object], tuple]] = {}

    def key(self, row: list[str]) -> tuple:
        spec = self.spec

        def at(k: int | None) -> str | None:
            return None if k is None else row[k]

        return (row[spec.text_at], at(spec.dept_at), at(spec.detail_at), at(spec.code_at), at(spec.pinmu_at))

    def split(self, chunk: list[list[str]]) -> tuple[list[tuple | str], list[list[str]]]:
        """Each row's key (the kind, ``blank``, ``total`` or ``note``, for a row that is no purchase) and the
        distinct rows not yet judged."""
        keys: list[tuple | str] = []
        todo: dict[tuple, list[str]] = {}
        for row in chunk:
            kind = row_kind(row, self.spec.text_at)
            if kind is not None:
                keys.append(kind)
                continue
            key = self.key(row)
            keys.append(key)
            if key in self.seen:  # used again: the newest now, so judging this chunk's new rows cannot evict it
                self.seen[key] = self.seen.pop(key)
            elif key not in todo:
                todo[key] = row
        return keys, list(todo.values())

    def remember(self, rows: list[list[str]], out: list[list[object]], outcomes: list[tuple]) -> None:
        for row, judged, outcome in zip(rows, out, outcomes, strict=True):
            self.seen[self.key(row)] = (judged[len(row) :], outcome)
        while len(self.seen) > self.size:
            del self.seen[next(iter(self.seen))]

    def rows(self, chunk: list[list[str]], keys: list[tuple | str]) -> tuple[list[list[object]], list[tuple]]:
        """The chunk's output rows and outcomes, every judged row from the memo (refreshed as recently used)."""
        out, outcomes = [], []
        for row, key in zip(chunk, keys, strict=True):
            if isinstance(key, str):
                cells, outcome = _skipped(row, key, self.spec)
                out.append(cells)
                outcomes.append(outcome)
                continue
            cells, outcome = self.seen.pop(key)
            self.seen[key] = (cells, outcome)
            out.append(row + cells)
            outcomes.append(outcome)
        return out, outcomes


_worker_checker: Checker | None = None  # the model inside a --jobs worker process


def _worker_init(checker: Checker | None, model_path: str | None, threads: int) -> None:
    global _worker_checker
    import signal

    from classifier import set_threads

    # a forked worker inherits the CLI's SIGTERM handler (clean up, then exit), which could leave it waiting on the
    # pool's queue lock when the pool ends it: a worker simply stops
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    set_threads(threads)  # the cores are shared out between the workers, not each spread over all of them
    if checker is not None:
        _worker_checker = checker
    else:
        from service.loading import open_checker

        _worker_checker = open_checker(model_path)


def _worker_chunk(job: tuple[list[list[str]], _ChunkSpec]):
    assert _worker_checker is not None
    return _process_chunk(_worker_checker, *job)


def _windows(chunks: Iterator[list[list[str]]], size: int) -> Iterator[list[list[list[str]]]]:
    window = []
    for chunk in chunks:
        window.append(chunk)
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window


def tag_table(
    table: Table,
    columns: Columns,
    checker: Checker,
    writer,
    *,
    department: str | None = None,
    top_k: int = 5,
    audit: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    jobs: int = 1,
    model_path: str | None = None,
    max_rows: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_rows: Callable[[list[list[object]], list[tuple]], None] | None = None,
    reviews=None,
    db_url: str | None = None,
) -> Summary:
    """Stream ``table`` through the checker (and auditor) into ``writer``; returns the counts.

    How: ``department`` (the buyer of rows without one), ``top_k``, ``audit``; ``jobs`` processes (a bounded
    window of chunks at a time, so memory stays flat and the output keeps the input's order; ``model_path`` for
    workers that cannot inherit the model). Limits: ``max_rows``, ``should_stop`` (a client that left). Hooks:
    ``on_chunk(rows)`` (a progress bar), ``on_rows(rows, outcomes)`` (every written chunk with, per row, the verdict
    or None for a row that is no purchase, the audit result or None, the rule ids: the 汇总 is collected that way).
    ``reviews`` is the review record (opened from ``db_url``; ``--jobs`` workers open their own): decided lines get
    the team's decision and ``gpsc_reviewed_by``, open ``review`` lines join the queue.
    """
    spec = _ChunkSpec.of(table.header, columns, department, top_k, audit, db_url, reviews is not None)
    tally = _Tally(table, spec, writer, reviews, on_rows, on_chunk)
    chunks = _admitted(table.chunks, max_rows, should_stop)
    # a window of chunks is in flight at once: the memo holds at least all of it
    memo = _RowMemo(spec, max(MEMO_ROWS, 2 * max(1, jobs) * _tables.CHUNK_ROWS))
    if jobs <= 1:
        for chunk in chunks:
            keys, todo = memo.split(chunk)
            if todo:
                memo.remember(todo, *_process_chunk(checker, todo, spec, reviews))
            tally.collect(*memo.rows(chunk, keys))
    else:
        _tag_in_processes(chunks, memo, tally, checker, spec, jobs, model_path)
    return tally.finished()


def _admitted(
    chunks: Iterator[list[list[str]]], max_rows: int | None, should_stop: Callable[[], bool] | None
) -> Iterator[list[list[str]]]:
    """The chunks, while the caller still wants them and within ``max_rows``."""
    seen = 0
    for chunk in chunks:
        if should_stop is not None and should_stop():
            raise TaggingCancelled("请求方已断开，处理已停止")
        seen += len(chunk)
        if max_rows is not None and seen > max_rows:
            raise TooManyRowsError(max_rows)
        yield chunk


class _Tally:
    """Writes each judged chunk and counts it into the ``Summary``; the open ``review`` lines join the queue."""

    def __init__(self, table: Table, spec: _ChunkSpec, writer, reviews, on_rows, on_chunk) -> None:
        self.table, self.spec, self.writer = table, spec, writer
        self.reviews, self.on_rows, self.on_chunk = reviews, on_rows, on_chunk
        self.summary = Summary()

    def collect(self, out: list[list[object]], outcomes: list) -> None:
        summary = self.summary
        self.writer.write(out)
        if self.reviews is not None:  # every written row counts, repeats copied from the memo too: counts are rows
            lines = _open_rows(out, self.spec)
            if lines:
                self.reviews.note_open(lines, source="audit" if self.spec.audit else "tag")
        if self.on_rows is not None:
            self.on_rows(out, outcomes)
        for offset, (verdict, result, rules) in enumerate(outcomes):
            if verdict is None:  # a row that is no purchase, kept as it was
                if rules:
                    summary.skipped[rules[0]] += 1
                else:
                    summary.blank += 1
                continue
            summary.verdicts[verdict] += 1
            if result is not None:
                summary.audits[result.kind] += 1
                if result.kind not in NO_FINDING:  # compact: a sheet may have many, and every one is listed
                    row = self.table.first_row + summary.rows + offset
                    summary.problems.append(
                        Problem(row, result.kind, result.certainty, result.severity, result.verdict.text, result.reason)
                    )
        summary.rows += len(out)
        if self.on_chunk is not None:
            self.on_chunk(len(out))

    def finished(self) -> Summary:
        summary = self.summary
        summary.problems.sort(key=lambda p: (p.severity, -p.certainty, p.row))  # by kind, most certain first
        if summary.rows == summary.blank + sum(summary.skipped.values()):
            only = "表格中没有可判断的采购行（只有合计或说明行）" if summary.skipped else "表格只有表头，没有数据行"
            raise TableError(only)
        return summary


def _tag_in_processes(
    chunks: Iterator[list[list[str]]],
    memo: _RowMemo,
    tally: _Tally,
    checker: Checker,
    spec: _ChunkSpec,
    jobs: int,
    model_path: str | None,
) -> None:
    """``--jobs``: a window of chunks judged by ``jobs`` worker processes at a time, through the same
    ``_process_chunk`` (and so the same ``judge_many``) as one process; rows repeated across the window's chunks
    are judged once."""
    import multiprocessing
    import os

    from classifier import get_threads

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    inherit = context.get_start_method() == "fork"  # forked workers share the loaded model
    threads = max(1, (get_threads() or os.cpu_count() or 1) // jobs)
    with context.Pool(jobs, _worker_init, (checker if inherit else None, model_path, threads)) as pool:
        for window in _windows(chunks, 2 * jobs):
            split = [memo.split(chunk) for chunk in window]
            claimed: set[tuple] = set()
            jobs_todo = []
            for _keys, todo in split:
                mine = [row for row in todo if memo.key(row) not in claimed]
                claimed.update(memo.key(row) for row in mine)
                jobs_todo.append(mine)
            results = pool.map(_worker_chunk, [(todo, spec) for todo in jobs_todo])
            for todo, result in zip(jobs_todo, results, strict=True):
                if todo:
                    memo.remember(todo, *result)
            for chunk, (keys, _todo) in zip(window, split, strict=True):
                tally.collect(*memo.rows(chunk, keys))
        pool.close()  # the work is done: workers leave on their own, nothing is terminated mid-lock
        pool.join()


def output_header(header: list[str], audit: bool) -> list[str]:
    return header + (AUDIT_COLUMNS if audit else TAG_COLUMNS)


__all__ = [
    "AUDIT_KINDS",
    "Columns",
    "Problem",
    "Summary",
    "TaggingCancelled",
    "TooManyRowsError",
    "choose_columns",
    "output_header",
    "sheet_buyer",
    "tag_table",
]
