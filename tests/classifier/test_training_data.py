"""training_data/ is product data: these checks keep it usable and honest."""

from __future__ import annotations

import pytest

from classifier import (
    TrainingDataError,
    bundled_aliases,
    bundled_dev,
    bundled_training,
    normalize,
    normalize_line,
    read_labeled,
)


def test_sizes_and_coverage(catalog):
    train, dev = bundled_training(catalog), bundled_dev(catalog)
    assert len(train) >= 1500
    assert len(dev) >= 300
    covered = {leaf for line in train for leaf in line.gold}
    assert {d for d, _ in covered} == set(catalog.departments()), "every section has training lines"
    assert len(covered) / len(catalog.leaves()) >= 0.9, "most leaves have training lines"


@pytest.mark.parametrize(
    "held", ["dev.csv", "dev_verdicts.csv", "verdicts_test.csv", "verdicts_test2.csv", "negatives_test.csv"]
)
def test_evaluation_sets_are_separate_from_training(catalog, held):
    from importlib.resources import files

    train = {normalize_line(line.text) for line in bundled_training(catalog)}
    lines = read_labeled(files("training_data").joinpath(held).read_text(encoding="utf-8"), catalog, held)
    overlap = [line.text for line in lines if normalize_line(line.text) in train]
    assert not overlap


def test_aliases_point_at_one_leaf_each():
    aliases = bundled_aliases()
    assert len(aliases) >= 100
    seen = {}
    for alias in aliases:
        assert seen.setdefault(normalize(alias.alias), alias.leaf) == alias.leaf, alias.alias


def test_bad_labelled_rows_are_all_reported(catalog):
    text = "text,department,gold\n社工站,民政,民政/A999999\n,民政,民政/A100301\n舆情,税务局,民政/A100301\n"
    with pytest.raises(TrainingDataError) as caught:
        read_labeled(text, catalog, "bad.csv")
    message = str(caught.value)
    assert "bad.csv" in message and "line 2" in message and "line 3" in message and "line 4" in message


def test_missing_column_is_named(catalog):
    with pytest.raises(TrainingDataError, match="missing column"):
        read_labeled("words,department\n社工站,民政\n", catalog)
