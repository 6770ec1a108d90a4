from __future__ import annotations

from catalog import search_catalog


def test_search_by_printed_code_says_what_was_repaired(catalog):
    hits = search_catalog(catalog, "A040102", department="自然资源")
    assert [(h.node.code, h.node.department) for h in hits] == [("A140102", "自然资源")]
    assert "A040102" in hits[0].note


def test_search_by_code_without_department_lists_every_section_with_it(catalog):
    hits = search_catalog(catalog, "a15 0201")
    departments = {h.node.department for h in hits}
    assert {"人民代表大会常务委员会办公厅(室)", "人民政治协商会议委员会办公厅(室)", "人民法院"} <= departments
    assert all(h.node.code == "A150201" and h.note is None for h in hits)


def test_search_by_words(catalog):
    hits = search_catalog(catalog, "舆情监测", limit=50)
    assert hits and all(h.score == 100 for h in hits[:3])
    assert any(h.node.name == "纪检监察舆情监测服务" for h in hits)


def test_search_with_stray_spaces_and_brackets(catalog):
    hits = search_catalog(catalog, "青少年夏(冬)令营")
    assert hits[0].node.name == "青少年夏（冬）令营活动服务"


def test_search_nothing(catalog):
    assert search_catalog(catalog, "   ") == []
    assert search_catalog(catalog, "量子引力波望远镜采购") == [] or all(
        h.score < 100 for h in search_catalog(catalog, "量子引力波望远镜采购")
    )
