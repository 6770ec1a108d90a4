"""The guidance catalog's leaves and level-3 nodes mapped to 品目 C codes (reviewed data, derived by a build step)."""

from __future__ import annotations

from importlib.resources import files

from catalog import load_crosswalk, load_pinmu
from classifier import normalize


def test_every_leaf_and_level3_node_has_a_service_code(catalog):
    crosswalk = load_crosswalk()
    pinmu = load_pinmu()
    for section in catalog.sections:
        for node in section.nodes:
            if node.level in (3, 4):
                row = crosswalk[(section.title, node.code)]
                assert pinmu.type_of(row.pinmu_code) == "services" and pinmu.item(row.pinmu_code) is not None
    exact = [r for r in crosswalk.values() if r.method == "exact"]
    assert len({r.name for r in exact if r.level == 3}) >= 40  # the issue counts 41 of 96 level-3 names
    assert all(normalize(pinmu.item(r.pinmu_code).name) == normalize(r.name) for r in exact)  # names read alike


def test_the_shipped_crosswalk_equals_a_fresh_build(catalog, checker):
    from classifier._crosswalk_build import build_crosswalk

    fresh = build_crosswalk(catalog, load_pinmu(), checker.pinmu_model)
    assert fresh == files("catalog.data").joinpath("crosswalk_pinmu.tsv").read_text(encoding="utf-8")


def test_an_eligible_match_says_its_pinmu_and_the_tree_shows_it(checker):
    verdict = checker.check("社工站运营", "县民政局")
    assert "按品目 C05020300 社会工作服务 编报" in verdict.reasons[0].message
    from click.testing import CliRunner

    from service.cli import main

    result = CliRunner().invoke(main, ["catalog", "show", "县民政局", "A1003"])
    assert result.exit_code == 0 and "品目 C05020300 社会工作服务" in result.output


def test_only_reviewed_codes_are_shown_as_fact(checker):
    from classifier._crosswalk_build import bundled_review

    crosswalk = load_crosswalk()
    reviewed = bundled_review()
    assert {r.method for r in crosswalk.values()} <= {"exact", "reviewed", "tentative"}
    for key, row in crosswalk.items():
        if row.method != "exact":  # every code that is not the same name is the reviewer's
            assert reviewed[key][0] == row.pinmu_code
    tentative = [r for r in crosswalk.values() if not r.shown_as_fact]
    assert tentative  # the reviewer's unsure codes exist, and no reason states them
    row = tentative[0]
    verdict = checker.check(row.name, row.department)
    assert all(row.pinmu_code not in r.message for r in verdict.reasons if r.rule == "catalog.match")


def test_the_issue_s_wrong_codes_are_gone():
    crosswalk = {(r.department, r.name): r.pinmu_code for r in load_crosswalk().values()}
    for (department, name), code in crosswalk.items():
        if name in ("职业技能评估服务", "就业信息监测服务", "碳排放数据核查技术审核服务"):
            assert not code.startswith(("C1905", "C1902")), (department, name, code)  # 海洋服务, 地震服务
