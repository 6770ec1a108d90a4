"""Bulk tagging at scale: the columnar call, answers that do not depend on how rows are cut into chunks or
partitions, a checker that ships to a worker by plain pickling, and a settable thread count."""

from __future__ import annotations

import csv
import pickle
import random
from pathlib import Path

import pytest

from classifier import get_threads, set_threads
from service import TAG_COLUMNS, tag_columns
from service.sheets import _tables, _tagging, choose_columns, open_table, tag_table

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training_data"


def _real_lines() -> tuple[list[str], list[str | None]]:
    """Real labelled lines (eligible, ineligible and review), with and without a department, and some repeats
    written the way clerks vary them."""
    texts, departments = [], []
    for name in ("dev_verdicts.csv", "procurement_dev.csv"):
        with (DATA / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                texts.append(row["text"])
                departments.append(row.get("department") or None)
    texts, departments = texts[::3], departments[::3]
    repeats = [(f"2026年{t}", d) for t, d in zip(texts[:40], departments[:40], strict=True)]
    return texts + [t for t, _ in repeats] + texts[:30], departments + [d for _, d in repeats] + departments[:30]


TEXTS, DEPARTMENTS = _real_lines()


def test_columns_are_the_tag_columns_and_keep_every_row(checker):
    columns = tag_columns([*TEXTS[:50], "", "x" * 3000], [*DEPARTMENTS[:50], None, None], checker=checker)
    assert list(columns) == TAG_COLUMNS and all(len(cells) == 52 for cells in columns.values())
    assert "采购内容为空" in columns["gpsc_reasons"][50] and "文字过长" in columns["gpsc_reasons"][51]


@pytest.mark.parametrize("size", [7, 113])
def test_output_does_not_depend_on_how_rows_are_partitioned(checker, size):
    whole = tag_columns(TEXTS, DEPARTMENTS, checker=checker)
    parts = [
        tag_columns(TEXTS[start : start + size], DEPARTMENTS[start : start + size], checker=checker)
        for start in range(0, len(TEXTS), size)
    ]
    joined = {name: [cell for part in parts for cell in part[name]] for name in TAG_COLUMNS}
    assert joined == whole


def test_a_checker_ships_to_a_worker_by_plain_pickling(checker):
    shipped = pickle.loads(pickle.dumps(checker))  # what Dask and Spark do with a function's closure
    assert shipped.model.catalog_.content_hash == checker.model.catalog_.content_hash
    assert tag_columns(TEXTS[:60], DEPARTMENTS[:60], checker=shipped) == tag_columns(
        TEXTS[:60], DEPARTMENTS[:60], checker=checker
    )


def test_the_thread_count_is_settable_and_changes_no_answer(checker, monkeypatch):
    before = tag_columns(TEXTS[:200], DEPARTMENTS[:200], checker=checker)
    try:
        set_threads(1)
        assert get_threads() == 1
        assert tag_columns(TEXTS[:200], DEPARTMENTS[:200], checker=checker) == before
    finally:
        set_threads(None)
    assert get_threads() is None
    monkeypatch.setenv("GPSC_THREADS", "2")
    assert get_threads() == 2
    monkeypatch.setenv("GPSC_THREADS", "zwei")
    with pytest.raises(ValueError, match="GPSC_THREADS"):
        get_threads()


class _Rows:
    def __init__(self) -> None:
        self.rows: list[list[object]] = []

    def write(self, rows):
        self.rows += rows


def _tag_sheet(checker, text: str, folder: Path) -> list[list[object]]:
    path = folder / "sheet.csv"
    path.write_text(text, encoding="utf-8")
    table = open_table(path)
    writer = _Rows()
    tag_table(table, choose_columns(table.header), checker, writer)
    return writer.rows


def test_repeated_rows_are_copied_exactly_whatever_the_chunk_size(checker, monkeypatch, tmp_path):
    # a sheet that repeats its items, as budget sheets do: the rows judged once and copied must be exactly
    # what judging each chunk afresh gives, with small chunks (many cross-chunk copies) and a tiny memo
    lines = ["项目名称,单位"] + [
        f"{t},{d or ''}" for t, d in zip(TEXTS[:80], DEPARTMENTS[:80], strict=True) if "," not in t
    ]
    shuffled = lines[1:]
    random.Random(7).shuffle(shuffled)  # repeats in another order: a hit may be the oldest entry when new rows come
    sheet = "\n".join(lines + shuffled + lines[1:40]) + "\n"
    expected = _tag_sheet(checker, sheet, tmp_path)
    monkeypatch.setattr(_tables, "CHUNK_ROWS", 17)
    monkeypatch.setattr(_tagging, "MEMO_ROWS", 5)
    assert _tag_sheet(checker, sheet, tmp_path) == expected
    fresh = tag_columns([r[0] for r in expected], [r[1] or None for r in expected], checker=checker)
    assert [r[2:] for r in expected] == [list(cells) for cells in zip(*fresh.values(), strict=True)]


def test_a_bad_thread_count_is_one_chinese_line(tmp_path):
    from click.testing import CliRunner

    from service.cli import main

    sheet = tmp_path / "s.csv"
    sheet.write_text("项目名称\n" + "".join(f"{t}\n" for t in TEXTS[:100] if "," not in t), encoding="utf-8")
    result = CliRunner().invoke(main, ["tag", str(sheet), "-o", str(tmp_path / "o.csv")], env={"GPSC_THREADS": "zwei"})
    assert result.exit_code == 1 and "GPSC_THREADS 应为正整数" in result.output
