"""Everyday department names resolve to catalog sections; unknown names suggest the closest."""

from __future__ import annotations

import contextlib
import time

import pytest

from catalog import (
    MAX_DEPARTMENT_CHARS,
    CatalogError,
    DepartmentNameTooLongError,
    UnknownDepartmentError,
    resolve_department,
    search_catalog,
    suggest_departments,
)

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
    # schools and hospitals are budget units of their department
    ("柳林县第一中学", "教育"),
    ("县实验幼儿园", "教育"),
    ("薛村镇中心校", "教育"),  # a town's school, not its government
    ("县人民医院", "卫生健康"),
    ("县妇幼保健计划生育服务中心", "卫生健康"),
    ("县技工学校", "人力资源和社会保障"),  # the longest word wins: 技工学校 over 学校
]


@pytest.mark.parametrize(("name", "title"), CASES)
def test_everyday_names_resolve(catalog, name, title):
    assert catalog.resolve_department(name) == title
    assert catalog.section(name).title == title


@pytest.mark.parametrize("name", ["税务局", "县", "", "ABC"])
def test_unknown_department_is_an_error(catalog, name):
    with pytest.raises(UnknownDepartmentError) as caught:
        catalog.resolve_department(name)
    assert f"“{name}”" in str(caught.value) or (not name and "为空" in str(caught.value))


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


# A name's readings once multiplied with each repeated place or organ word: 2,000 characters took
# seconds and "局" * 8000 minutes of CPU. The bounds below are generous for a busy machine.
REPETITIVE_NAMES = ["局" * 100, "县" * 100, "中心" * 50, "柳林县" * 33, "局办委中心" * 20, "县林局" * 33, "县委" * 50]


def _seconds(call, *args):
    start = time.perf_counter()
    with contextlib.suppress(CatalogError):
        call(*args)
    return time.perf_counter() - start


def test_an_overlong_name_is_refused_at_once(catalog):
    name = "局" * 8000
    start = time.perf_counter()
    with pytest.raises(DepartmentNameTooLongError) as caught:
        catalog.resolve_department(name)
    assert time.perf_counter() - start < 1
    assert str(caught.value) == "部门名称过长（8000 字），最多 100 字"
    assert (caught.value.length, caught.value.limit, caught.value.suggestions) == (8000, MAX_DEPARTMENT_CHARS, ())
    # an unknown department like any other to callers that catch the family
    assert isinstance(caught.value, UnknownDepartmentError)
    assert isinstance(caught.value, CatalogError)
    for call, args in [
        (catalog.section, (name,)),
        (resolve_department, (name, catalog.departments())),
        (search_catalog, (catalog, "社会工作", name)),
    ]:
        start = time.perf_counter()
        with pytest.raises(DepartmentNameTooLongError):
            call(*args)
        assert time.perf_counter() - start < 1
    assert not catalog.has_section(name)


def test_the_limit_counts_the_name_not_the_spaces_around_it(catalog):
    assert catalog.resolve_department(" " * 500 + "县民政局" + "\n" * 500) == "民政"
    with pytest.raises(UnknownDepartmentError) as caught:
        catalog.resolve_department("局" * MAX_DEPARTMENT_CHARS)
    assert not isinstance(caught.value, DepartmentNameTooLongError)
    with pytest.raises(DepartmentNameTooLongError, match="101 字"):
        catalog.resolve_department("局" * (MAX_DEPARTMENT_CHARS + 1))
    # NFKC lengthens some characters: the name as read counts too (U+FDFA reads as 15, spaces dropped)
    with pytest.raises(DepartmentNameTooLongError, match="105 字"):
        catalog.resolve_department("\ufdfa" * 7)


@pytest.mark.parametrize("name", REPETITIVE_NAMES)
def test_repetitive_names_at_the_limit_resolve_fast(catalog, name):
    catalog.resolve_department("县民政局")  # the lookup tables are built once, outside the timing
    assert len(name) <= MAX_DEPARTMENT_CHARS
    assert _seconds(catalog.resolve_department, name) < 0.5
    assert _seconds(suggest_departments, name, catalog.departments()) < 0.5


def test_suggestions_for_an_overlong_name_are_none_and_fast(catalog):
    start = time.perf_counter()
    assert suggest_departments("局" * 8000, catalog.departments()) == ()
    assert suggest_departments("县民政局" * 2000, catalog.departments()) == ()
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("unit", ["局", "局办委中心", "县林局", "县委"])
def test_readings_stay_few_past_the_limit(unit):
    """The readings themselves do not multiply, whatever calls them (2,000 characters took 5-15 s each)."""
    from catalog._departments import _candidates

    name = unit * (2000 // len(unit))
    start = time.perf_counter()
    readings = _candidates(name)
    assert time.perf_counter() - start < 1
    assert readings[0] == name
    assert len(readings) <= 100


@pytest.mark.parametrize(
    "name",
    [
        "县机关事务服务中心",
        "县委组织部",
        "县委办公室",
        "县总工会",
        "县科协",
        "县供销社",
        "县城市管理局",
        "柳林镇人民政府",
    ],
)
def test_units_without_a_section_get_no_implausible_suggestion(catalog, name):
    # a county unit the bundled catalog has no section for is told so, with no guess (机关事务 is not 商务 or 水利)
    with pytest.raises(UnknownDepartmentError) as caught:
        catalog.section(name)
    assert caught.value.suggestions == () and "没有" in str(caught.value)
