"""Real 政府采购 text: notice titles, traditional characters, cells with no purchase, and one type for every line."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from classifier import bundled_real_titles, no_content, project_key, purchase_scope, read_pinmu_lines
from classifier._titles import read_title
from service import TAG_COLUMNS, tag_cells, verdict_dict

AGENCY_TITLE = (
    "广西龙建工程管理有限公司贵港市港北区环境卫生管理所-环卫车辆维修及保养服务"
    "（项目编号：GGZC2022-C3-20246-GXLJ）竞争性磋商公告"
)
JUNK = ["34", "15", "A150201", "2026-01-01", "合计", "小计：", "序号", "同上", "见附件", "待定", "—", "测试"]


def test_a_notice_title_sets_aside_agency_number_and_notice_type():
    core, aside = read_title(AGENCY_TITLE)
    kinds = {kind for kind, _ in aside}
    assert {"agency", "number", "notice"} <= kinds
    assert "环卫车辆维修及保养服务" in core
    assert not re.search(r"有限公司|编号|公告|磋商", core)


def test_real_titles_lose_their_notice_type():
    titles = bundled_real_titles()
    cores = [read_title(t.text)[0] for t in titles]
    still_notices = sum(bool(re.search(r"(?:公告|公示)$", c)) for c in cores)
    assert still_notices / len(titles) < 0.02
    assert all(cores)  # never emptied


def test_an_agency_named_for_works_does_not_make_a_service_works(checker):
    verdict = checker.check("某某工程咨询有限公司关于某县人民医院物业管理服务项目竞争性磋商公告")
    assert verdict.type == "services" and verdict.verdict != "ineligible"
    assert ("agency", "某某工程咨询有限公司关于") in verdict.scope.set_aside


def test_the_buyer_in_a_title_is_used_when_none_is_given_and_the_reasons_say_so(checker):
    title = "政和县教育局宣传片制作服务项目竞争性谈判公告"
    verdict = checker.check(title)
    assert verdict.buyer == "政和县教育局" and verdict.department == "教育"
    (reason,) = [r for r in verdict.reasons if r.rule == "department.from_text"]
    assert "政和县教育局" in reason.message
    given = checker.check(title, "县文化和旅游局")  # a department given always wins
    assert given.department == "文化和旅游" and all(r.rule != "department.from_text" for r in given.reasons)


def test_the_real_split_keeps_each_project_on_one_side():
    sides = defaultdict(set)
    for title in bundled_real_titles():
        sides[project_key(title.text)].add(title.split)
    assert all(len(s) == 1 for s in sides.values())
    assert project_key("某县医院CT采购项目更正公告") == project_key("某县医院CT采购项目竞争性磋商公告")
    train, test = bundled_real_titles("train"), bundled_real_titles("test")
    assert len(train) + len(test) == 3864 and 0.4 < len(test) / 3864 < 0.6


@pytest.mark.parametrize(
    "text", ["34", "15", "A150201", "2026-01-01", "合计", "小计：", "序号", "同上", "见附件", "待定", "—", "测试"]
)
def test_a_cell_with_no_purchase_is_never_judged(checker, text):
    verdict = checker.check(text, "县民政局")
    assert verdict.verdict == "review" and verdict.match is None and verdict.candidates == ()
    assert [r.rule for r in verdict.reasons] == ["text.no_content"]
    assert verdict.pinmu is None and verdict.type is None
    (classification,) = checker.model.classify_many([text])
    assert classification.candidates == () and classification.error
    assert checker.pinmu_model.rank(text) is None


def test_a_purchase_is_never_taken_for_junk():
    lines = [line.text for line in read_pinmu_lines(_bundled("procurement_train.csv"), _pinmu(), "train")]
    assert not [t for t in lines if no_content(t)]
    assert not [t.text for t in bundled_real_titles() if no_content(t.text)]


def test_traditional_characters_read_as_simplified(checker):
    traditional = checker.check("政府採購項目：辦公樓物業管理服務", "縣民政局")
    simplified = checker.check("政府采购项目：办公楼物业管理服务", "县民政局")
    assert (traditional.verdict, traditional.type, traditional.pinmu) == (
        simplified.verdict,
        simplified.type,
        simplified.pinmu,
    )
    assert purchase_scope("採購多媒體設備").core == "采购多媒体设备"


@pytest.mark.parametrize(
    "text", ["施工图设计", "工程监理", "水土保持方案编制", "环评报告编制", "设备运行维护", "车辆保险", "电梯维保"]
)
def test_services_for_construction_or_done_on_things_stay_services(checker, text):
    verdict = checker.check(text)
    assert verdict.type == "services" and verdict.verdict != "ineligible", [r.message for r in verdict.reasons]


@pytest.mark.parametrize(
    ("text", "buyer"),
    [
        ("等保测评", "县公安局"),
        ("12123语音热线", "县公安局"),
        ("火烧迹地清理", "县林业局"),
        ("法院、看守所值班律师派驻", "县司法局"),
    ],
)
def test_a_weak_pinmu_does_not_outvote_a_confident_leaf(checker, text, buyer):
    verdict = checker.check(text, buyer)
    assert verdict.verdict != "ineligible" and verdict.type == "services", [r.message for r in verdict.reasons]


def test_every_judged_line_has_a_type_with_its_probability(checker):
    lines = ["购置办公设备", "办公楼屋面防水维修工程", "社工站运营", "补充业务费", "舆情监测"]
    for verdict in checker.check_many(lines):
        assert verdict.type in ("goods", "works", "services") and 0 < verdict.type_score <= 1
        cells = dict(zip(TAG_COLUMNS, tag_cells(verdict), strict=True))
        assert cells["gpsc_pinmu_type"] == verdict.type and cells["gpsc_pinmu_type_score"] == verdict.type_score
        shaped = verdict_dict(verdict)
        assert shaped["type"] == verdict.type and shaped["type_score"] == verdict.type_score


def test_an_explicit_purchase_of_goods_is_not_outweighed(checker):
    # 含设备购置 says the contract buys equipment: the type decision may read a service, the words stand
    verdict = checker.check("物业管理服务（含设备购置）")
    assert verdict.verdict == "ineligible"


def _bundled(name: str) -> str:
    from importlib.resources import files

    return files("training_data").joinpath(name).read_text(encoding="utf-8")


def _pinmu():
    from catalog import load_pinmu

    return load_pinmu()
