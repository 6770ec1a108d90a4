"""The one batch entry: each distinct line judged once, the same verdicts as one at a time, answers in columns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from classifier.eligibility import JUDGEMENT_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real_lines() -> list[str]:
    with (ROOT / "training_data" / "real_titles.csv").open(encoding="utf-8") as handle:
        titles = [row["title"] for row in csv.DictReader(handle) if row["split"] == "train"]
    return titles[:150]


def test_judge_many_gives_check_many_verdicts_for_every_row(checker, real_lines):
    units = ["县民政局", None, "县行政审批服务管理局"]
    texts = real_lines + real_lines[:40] + ["", "合计"]  # repeated rows, an empty and a no-content row
    departments = [units[i % 3] for i in range(len(texts))]
    judged = checker.judge_many(texts, departments)
    assert len(judged) == len(texts)
    assert len(judged.distinct) < len(texts)  # the repeated rows were judged once
    one_by_one = checker.check_many(texts, departments)
    assert list(judged) == one_by_one
    columns = judged.columns()
    assert set(columns) == set(JUDGEMENT_COLUMNS)
    assert all(len(cells) == len(texts) for cells in columns.values())
    assert columns["verdict"] == [v.verdict for v in one_by_one]
    assert columns["code"] == [v.match.code if v.match else "" for v in one_by_one]
    assert columns["error"][-2] and columns["verdict"][-2] == "review"


def test_a_reading_kept_from_an_earlier_batch_is_the_reading_itself(checker, real_lines):
    """The rankings' memo: a line read in one batch and met again in another gets what a fresh read gives."""
    import copy

    fresh = copy.deepcopy(checker)  # no memo: pickling leaves it out
    lines = [f"2025年度{t}" for t in real_lines[:60]]
    checker.judge_many([f"2026年{t}" for t in real_lines[:60]])  # same normalised lines, read first
    assert list(checker.judge_many(lines)) == list(fresh.judge_many(lines))


def test_unequal_columns_are_refused(checker):
    with pytest.raises(ValueError, match="行数不同"):
        checker.judge_many(["a", "b"], ["县民政局"])


def test_forget_readings_starts_the_rankings_cold(checker, real_lines):
    checker.judge_many(real_lines[:20])
    assert len(checker.model.__dict__["_memo"]) > 0 and len(checker.pinmu_model.__dict__["_memo"]) > 0
    checker.forget_readings()
    assert len(checker.model.__dict__["_memo"]) == 0 and len(checker.pinmu_model.__dict__["_memo"]) == 0
