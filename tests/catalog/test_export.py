"""The export holds every leaf with canonical names, and re-importing it gives the same tree."""

from __future__ import annotations

import json

import pytest

from catalog import LEAF_FIELDS, CatalogFormatError, leaf_records, read_export, to_csv, to_json


def _tree(catalog):
    return {
        s.title: [(n.code, n.level, n.name, n.parent, n.children) for n in s.nodes if n.children or n.is_leaf]
        for s in catalog.sections
    }


def test_json_export_fields(catalog):
    payload = json.loads(to_json(catalog))
    assert payload["source_version"] == "晋财综〔2025〕28号"
    leaves = payload["leaves"]
    assert len(leaves) == 1125
    assert set(leaves[0]) == set(LEAF_FIELDS)
    repaired = next(r for r in leaves if r["department"] == "自然资源" and r["code"] == "A140102")
    assert repaired["printed_code"] == "A040102"
    assert repaired["level2_name"] == "灾害防治及应急管理服务"
    gongqing = [r for r in leaves if r["department"] == "共青团"]
    assert gongqing, "department is the section title without tags"


def test_export_uses_canonical_names(catalog):
    record = next(r for r in leaf_records(catalog) if r["department"] == "政法委员会" and r["level2_code"] == "A10")
    assert record["level2_name"] == "社会治理服务"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_gives_the_same_tree(catalog, fmt):
    text = to_json(catalog) if fmt == "json" else to_csv(catalog)
    again = read_export(text, fmt)
    assert _tree(again) == _tree(catalog)
    assert leaf_records(again) == leaf_records(catalog)


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("{not json", "json", "不是有效的 JSON"),
        ('{"leaves": 3}', "json", "叶子条目的列表"),
        ('[{"department": "民政"}]', "json", "缺少字段：code"),
        ("department,code\n民政,A1\n", "csv", "缺少字段"),
        ("", "xml", "未知格式"),
    ],
)
def test_bad_export_is_a_clear_error(text, fmt, message):
    with pytest.raises(CatalogFormatError, match=message):
        read_export(text, fmt)
