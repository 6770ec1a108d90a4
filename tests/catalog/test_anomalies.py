"""One test per anomaly kind, on the real line of the document that shows it."""

from __future__ import annotations

import pytest

from catalog import parse_catalog

# kind, department, line, text in `printed`, text in `decided`
REAL_ANOMALIES = [
    ("repeated_header", "纪律检查委员会监察委员会", 1431, "代码 一级目录", "分页处重复的表头"),
    ("misprinted_header", "民政", 1976, "二级目录 二级目录", "列名印错"),
    ("markup", "宣传部", 1496, "<b>宣传部</b>", "“宣传部”"),
    ("split_name", "自然资源", 2141, "灾害防治及应急管理服 务", "灾害防治及应急管理服务"),
    ("bracket_style", "社会工作部", 1533, "志愿服务组织的孵化(培育)服务", "志愿服务组织的孵化（培育）服务"),
    ("split_code", "气象", 3588, "A17 0404", "A170404"),
    ("code_missing_letter", "住房和城乡建设", 2317, "160601", "A160601"),
    ("missing_level1", "统战部", 1503, "A15 公共信息与宣传服务", "A 公共服务"),
    ("missing_level1", "气象", 3547, "A06", "A 公共服务"),
    ("missing_parent", "人力资源和社会保障", 2117, "A1604", "补出 A16 行业管理服务"),
    ("missing_parent", "住房和城乡建设", 2316, "A1606", "补出 A16 行业管理服务"),
    ("leaf_code_repaired", "自然资源", 2144, "A040102", "A140102"),
    ("leaf_code_repaired", "文化和旅游", 2590, "A050301", "A150301"),
    ("leaf_code_repaired", "民营经济", 3156, "A160401", "A160901"),
    ("code_misprinted", "行政审批", 2961, "A15 行业管理服务", "A16 行业管理服务"),
    ("name_variant", "政法委员会", 1557, "A10 社区治理服务", "A10 社会治理服务"),
    ("name_variant", "生态环境", 2276, "A17 技术型公共服务", "A17 技术性公共服务"),
    ("name_variant", "行政审批", 2989, "A17 技术性服务", "A17 技术性公共服务"),
    ("name_variant", "贸易促进委员会", 3521, "A1803 展览服务", "票数相同"),
    ("name_variant", "民营经济", 3158, "A1801 舆情监控服务", "通常是 A1805 的名称"),
    ("toc_mismatch", "发展和改革委员会", None, "发展和改革", "保留正文标题“发展和改革委员会”"),
    ("toc_mismatch", "民营经济", None, "民营经济发展", "保留正文标题“民营经济”"),
]


@pytest.mark.parametrize(("kind", "department", "line", "printed", "decided"), REAL_ANOMALIES)
def test_real_anomaly_is_reported(catalog, kind, department, line, printed, decided):
    matches = [a for a in catalog.anomalies if a.kind == kind and a.department == department and a.line == line]
    assert matches, f"no {kind} reported for {department} line {line}"
    assert any(printed in a.printed and decided in a.decided for a in matches), matches


def test_every_kind_in_the_report_is_covered_above(catalog):
    assert {a.kind for a in catalog.anomalies} == {row[0] for row in REAL_ANOMALIES}


def test_repeated_headers_are_all_reported(catalog, document_lines):
    header_lines = [i for i, line in enumerate(document_lines, 1) if line.startswith("代码\t")]
    reported = {a.line for a in catalog.anomalies if a.kind in ("repeated_header", "misprinted_header")}
    assert reported == set(header_lines[1:])  # the first one opens the table


def test_repaired_leaf_is_findable_by_printed_code(catalog):
    leaf = catalog.leaf("自然资源", "A040102")
    assert leaf.code == "A140102"
    assert leaf.printed_code == "A040102"
    assert "A040102" in leaf.repair
    assert catalog.section("自然资源").node("A140102") is leaf


def test_implied_parents_carry_the_majority_name(catalog):
    node = catalog.node("人力资源和社会保障", "A16")
    assert node.implied and node.name == "行业管理服务"
    assert "A1604" in node.children
    assert catalog.leaf("住房和城乡建设", "A160601").name == "住建行业标准制修订辅助服务"
    assert catalog.node("统战部", "A").implied


def test_misprinted_level2_becomes_the_code_its_children_extend(catalog):
    section = catalog.section("行政审批")
    assert section.node("A16").line == 2961
    assert section.node("A1601").parent == "A16"
    assert section.node("A15").name == "公共信息与宣传服务"


def test_canonical_name_is_majority_and_section_reading_is_kept(catalog):
    node = catalog.node("政法委员会", "A10")
    assert (node.name, node.section_name) == ("社会治理服务", "社区治理服务")
    tie = catalog.node("贸易促进委员会", "A1803")
    assert (tie.name, tie.section_name) == ("公共档案服务", "展览服务")


def test_split_code_rows_are_leaves(catalog):
    section = catalog.section("气象")
    assert [section.node(f"A1704{i:02d}").line for i in range(4, 14)] == list(range(3588, 3598))


def _with_lines_inserted(document: str, after_line: int, *extra: str) -> str:
    lines = document.split("\n")
    return "\n".join([*lines[:after_line], *extra, *lines[after_line:]])


def test_unplaced_lines_inside_the_table_are_reported_not_dropped(document):
    text = _with_lines_inserted(document, 1500, "这一行不是目录行", "— 7 —")
    catalog = parse_catalog(text)
    unplaced = catalog.anomalies_of("unplaced_line")
    assert [(a.line, a.printed) for a in unplaced] == [(1501, "这一行不是目录行")]
    assert [a.line for a in catalog.anomalies_of("page_number")] == [1502]
    assert len(catalog.leaves()) == 1125


def test_out_of_order_and_duplicate_rows(document):
    # A repeated leaf row and a level-3 row printed again after a page break
    text = _with_lines_inserted(document, 1408, "A150201\t\t\t\t人大宣传服务", "A1502\t\t\t公共公益宣传服务\t")
    catalog = parse_catalog(text)
    kinds = [a.kind for a in catalog.anomalies if a.line in (1409, 1410)]
    assert kinds == ["repeated_row", "repeated_row"]
    assert len(catalog.leaves()) == 1125
