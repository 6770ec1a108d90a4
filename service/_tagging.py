"""Tag or audit a whole sheet, chunk by chunk: the shared engine of ``gpsc tag/audit`` and ``POST /v1/tag``.

Every input row comes out, in order, with its columns untouched; a row that cannot be judged gets its
explanation in ``gpsc_reasons``. Memory stays flat: one chunk of rows is in flight at a time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from classifier._audit import AUDIT_KINDS, Auditor, AuditResult
from classifier._eligibility import EligibilityChecker

from ._shapes import AUDIT_COLUMNS, TAG_COLUMNS, audit_cells, tag_cells
from ._tables import DEPARTMENT_COLUMN_GUESSES, TEXT_COLUMN_GUESSES, Table, TableError, TableWriter, pick_column


@dataclass
class Columns:
    text: str
    department: str | None
    code: str | None = None
    detail: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Summary:
    rows: int = 0
    verdicts: Counter = field(default_factory=Counter)
    audits: Counter = field(default_factory=Counter)
    problems: list[tuple[int, AuditResult]] = field(default_factory=list)  # (row number, result)


def choose_columns(
    header: list[str],
    text_column: str | None,
    department_column: str | None,
    department: str | None,
    code_column: str | None = None,
    need_code: bool = False,
    detail_column: str | None = None,
) -> Columns:
    """Resolve the columns to read; guesses are reported in ``notes`` so the user sees what was used."""
    notes = []
    text = pick_column(header, text_column, TEXT_COLUMN_GUESSES, "text")
    if text is None:
        raise TableError(
            f"which column holds the purchase text? pass --text-column; the columns are: {', '.join(header)}"
        )
    if text_column is None:
        notes.append(f"text column: {text}")
    dept = None
    if department is None:
        dept = pick_column(header, department_column, DEPARTMENT_COLUMN_GUESSES, "department")
        if department_column is None and dept is not None:
            notes.append(f"department column: {dept}")
    code = None
    if need_code:
        if code_column is None:
            raise TableError(f"pass --code-column with the declared codes; the columns are: {', '.join(header)}")
        code = pick_column(header, code_column, (), "code")
    detail = pick_column(header, detail_column, (), "detail") if detail_column else None
    return Columns(text, dept, code, detail, notes)


def tag_table(
    table: Table,
    columns: Columns,
    checker: EligibilityChecker,
    writer: TableWriter,
    department: str | None = None,
    top_k: int = 5,
    audit: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    keep_problems: int = 200,
) -> Summary:
    """Stream ``table`` through the checker (and auditor) into ``writer``; returns the counts."""
    if department is not None:
        checker.model.catalog_.section(department)  # an unknown department fails before any row is read
    summary = Summary()
    header = table.header
    text_at = header.index(columns.text)
    dept_at = header.index(columns.department) if columns.department else None
    code_at = header.index(columns.code) if columns.code else None
    detail_at = header.index(columns.detail) if columns.detail else None
    auditor = Auditor(checker) if audit else None
    for chunk in table.chunks:
        texts = [row[text_at] for row in chunk]
        departments = [department if dept_at is None else (row[dept_at] or department) for row in chunk]
        details = None if detail_at is None else [row[detail_at] for row in chunk]
        if auditor is not None:
            results = auditor.audit_many(texts, departments, [row[code_at] for row in chunk], details)
            out = [row + audit_cells(r) for row, r in zip(chunk, results, strict=True)]
            for offset, result in enumerate(results):
                summary.verdicts[result.verdict.verdict] += 1
                summary.audits[result.kind] += 1
                if result.kind != "ok":
                    summary.problems.append((summary.rows + offset + 1, result))
            summary.problems.sort(key=lambda p: (p[1].severity, -p[1].certainty, p[0]))
            del summary.problems[keep_problems:]
        else:
            verdicts = checker.check_many(texts, departments, top_k=top_k, details=details)
            out = [row + tag_cells(v) for row, v in zip(chunk, verdicts, strict=True)]
            summary.verdicts.update(v.verdict for v in verdicts)
        writer.write(out)
        summary.rows += len(chunk)
        if on_chunk is not None:
            on_chunk(len(chunk))
    if summary.rows == 0:
        raise TableError("the sheet has a header but no rows")
    return summary


def output_header(header: list[str], audit: bool) -> list[str]:
    return header + (AUDIT_COLUMNS if audit else TAG_COLUMNS)


__all__ = ["AUDIT_KINDS", "Columns", "Summary", "choose_columns", "output_header", "tag_table"]
