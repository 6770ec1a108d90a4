"""The 品目 ranking: its type belief on lines of a writer it never learnt from, and its batch shape."""

from __future__ import annotations

from importlib.resources import files

import pytest

from catalog import load_pinmu
from classifier import evaluate_pinmu, read_pinmu_lines


def _lines(name: str):
    return read_pinmu_lines(files("training_data").joinpath(name).read_text(encoding="utf-8"), load_pinmu(), name)


@pytest.mark.parametrize(("name", "floor"), [("procurement_dev.csv", 0.97), ("procurement_dev2.csv", 0.95)])
def test_type_accuracy_on_dev_lines(checker, name, floor):
    # procurement_dev2.csv is a third writer's: the type model alone read 0.91 of it, with the items' types 0.97
    result = evaluate_pinmu(checker.pinmu_model, _lines(name))
    assert result.type_accuracy >= floor, result


@pytest.mark.parametrize("text", ["打印机维修", "电梯年度维保", "公务用车保险", "年度财务审计", "道路工程施工监理"])
def test_a_service_done_on_a_thing_is_a_service(checker, text):
    assert checker.pinmu_model.rank(text).type == "services"


def test_a_batch_ranks_each_line_as_alone(checker):
    texts = ["A4黑白打印机", "屋面防水维修工程", "", "办公楼物业管理服务", "A4黑白打印机"]
    batch = checker.pinmu_model.rank_many(texts)
    assert batch == [checker.pinmu_model.rank(t) for t in texts]
    assert batch[2] is None and batch[0] == batch[4]


@pytest.mark.parametrize("text", ["工作经费", "补充业务费", "办公经费"])
def test_a_fund_is_not_judged_by_the_pinmu(checker, text):
    verdict = checker.check(text)
    assert verdict.pinmu is None and verdict.verdict == "review"
    assert not {r.rule for r in verdict.reasons} & {"goods", "works"}


def test_a_lines_ranking_does_not_depend_on_its_batch(checker):
    # the same normalised line written two ways (a year in front): each keeps its own type reading, whichever
    # comes first in the batch, so a sheet's answers do not depend on how it is cut into chunks
    model = checker.pinmu_model
    lines = ["2025年度办公楼物业管理服务采购", "办公楼物业管理服务", "购置办公楼物业管理设备"]
    alone = [model.rank_many([line])[0] for line in lines]
    assert model.rank_many(lines) == alone
    assert model.rank_many(lines[::-1]) == alone[::-1]
