"""Another province's catalog: what of the bundled data fits it, a checker trained for it, and a refusal of the
wrong one."""

from __future__ import annotations

import csv
import io

import pytest

from catalog import LEAF_FIELDS, load_catalog, read_export, to_csv
from classifier import ModelMismatchError, Reference, train_default_model
from classifier.eligibility import Checker, load_checker, save_checker

RENAMED = ("人力资源和社会保障", "A090101")


def other_catalog_csv() -> str:
    """The bundled catalog as another province might publish it: no 民政 section, one 人社 leaf renamed, and a
    section of its own."""
    rows = [r for r in csv.DictReader(io.StringIO(to_csv(load_catalog()))) if r["department"] != "民政"]
    for row in rows:
        if (row["department"], row["code"]) == RENAMED:
            row["name"] = "职业技能等级认定组织服务"
    extra = dict(rows[0], department="数据局", code="A160101", name="公共数据开放服务", line="")
    extra.update(level2_code="A16", level2_name="公共数据服务", level3_code="A1601", level3_name="公共数据服务")
    out = io.StringIO()
    writer = csv.DictWriter(out, LEAF_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows([*rows, extra])
    return out.getvalue()


@pytest.fixture(scope="module")
def other():
    return read_export(other_catalog_csv(), "csv")


def test_the_bundled_reference_keeps_every_line():
    reference = Reference.bundled()
    assert reference.is_bundled and reference.dropped == 0
    assert reference.name == "《山西省部门政府购买服务指导性目录》（晋财综〔2025〕28号）"
    assert len(reference.crosswalk) > 1000


def test_another_catalog_keeps_only_the_lines_whose_leaves_it_has(other):
    reference = Reference.for_catalog(other)
    assert not reference.is_bundled
    assert 0 < reference.dropped < len(Reference.bundled().training)
    learned = {leaf for line in reference.training for leaf in line.gold}
    assert learned and all(other.leaf(*leaf) is not None for leaf in learned)
    assert not any(title == "民政" for title, _ in learned)
    assert RENAMED not in learned  # a leaf of the same code but another name is another leaf
    assert RENAMED not in reference.crosswalk and ("民政", "A100301") not in reference.crosswalk
    assert all(other.leaf(*alias.leaf) is not None for alias in reference.aliases)


@pytest.fixture(scope="module")
def other_checker(other, checker):
    """A checker for the other catalog: its own ranking, trained on the lines that fit it (the 品目 ranking and the
    type decision do not depend on the guidance catalog: the session checker's are reused, to keep the suite short;
    ``gpsc train --catalog`` trains them all)."""
    model = train_default_model(other)
    return Checker(model, thresholds=checker.thresholds, pinmu=checker.pinmu_model, typer=checker.typer)


def test_a_checker_trained_for_another_catalog_carries_it_and_refuses_the_bundled_one(other, other_checker, tmp_path):
    assert other_checker.catalog.content_hash == other.content_hash
    verdict = other_checker.check("乡镇社会工作服务站运营", "县民政局")
    assert "department.no_section" in [r.rule for r in verdict.reasons]  # no 民政 section in this catalog
    assert other_checker.check("法律顾问服务", "县司法局").verdict == "eligible"
    path = save_checker(other_checker, tmp_path / "other.joblib")
    loaded = load_checker(path)  # no catalog given: the one it was trained on
    assert loaded.catalog.content_hash == other.content_hash
    assert (
        loaded.check("法律顾问服务", "县司法局").match.key == other_checker.check("法律顾问服务", "县司法局").match.key
    )
    with pytest.raises(ModelMismatchError, match="训练的，不能用于《山西省"):
        load_checker(path, load_catalog())


def test_the_bundled_checker_refuses_another_catalog(checker, other, tmp_path):
    path = save_checker(checker, tmp_path / "bundled.joblib")
    with pytest.raises(ModelMismatchError, match="按《山西省部门政府购买服务指导性目录》"):
        load_checker(path, other)
