"""A declared 品目 read as procurement lists write it: codes, codes with names, names, name paths, 2013 names."""

from __future__ import annotations

import pytest

from catalog import group_code, load_pinmu, read_pinmu_declaration


@pytest.mark.parametrize(
    ("cell", "type_", "code", "how"),
    [
        ("C21040000", "services", "C21040000", "code"),
        ("C21040000物业管理服务", "services", "C21040000", "code"),
        ("C21040000 物业管理服务", "services", "C21040000", "code"),
        ("a0202 1003", "goods", "A02021003", "code"),
        ("物业管理服务", "services", "C21040000", "name"),
        ("服务/房地产服务/物业管理服务", "services", "C21040000", "path"),
        ("服务/信息技术服务/运行维护服务", "services", "C16070000", "path"),
        ("服务/工程咨询管理服务/工程监理服务", "services", "C20020600", "name"),  # a 2013 path, mapped by its name
        ("货物/其他货物/其他不另分类的物品", "goods", None, "type"),  # 2013 names with no 2022 counterpart
        ("工程", "works", None, "type"),
    ],
)
def test_every_way_a_list_writes_a_pinmu(cell, type_, code, how):
    (declared,) = read_pinmu_declaration(cell, load_pinmu())
    assert (declared.type, declared.item.code if declared.item else None, declared.how) == (type_, code, how)


def test_a_mapped_2013_name_says_so_and_several_are_read():
    (mapped,) = read_pinmu_declaration("服务/工程咨询管理服务/工程监理服务", load_pinmu())
    assert "按名称“工程监理服务”对应" in mapped.note
    both = read_pinmu_declaration("货物/通用设备/计算机设备,服务/信息技术服务/运行维护服务", load_pinmu())
    assert [d.type for d in both] == ["goods", "services"]
    assert read_pinmu_declaration("", load_pinmu()) == [] and read_pinmu_declaration("Z1", load_pinmu()) == []


def test_group_codes():
    assert group_code("A02021003", 2) == "A02020000" and group_code("C21040000", 1) == "C21000000"
