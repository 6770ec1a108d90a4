"""The columnar batch call: texts and departments in, gpsc's columns out, for pandas and distributed engines.

``tag_columns`` gives exactly the columns ``gpsc tag`` adds (``TAG_COLUMNS``), as one list per column, so a
DataFrame takes them without a per-row loop. Each row's cells depend on that row only (its text, department
and detail), so the output is the same however the rows are partitioned; a checker pickles (the catalog is
re-attached on unpickling), so it can be shipped to a worker, and ``classifier.set_threads(1)`` keeps one
task to one core.

From pandas::

    from classifier.eligibility import get_checker
    from service import tag_columns
    checker = get_checker()
    tagged = frame.assign(**tag_columns(frame["项目名称"].tolist(), frame["单位"].tolist(), checker=checker))

From Spark, one partition at a time (``mapInPandas``; Dask's ``map_partitions`` is the same idea)::

    def tag(batches):
        from classifier import set_threads
        set_threads(1)
        for frame in batches:
            yield frame.assign(**tag_columns(frame["项目名称"].tolist(), frame["单位"].tolist(), checker=checker))
"""

from __future__ import annotations

from collections.abc import Sequence

from service.shapes import TAG_COLUMNS, tag_cells

__all__ = ["tag_columns", "tag_frame"]

BATCH_ROWS = 20_000  # rows per call of the library's batch entry (it judges their distinct lines 2,000 at a time)


def tag_columns(
    texts: Sequence[str],
    departments: Sequence[str | None] | None = None,
    *,
    checker=None,
    details: Sequence[str | None] | None = None,
    top_k: int = 5,
) -> dict[str, list[object]]:
    """``{column: [cell per row]}`` for ``TAG_COLUMNS``; a bad row (empty, too long) gets its reason in its
    cells and the others go on. ``checker`` defaults to the bundled one (``get_checker()``).

    >>> columns = tag_columns(["12345热线外包", "购置办公设备"], ["县行政审批服务管理局", "人社局"])
    >>> columns["gpsc_verdict"], columns["gpsc_code"]
    (['eligible', 'ineligible'], ['A180701', ''])
    """
    if checker is None:
        from classifier.eligibility import get_checker

        checker = get_checker()
    departments = None if departments is None else [_cell(d) for d in departments]
    details = None if details is None else [_cell(d) for d in details]
    lengths = {len(texts), len(departments or texts), len(details or texts)}
    if len(lengths) > 1:
        raise ValueError(
            f"各列行数不同：文字 {len(texts)} 行，部门 {len(departments or texts)} 行，说明 {len(details or texts)} 行"
        )
    columns: dict[str, list[object]] = {name: [] for name in TAG_COLUMNS}
    names = list(columns.values())
    for start in range(0, len(texts), BATCH_ROWS):  # a chunk at a time: memory stays flat on a long frame
        part = slice(start, start + BATCH_ROWS)
        judged = checker.judge_many(
            texts[part],
            None if departments is None else departments[part],
            details=None if details is None else details[part],
            top_k=top_k,
        )
        cells = [tag_cells(v) for v in judged.distinct]  # each distinct line's cells once
        for row in judged.rows.tolist():
            for column, cell in zip(names, cells[row], strict=True):
                column.append(cell)
    return columns


def tag_frame(frame, text: str = "项目名称", department: str | None = "单位", *, checker=None, top_k: int = 5):
    """A pandas DataFrame with gpsc's columns added (``TAG_COLUMNS``): the function a Dask ``map_partitions`` or a
    Spark ``mapInPandas`` calls on each partition. ``department`` may be None (no buyer column).

    >>> import pandas as pd
    >>> tagged = tag_frame(pd.DataFrame({"项目名称": ["12345热线外包"], "单位": ["县行政审批服务管理局"]}))
    >>> tagged[["项目名称", "gpsc_verdict", "gpsc_code"]].values.tolist()
    [['12345热线外包', 'eligible', 'A180701']]
    """
    for name in (text, department):
        if name is not None and name not in frame.columns:
            raise KeyError(f"表中没有“{name}”列（现有：{'、'.join(map(str, frame.columns))}）")
    departments = None if department is None else frame[department].tolist()
    return frame.assign(**tag_columns(frame[text].tolist(), departments, checker=checker, top_k=top_k))


def _cell(value: object) -> str | None:
    """A department or detail cell as text; pandas' missing values (None, NaN) are no value."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)
