"""The audit of declared codes: every kind, and codes as users type them."""

from __future__ import annotations

import pytest

from classifier.eligibility import Auditor


@pytest.fixture(scope="module")
def auditor(checker):
    return Auditor(checker)


@pytest.mark.parametrize("typed", ["A160401", "a160401", "A16 0401", "160401", " A16-04-01 "])
def test_messy_declared_codes_are_understood(auditor, typed):
    result = auditor.audit("人事考试考务服务", "人社局", typed)
    assert result.kind == "ok", result.reason


CASES = [
    ("购置办公设备", "人社局", "A160401", "ineligible", "货物"),
    ("人事考试考务服务", "人社局", "A160409", "unknown_code", "A160401"),  # closest real code named
    ("人事考试考务服务", "人社局", "A1604", "unknown_code", "不是四级条目"),
    ("人事考试考务服务", "人社局", "", "not_declared", "未填写"),
    ("人事考试考务服务", "人社局", "X1", "unknown_code", "格式"),
    ("12345热线外包", "人社局", "A180701", "wrong_department", "行政审批"),  # only other sections have it
    ("政协宣传服务", "人社局", "A150201", "wrong_department", "政协宣传服务"),  # means something else here
    ("劳动人事争议调解服务", "人社局", "A160401", "mismatch", "A100401"),
    ("地质灾害普适性监测预警", "自然资源", "A040102", "ok", "A040102"),  # the printed (repaired) code
]


@pytest.mark.parametrize(("text", "department", "code", "kind", "said"), CASES)
def test_audit_kinds(auditor, text, department, code, kind, said):
    result = auditor.audit(text, department, code)
    assert result.kind == kind, result.reason
    assert said in result.reason


def test_certainty_orders_problems(auditor):
    results = auditor.audit_many(
        ["劳动人事争议调解服务", "购置办公设备", "人事考试考务服务"], ["人社局"] * 3, ["A160401", "A160401", "A160409"]
    )
    ordered = sorted(results, key=lambda r: (r.severity, -r.certainty))
    assert [r.kind for r in ordered] == ["ineligible", "unknown_code", "mismatch"]
    assert 0 < ordered[-1].certainty <= 1


@pytest.mark.parametrize(
    ("declared", "kind", "words"),
    [
        ("C16100000", "ok", "与文字相符"),
        ("C21040000", "pinmu_mismatch", "C16100000"),
        ("a0202 1003", "ineligible", "第十条第（三）项"),
        ("B08010000", "ineligible", "工程"),
        ("Z1", "unknown_code", "品目"),
    ],
)
def test_declared_pinmu(auditor, declared, kind, words):
    (result,) = auditor.audit_many(["12345热线外包"], ["县行政审批服务管理局"], ["A180701"], pinmu_codes=[declared])
    assert result.kind == kind and words in result.reason
