"""The audit of declared 品目 on real notice titles: a wrong type or group is found, a right or vague one is not."""

from __future__ import annotations

import pytest

from classifier.eligibility import DeclaredThresholds, audit_declared

# real ccgp.gov.cn titles of the train half (training_data/real_titles.csv) with declarations planted the way the
# benchmark plants them, beside each title's own buyer's declaration
LINES = [
    ("脑、神经功能监护仪竞争性谈判公告（2022-JL13(05)-W30036）", "货物/专用设备/医疗设备/其他医疗设备", "C21040000"),
    ("清华大学公共管理学院物业管理服务项目更正公告", "C21040000物业管理服务", "A02021003"),
    (
        "孝感市公安局高新区分局航空路派出所膜结构车棚及充电桩工程更正公告",
        "工程/其他建筑工程",
        "服务/商务服务/会议、展览、旅游服务/会议服务",
    ),
]


@pytest.fixture(scope="module")
def verdicts(checker):
    return checker.check_many([text for text, _, _ in LINES])


def test_the_buyers_own_declarations_are_no_finding(checker, verdicts):
    found = audit_declared(checker, verdicts, [own for _, own, _ in LINES])
    assert [f.kind for f in found] == ["ok", "ok", "ok"], [f.reason for f in found]


def test_planted_wrong_types_are_found_with_the_better_pinmu(checker, verdicts):
    found = audit_declared(checker, verdicts, [planted for _, _, planted in LINES])
    assert [f.kind for f in found] == ["pinmu_type_mismatch"] * 3, [f.reason for f in found]
    monitor = found[0]
    assert monitor.better is not None and monitor.better.startswith("A") and "货物" in monitor.reason
    assert found[1].better.startswith("C21") and 0 < monitor.certainty <= 1


def test_blank_unreadable_and_vague(checker):
    lines = ["办公楼物业管理服务", "办公楼物业管理服务", "2026年采购项目"]
    found = audit_declared(checker, checker.check_many(lines), ["", "Z1", "服务/房地产服务/物业管理服务"])
    assert [f.kind for f in found] == ["not_declared", "unknown_code", "ok"]


def test_a_stricter_reading_finds_less(checker, verdicts):
    strict = DeclaredThresholds(type_score=1.01)  # no reading is that sure: no type finding
    found = audit_declared(checker, verdicts, [planted for _, _, planted in LINES], strict)
    assert "pinmu_type_mismatch" not in [f.kind for f in found]
