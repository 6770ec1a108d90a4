"""The one batch entry: ``Checker.judge_many`` reads each distinct line once and answers in columns.

A sheet repeats itself (the same item in every unit, every year), so rows are first folded to their distinct
``(text, department, detail)``; each distinct line is judged once, in batches of ``JUDGE_BATCH``, and every row
points at its line's verdict (``rows``). The rankings underneath keep their own memo of normalised lines
(``2025年度X`` and ``2026年X`` are read once), shared by every batch of the process.

Columns (``columns()``) are plain lists, one cell per row, so pandas, Dask or Spark take them without a per-row
loop; the ``Verdict`` of a row is there too (``verdict(i)``), for a card or the review record.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ._checker import Checker, Verdict

JUDGE_BATCH = 2000  # distinct lines judged together: the model's own batch size
COLUMNS = (
    "verdict",  # eligible | ineligible | review
    "section",  # the buyer's section of the catalog ('' without one)
    "code",  # the chosen leaf's code (eligible only)
    "leaf",  # its name
    "score",  # its calibrated score (None when no leaf is chosen)
    "type",  # goods | works | services ('' for a line not judged)
    "type_score",
    "pinmu_code",  # the confident 品目 (what is bought)
    "pinmu_name",
    "rules",  # the reasons' rule ids, joined by ';'
    "error",  # why a line could not be judged ('' otherwise)
)


@dataclass(frozen=True)
class Judgements:
    """The verdicts of a batch: ``distinct`` verdicts, and for each row the index of its own (``rows``).

    >>> from classifier.eligibility import get_checker
    >>> unit = "县行政审批服务管理局"
    >>> judged = get_checker().judge_many(["12345热线外包", "12345热线外包", "购置办公设备"], [unit, unit, None])
    >>> len(judged), len(judged.distinct), judged.columns()["verdict"]
    (3, 2, ['eligible', 'eligible', 'ineligible'])
    """

    distinct: tuple[Verdict, ...]
    rows: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    def verdict(self, row: int) -> Verdict:
        return self.distinct[int(self.rows[row])]

    def __iter__(self) -> Iterator[Verdict]:
        return (self.distinct[i] for i in self.rows.tolist())

    def column(self, name: str) -> list[object]:
        """One column, one cell per row (each distinct line's cell computed once)."""
        if name not in COLUMNS:
            raise KeyError(f"没有这一列：{name}（可用：{'、'.join(COLUMNS)}）")
        cells = [_cell(v, name) for v in self.distinct]
        return [cells[i] for i in self.rows.tolist()]

    def columns(self, names: Sequence[str] = COLUMNS) -> dict[str, list[object]]:
        return {name: self.column(name) for name in names}


def _cell(v: Verdict, name: str) -> object:
    if name == "verdict":
        return v.verdict
    if name == "section":
        return v.department or ""
    if name in ("code", "leaf", "score"):
        if v.match is None:
            return None if name == "score" else ""
        return {"code": v.match.code, "leaf": v.match.name, "score": v.match.score}[name]
    if name == "type":
        return v.type or ""
    if name == "type_score":
        return v.type_score
    if name in ("pinmu_code", "pinmu_name"):
        return "" if v.pinmu is None else (v.pinmu.code if name == "pinmu_code" else v.pinmu.name)
    if name == "rules":
        return ";".join(r.rule for r in v.reasons)
    return v.error or ""


def judge_many(
    checker: Checker,
    texts: Sequence[str | None],
    departments: Sequence[str | None] | None = None,
    *,
    details: Sequence[str | None] | None = None,
    top_k: int = 5,
    explain: bool = False,
) -> Judgements:
    """Judge a batch of rows, each distinct line once (see the module docstring)."""
    texts = ["" if t is None else str(t) for t in texts]
    departments = [None] * len(texts) if departments is None else list(departments)
    details = [None] * len(texts) if details is None else list(details)
    if not len(texts) == len(departments) == len(details):
        raise ValueError(f"各列行数不同：文字 {len(texts)} 行，部门 {len(departments)} 行，说明 {len(details)} 行")
    where: dict[tuple, int] = {}
    rows = np.fromiter(
        (where.setdefault(key, len(where)) for key in zip(texts, departments, details, strict=True)),
        dtype=np.int64,
        count=len(texts),
    )
    keys = list(where)
    verdicts: list[Verdict] = []
    for start in range(0, len(keys), JUDGE_BATCH):
        part = keys[start : start + JUDGE_BATCH]
        verdicts += checker.check_many(
            [k[0] for k in part],
            [k[1] for k in part],
            top_k=top_k,
            explain=explain,
            details=[k[2] for k in part],
        )
    return Judgements(tuple(verdicts), rows)
