"""What is bought decides goods and works: the 品目 ranking inside the eligibility check."""

from __future__ import annotations

import re

import pytest

from classifier import bundled_procurement_dev
from classifier.eligibility import PINMU_GRID, fit_pinmu_threshold
from service import TAG_COLUMNS, tag_cells, verdict_dict

GOODS_AND_WORKS = [
    ("多媒体教室设备采购", "goods"),
    ("中小学课桌椅采购项目", "goods"),
    ("执法执勤用车购置", "goods"),
    ("消防水泵更换及安装", None),  # goods with installation: a bundle, goods or works
    ("屋面防水维修工程", "works"),
    ("围墙砌筑", "works"),
    ("监控摄像头供应商入围采购", "goods"),
    ("B超机一台", "goods"),
]


@pytest.mark.parametrize("buyer", [None, "县城市管理局", "县人民医院", "县民政局"])
@pytest.mark.parametrize(("text", "kind"), GOODS_AND_WORKS)
def test_goods_and_works_are_ineligible_whoever_buys(checker, text, kind, buyer):
    verdict = checker.check(text, buyer)
    assert verdict.verdict == "ineligible", [r.message for r in verdict.reasons]
    first = verdict.reasons[0]
    assert first.rule in ("goods", "works") and (kind is None or first.rule == kind)
    assert "第十条第（三）项" in first.basis


def test_a_goods_verdict_from_the_pinmu_names_the_item(checker):
    # no word of the rule table's goods list: only the 品目 can see that an ultrasound machine is goods
    for text in ("彩色多普勒超声诊断仪", "GNSS接收机及全站仪", "分类垃圾桶"):
        assert not checker.rule_hits(text), text
    verdict = checker.check("彩色多普勒超声诊断仪")
    assert verdict.verdict == "ineligible"
    assert verdict.pinmu is not None and verdict.pinmu.type == "goods" and verdict.pinmu.code.startswith("A")
    assert verdict.pinmu.code in verdict.reasons[0].message and "（货物）" in verdict.reasons[0].message


def test_a_service_without_a_leaf_says_what_the_catalog_lacks(checker):
    verdict = checker.check("办公楼物业管理服务", "县机关事务服务中心")
    assert verdict.verdict == "review" and verdict.pinmu is not None
    assert verdict.pinmu.code == "C21040000" and verdict.pinmu.type == "services"
    (reason,) = [r for r in verdict.reasons if r.rule == "pinmu.service"]
    assert "C21040000 物业管理服务" in reason.message and "只含公共服务" in reason.message


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [("空调采购及安装", "A", "B"), ("监控摄像头采购及安装", "A", "B"), ("污水处理厂设计施工一体化", "B", "C")],
)
def test_a_bundle_names_both_parts(checker, text, first, second):
    verdict = checker.check(text)
    assert verdict.verdict == "ineligible"
    message = verdict.reasons[0].message
    codes = re.findall(r"(?<![A-Z0-9])[ABC]\d{8}(?!\d)", message)
    assert [c[0] for c in codes[:2]] == [first, second], message
    assert "打包购买" in message
    # the first part is shown as the line's 品目 only when the item itself is likely right, else named as the closest
    assert (verdict.pinmu is not None and verdict.pinmu.code == codes[0]) or "最接近的是" in message


def test_the_pinmu_leads_where_a_goods_word_also_fired(checker):
    # 摄像头 is in the goods word list too; the reason that leads names the item, and only once
    verdict = checker.check("监控摄像头供应商入围采购")
    assert verdict.reasons[0].message.startswith("按《政府采购品目分类目录》")
    assert [r.rule for r in verdict.reasons].count("goods") == 1


@pytest.mark.parametrize("text", ["市政道路工程监理服务", "工程造价咨询服务", "办公楼建设项目勘察设计服务"])
def test_services_tied_to_construction_stay_services(checker, text):
    verdict = checker.check(text, "县住建局")
    assert verdict.verdict != "ineligible", [r.message for r in verdict.reasons]


@pytest.mark.parametrize("text", ["电梯维保服务", "机关食堂餐饮托管", "办公设备维修维护"])
def test_a_service_done_on_a_thing_is_no_goods(checker, text):
    assert checker.check(text, "县财政局").verdict != "ineligible"


def test_the_sheet_and_json_carry_the_pinmu(checker):
    verdict = checker.check("A4黑白打印机采购")
    cells = dict(zip(TAG_COLUMNS, tag_cells(verdict), strict=True))
    assert cells["gpsc_pinmu_type"] == "goods" and cells["gpsc_pinmu_code"].startswith("A0202")
    shaped = verdict_dict(verdict)
    assert shaped["pinmu"]["code"] == cells["gpsc_pinmu_code"] and 0 < shaped["pinmu"]["score"] <= 1


def test_the_pinmu_threshold_follows_the_data(checker, catalog):
    lines = bundled_procurement_dev(catalog)
    goods_only = [(x.text, x.department, x.rule) for x in lines if x.rule in ("goods", "works")]
    services_only = [(x.text, x.department, "services") for x in lines if x.expected_verdict != "ineligible"]
    # only goods and works to catch: as low as it goes; only services to spare: as high as it goes
    assert fit_pinmu_threshold(checker, goods_only) < fit_pinmu_threshold(checker, services_only)
    assert fit_pinmu_threshold(checker, services_only) == float(PINMU_GRID.max())
    assert float(PINMU_GRID.min()) < checker.thresholds.pinmu < float(PINMU_GRID.max())  # fitted, not a default


@pytest.mark.parametrize("text", ["办公楼外墙清洗"])
def test_goods_words_on_what_the_pinmu_sees_as_a_service_are_for_review(checker, text):
    # 外墙 is a works word; the type decision reads cleaning, a service: a person decides (车辆保险 is no goods
    # word at all since insurance of a thing joined the rule table's service actions)
    assert {h.rule.id for h in checker.rule_hits(text)} & {"goods", "works"}
    verdict = checker.check(text, "县财政局")
    assert verdict.verdict == "review"
    (conflict,) = [r for r in verdict.reasons if r.rule == "pinmu.service_conflict"]
    assert verdict.pinmu is not None and verdict.pinmu.code in conflict.message
