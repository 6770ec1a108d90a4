"""The normaliser on real lines of the source document and the kinds of noise clerks add."""

from __future__ import annotations

import pytest

from classifier import normalize

CASES = [
    # real project lines of the 柳林县人社局 2026 budget (项目支出预算表)
    ("2025年度年全民意外伤害保险", "全民意外伤害保险"),
    ("就业补助资金-提前下达2026年中央 财政就业补助资金（柳财社【2025】 856号", "就业中央财政就业"),
    ("村协办员补助——柳财预（2026）23 号", "村协办员"),
    ("零工市场基础建设", "零工市场基础建设"),
    ("网络租赁费", "网络租赁费"),
    ("2026年公益性岗位补贴、社会保险", "公益性岗位补贴社会保险"),
    # noise of every kind
    ("柳林县2025年度12345热线外包服务费（30万元）", "12345热线"),
    ("吕梁市生态环境局 空气自动站 第三方运维(第二批)", "生态环境局空气自动站第三方运维"),
    ("晋财综[2025]28号 社区矫正社会力量参与", "社区矫正社会力量参与"),
    ("ＶＯＣｓ监测", "vocs监测"),
    ("舆情监测", "舆情监测"),
    ("2021-2035年 规划编制", "规划编制"),
    # 年 after a year belongs to it; a word that starts with 年 keeps it
    ("年初预算单位业务运转经费", "年初预算单位业务运转"),
    ("2026年年初预算舆情监测", "年初预算舆情监测"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_hotline_numbers_are_not_years():
    for number in ("12345", "12368", "12319", "12348", "12309", "95198", "12123"):
        assert number in normalize(f"{number}热线")


def test_nothing_left():
    assert normalize("2025年") == ""
    assert normalize("   ") == ""
