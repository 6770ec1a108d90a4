"""The real document: counts established by reading it, and the invariants of the canonical tree."""

from __future__ import annotations

from collections import Counter

import pytest

from catalog import CatalogParseError, parse_catalog

# Counted by reading lines 1401-3597 of the source: 56 section titles; 54 level-1 rows (统战部 and 气象
# start without one), 257 level-2, 548 level-3 and 1125 level-4 rows.
PRINTED_ROWS = {1: 54, 2: 257, 3: 548, 4: 1125}
# Canonical: + 2 implied level-1 nodes, + 2 implied A16 (人力资源和社会保障, 住房和城乡建设).
CANONICAL_NODES = {1: 56, 2: 259, 3: 548, 4: 1125}


def test_metadata(catalog):
    assert catalog.title == "山西省部门政府购买服务指导性目录"
    assert catalog.source_version == "晋财综〔2025〕28号"
    assert len(catalog.content_hash) == 16


def test_fifty_six_sections_in_document_order(catalog):
    titles = catalog.departments()
    assert len(titles) == 56
    assert titles[0] == "人民代表大会常务委员会办公厅(室)"
    assert titles[-1] == "气象"
    assert "宣传部" in titles  # printed as <b>宣传部</b>
    assert "人力资源和社会保障" in titles


def test_printed_rows_are_faithful(catalog):
    assert Counter(r.level for r in catalog.rows) == PRINTED_ROWS
    row = next(r for r in catalog.rows if r.line == 3588)
    assert (row.department, row.level, row.code, row.name) == (
        "气象",
        4,
        "A17 0404",
        "电视天气预报节目;气象旅游推广宣传服务",
    )
    row = next(r for r in catalog.rows if r.line == 2141)
    assert row.name == "灾害防治及应急管理服 务"


def test_canonical_node_counts(catalog):
    assert Counter(n.level for s in catalog.sections for n in s.nodes) == CANONICAL_NODES
    assert len(catalog.leaves()) == 1125


def test_tree_invariants(catalog):
    for section in catalog.sections:
        codes = [n.code for n in section.nodes]
        assert len(codes) == len(set(codes)), section.title
        for node in section.nodes:
            if node.parent is not None:
                assert node.code.startswith(node.parent), (section.title, node.code)
                assert node.code in section.node(node.parent).children
        for leaf in section.leaves():
            assert [n.level for n in section.path(leaf)] == [1, 2, 3, 4]


def test_leaf_codes_are_per_department(catalog):
    assert catalog.leaf("人民代表大会常务委员会办公厅(室)", "A150201").name == "人大宣传服务"
    assert catalog.leaf("人民政治协商会议委员会办公厅(室)", "A150201").name == "政协宣传服务"


def test_lookup_accepts_codes_as_typed(catalog):
    for typed in ("A150201", "a150201", "A15 0201", "150201", "A15-02-01"):
        assert catalog.leaf("人民法院", typed).name == "法院宣传服务"
    assert catalog.leaf("人民法院", "A999999") is None
    assert catalog.leaf("人民法院", "A15") is None  # not a leaf
    assert catalog.node("人民法院", "A15").name == "公共信息与宣传服务"


def test_parse_is_deterministic(document, catalog):
    again = parse_catalog(document)
    assert again.content_hash == catalog.content_hash
    assert again.sections == catalog.sections


def test_hash_changes_with_content(document, catalog):
    changed = parse_catalog(document.replace("人大宣传服务", "人大宣传工作服务"))
    assert changed.content_hash != catalog.content_hash


@pytest.mark.parametrize(
    "text",
    ["", "预算表\n项目\t金额\n", "代码\t一级目录\t二级目录\t三级目录\t四级目录\n"],
    ids=["empty", "no-table", "header-only"],
)
def test_no_catalog_is_a_clear_error(text):
    with pytest.raises(CatalogParseError, match="目录表格"):
        parse_catalog(text)
