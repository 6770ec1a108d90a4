"""The decision layer on the cases that lost officers' trust (one test per reported behaviour)."""

from __future__ import annotations

import pytest

from classifier import purchase_scope
from service import tag_cells, verdict_dict

FILM = (
    "关于下达2026年公共文化服务体系建设补助资金的通知（吕财教〔2026〕17号）——县文化和旅游局"
    "2026年度农村公益电影放映服务，公开招标，按放映场次结算，服务期一年，预算金额23.5万元"
)


# 1. a confident match in the buyer's own section is not overridden by a weaker leaf elsewhere
def test_own_section_confident_match_wins(checker):
    verdict = checker.check("法律顾问服务", "县行政审批服务管理局")
    assert verdict.verdict == "eligible" and verdict.match.key == "行政审批/A040701"
    assert verdict.elsewhere is not None  # 司法 lists it too, and that changes nothing
    assert all(r.rule != "catalog.other_section" for r in verdict.reasons)


@pytest.mark.parametrize(("text", "department"), [("禁毒宣传服务", "县委政法委"), ("12345热线外包", "县民政局")])
def test_an_own_leaf_above_the_threshold_wins_even_when_elsewhere_scores_higher(checker, text, department):
    buyer = checker.buyer(department)
    classification = checker.model.classify(text, buyer.section)
    own, other = classification.best, classification.elsewhere
    assert other is not None and other.score > own.score
    verdict = checker.decide(classification, [], threshold=own.score, buyer=buyer)
    assert verdict.verdict == "eligible" and verdict.match == own
    below = checker.decide(classification, [], threshold=own.score + 0.01, buyer=buyer)
    assert below.verdict == "review" and "catalog.other_section" in [r.rule for r in below.reasons]


def test_other_section_only_wins_with_a_higher_score_and_says_so_truthfully(checker):
    verdict = checker.check("12345热线外包", "县民政局")
    assert verdict.verdict == "review"
    (reason,) = [r for r in verdict.reasons if r.rule == "catalog.other_section"]
    own, other = verdict.candidates[0], verdict.elsewhere
    assert other.score > own.score and "更符合" in reason.message and "明显" not in reason.message


@pytest.mark.parametrize(("text", "department"), [("机关食堂外包服务", "机关工委"), ("垃圾清运", None)])
def test_one_generic_shared_word_is_no_evidence(checker, text, department):
    verdict = checker.check(text, department)
    assert verdict.verdict == "review" and verdict.match is None
    assert {r.rule for r in verdict.reasons} & {"catalog.weak_evidence", "catalog.no_match"}


# 2. rules read what is bought, not every word of the line
@pytest.mark.parametrize(
    ("text", "department", "not_rule"),
    [
        ("社区网格化管理第三方运营服务（不含网格员工资）", "县民政局", "own_staff"),
        ("物业管理服务（不包括设备购置）", None, "goods"),
        ("公证服务，预计150件", "县司法局", "goods"),
        ("心理咨询 300人次", "县卫健委", "own_staff"),
        ("抽检800批次", "县市场监管局", "goods"),
        (
            "关于下达2026年养老服务体系建设资金的通知（晋财社〔2026〕8号）——县民政局委托第三方开展养老机构等级评定服务",
            "县民政局",
            "subsidy",
        ),
        ("依据《社会救助暂行办法》，委托社工机构开展困难群众走访评估服务", "县民政局", "direct_duty"),
        ("政府补贴类家政服务员培训（向培训机构购买，按合格人数付费）", "县人社局", "subsidy"),
        (FILM, "县文化和旅游局", "subsidy"),
    ],
)
def test_rules_do_not_fire_outside_the_object_of_the_purchase(checker, text, department, not_rule):
    verdict = checker.check(text, department)
    assert verdict.verdict != "ineligible", [r.message for r in verdict.reasons]
    assert not_rule not in [r.rule for r in verdict.reasons]


def test_rules_still_fire_on_the_object(checker):
    assert checker.check("物业管理服务（含设备购置）").verdict == "ineligible"
    assert checker.check("关于下达资金的通知（吕财教〔2026〕17号）——购置办公电脑20台").verdict == "ineligible"
    assert checker.check("公益性岗位补贴，预计150人").verdict == "ineligible"


def test_scope_lists_what_was_set_aside():
    scope = purchase_scope(FILM)
    assert scope.core == "农村公益电影放映服务"
    assert {kind for kind, _ in scope.set_aside} >= {"preamble", "buyer", "terms"}


# 3. long lines keep their confidence: the core is scored
def test_long_line_scores_like_its_core(checker):
    long_line = (
        "关于下达2026年养老服务体系建设资金的通知（晋财社〔2026〕8号）——县民政局委托第三方开展养老机构等级评定服务，"
        "竞争性磋商，服务期一年，预算金额12万元"
    )
    short = checker.check("养老机构等级评定服务", "县民政局")
    long = checker.check(long_line, "县民政局")
    assert long.verdict == short.verdict == "eligible"
    assert long.match.key == short.match.key and long.match.score == pytest.approx(short.match.score, abs=0.02)


# 4. an unknown buyer never switches the verdict off
@pytest.mark.parametrize("buyer", ["县城市管理局", "县机关事务服务中心", "县总工会", "县科协", "县供销社"])
def test_unknown_buyer_keeps_every_negative_rule(checker, buyer):
    verdict = checker.check("办公电脑采购及安装", buyer)
    assert verdict.verdict == "ineligible"
    assert "department.no_section" in [r.rule for r in verdict.reasons]
    assert verdict.buyer == buyer and verdict.department is None


@pytest.mark.parametrize(("buyer", "section"), [("柳林县第一中学", "教育"), ("县人民医院", "卫生健康")])
def test_schools_and_hospitals_buy_under_their_department(checker, buyer, section):
    # a school or hospital is a budget unit of its department: its section judges, the negative list still applies
    assert checker.check("办公电脑采购及安装", buyer).verdict == "ineligible"
    verdict = checker.check("物业管理服务", buyer)
    assert verdict.department == section and "department.no_section" not in [r.rule for r in verdict.reasons]


def test_unknown_buyer_is_judged_against_every_section(checker):
    verdict = checker.check("12345热线外包", "县城市管理局")
    assert verdict.verdict in ("eligible", "review") and verdict.candidates[0].key == "行政审批/A180701"
    (reason,) = [r for r in verdict.reasons if r.rule == "department.no_section"]
    assert "县城市管理局" in reason.message and "没有本部门的章节" in reason.message


@pytest.mark.parametrize(
    ("unit", "section"),
    [("县疾病预防控制中心", "卫生健康"), ("县疾控中心", "卫生健康"), ("县乡村振兴局", "农业农村")],
)
def test_everyday_county_units_that_belong_to_a_section(catalog, unit, section):
    assert catalog.section(unit).title == section


# 5. review rows do not present a junk code as the answer
def test_review_row_leaves_the_code_empty_and_says_closest(checker):
    verdict = checker.check("垃圾清运")
    cells = dict(zip(["department", "code", "name", "path", "score"], tag_cells(verdict)[:5], strict=True))
    assert verdict.verdict == "review" and cells["code"] == cells["name"] == cells["path"] == cells["score"] == ""
    assert any("最接近" in r.message and f"{verdict.candidates[0].score:.2f}" in r.message for r in verdict.reasons)


# 6. with a department, the candidates show where the purchase belongs
def test_candidates_include_the_better_leaf_elsewhere(checker):
    verdict = checker.check("12345热线外包", "县民政局")
    keys = [c.key for c in verdict.candidates]
    assert "行政审批/A180701" in keys
    shaped = verdict_dict(verdict)
    marked = [c for c in shaped["candidates"] if c["elsewhere"]]
    assert [c["department"] + "/" + c["code"] for c in marked] == ["行政审批/A180701"]


# 7. a leaf whose scope words the line contradicts is not a confident match
@pytest.mark.parametrize(
    ("text", "department"), [("全民意外伤害保险", None), ("2025年度年全民意外伤害保险", "柳林县人力资源和社会保障局")]
)
def test_scope_words_of_a_leaf_are_respected(checker, text, department):
    verdict = checker.check(text, department)
    assert verdict.verdict == "review"
    assert "catalog.scope_conflict" in [r.rule for r in verdict.reasons]


def test_the_leaf_own_group_is_no_conflict(checker):
    verdict = checker.check("为全县80岁以上老年人购买意外伤害保险", "县民政局")
    assert verdict.verdict == "eligible" and verdict.match.key == "民政/A040208"
