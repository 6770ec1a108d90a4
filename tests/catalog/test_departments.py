"""Everyday department names resolve to catalog sections; unknown names suggest the closest."""

from __future__ import annotations

import pytest

from catalog import UnknownDepartmentError

CASES = [
    ("民政", "民政"),
    ("民政局", "民政"),
    ("县民政局", "民政"),
    ("柳林县人力资源和社会保障局", "人力资源和社会保障"),
    ("人社局", "人力资源和社会保障"),
    ("团县委", "共青团"),
    ("妇联", "妇女联合会"),
    ("县妇联", "妇女联合会"),
    ("残联", "残疾人联合会"),
    ("市场监管局", "市场监督管理"),
    ("审批局", "行政审批"),
    ("县行政审批服务管理局", "行政审批"),
    ("发改委", "发展和改革委员会"),
    ("吕梁市发展和改革委员会", "发展和改革委员会"),
    ("发展和改革", "发展和改革委员会"),  # the catalog's own table of contents
    ("民营经济发展局", "民营经济"),
    ("中共柳林县委宣传部", "宣传部"),
    ("县委统战部", "统战部"),
    ("县人民法院", "人民法院"),
    ("山西省人民政府办公厅", "人民政府办公厅(室)"),
    ("县纪委监委", "纪律检查委员会监察委员会"),
    ("县卫健委", "卫生健康"),
    ("柳林县教育科技局", "教育"),
    ("县文旅局", "文化和旅游"),
    ("县医保局", "医疗保障"),
    ("县网信办", "网络安全和信息化委员会办公室"),
    ("柳林县住房和城乡建设管理局", "住房和城乡建设"),
    ("县林业局", "林业和草原"),
    ("柳林县退役军人事务局", "退役军人"),
    ("  县 民政局 ", "民政"),
    # units below a bureau, and names with the core word inside
    ("县就业服务中心", "人力资源和社会保障"),
    ("吕梁市生态环境局柳林分局", "生态环境"),
    ("县公安局交警大队", "公安"),
    ("晋中监狱", "监狱管理"),
    ("共青团柳林县委员会", "共青团"),
    ("政协柳林县委员会办公室", "人民政治协商会议委员会办公厅(室)"),
    ("县河长办", "水利"),
    ("县教科局", "教育"),
    ("人力资源局", "人力资源和社会保障"),
]


@pytest.mark.parametrize(("name", "title"), CASES)
def test_everyday_names_resolve(catalog, name, title):
    assert catalog.resolve_department(name) == title
    assert catalog.section(name).title == title


@pytest.mark.parametrize("name", ["税务局", "县", "", "ABC"])
def test_unknown_department_is_an_error(catalog, name):
    with pytest.raises(UnknownDepartmentError) as caught:
        catalog.resolve_department(name)
    assert repr(name) in str(caught.value) or (not name and "empty" in str(caught.value))


def test_unknown_department_suggests_closest_sections(catalog):
    with pytest.raises(UnknownDepartmentError) as caught:
        catalog.section("妇女连合会")
    assert "妇女联合会" in caught.value.suggestions
    with pytest.raises(UnknownDepartmentError) as caught:
        catalog.section("教育体育局")
    assert {"教育", "体育"} <= set(caught.value.suggestions)


def test_every_alias_points_at_a_real_section(catalog):
    from catalog._departments import bundled_aliases

    assert set(bundled_aliases().values()) <= set(catalog.departments())


def test_every_section_title_resolves_to_itself(catalog):
    for title in catalog.departments():
        assert catalog.resolve_department(title) == title
