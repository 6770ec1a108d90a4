"""What county officers read: a Chinese sheet preview with the verdict first, every audit problem with a filter,
the parser's notes in Chinese, and the API docs without internet."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from .conftest import SHOTS, ready

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "liulin_2026_projects.csv"
# machine names that must never reach the page: column names, verdict and audit kinds, 品目 types, rule ids
MACHINE_WORDS = re.compile(
    r"gpsc_|\b(?:eligible|ineligible|review|unknown_code|wrong_department|mismatch|pinmu_mismatch|services|goods|works"
    r"|subsidy|catalog\.\w+|pinmu\.\w+|department\.\w+)\b"
)
ENGLISH_NOTE = re.compile(r"\b(?:the|of|with|under|implied|kept|skipped|reading|stays|findable|section|row)\b")


def _run_sheet(page, mode: str = "tag") -> None:
    page.click("#tab-sheet")
    if mode == "audit":
        page.check("input[name=mode][value=audit]")
    page.set_input_files("#sheet-file", str(EXAMPLE))
    expect(page.locator("#sheet-run")).to_be_enabled()
    page.click("#sheet-run")
    expect(page.locator(".sheet-summary .row-count")).to_have_text("23")


def test_the_tag_preview_is_chinese_with_the_verdict_first(page):
    _run_sheet(page)
    headers = page.locator("table.preview thead th").all_inner_texts()
    # the verdict, the line and the reasons lead; the example has no eligible line, so its empty leaf column is
    # left out, and the basis is read under each row's reasons
    assert headers[:3] == ["判定", "项目名称", "理由"], headers
    assert "目录名称" not in headers and "依据" not in headers, headers
    verdicts = set(page.locator("table.preview tbody td:first-child").all_inner_texts())
    assert verdicts <= {"可以购买", "不得购买", "人工核实"} and "不得购买" in verdicts, verdicts
    row = page.locator("table.preview tbody tr", has_text="购置办公设备")
    expect(row.locator("td").first).to_have_text("不得购买")
    expect(row).to_contain_text("货物")  # the rule's name, not its id
    expect(row).to_contain_text("第十条第（三）项")  # and its basis
    text = page.locator("#sheet-result").inner_text()
    assert not MACHINE_WORDS.search(text), MACHINE_WORDS.search(text)


def test_on_a_phone_the_verdict_is_on_screen(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.goto(server + "/")
    ready(page)
    _run_sheet(page)
    cell = page.locator("table.preview tbody tr").first.locator("td").first
    expect(cell).to_have_text(re.compile("可以购买|不得购买|人工核实"))
    box = cell.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # scrolled sideways to read the reasons, the verdict stays in view
    page.locator(".table-wrap").evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    box = cell.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "phone-tag-preview.png"), full_page=True)
    context.close()


def test_the_audit_lists_every_problem_by_kind_with_a_filter(page):
    _run_sheet(page, "audit")
    audit = page.locator(".sheet-summary .audit")
    expect(audit.locator("h3")).to_have_text("审核发现的问题（共 20 条）")
    problems = audit.locator("ol.problems li")
    expect(problems).to_have_count(20)  # all of them, not the first 10
    groups = audit.locator(".problem-group")
    expect(groups).to_have_count(2)
    expect(groups.nth(0).locator("h4")).to_have_text("不得购买 16 条")  # the most serious kind first
    expect(groups.nth(1).locator("h4")).to_have_text("与代码不符 4 条")
    expect(audit).to_contain_text("未申报：3 行")  # a blank code is said, not listed as 代码不存在

    audit.get_by_role("button", name="与代码不符（4）").click()
    expect(audit.get_by_role("button", name="与代码不符（4）")).to_have_attribute("aria-pressed", "true")
    expect(audit.locator("ol.problems li:visible")).to_have_count(4)
    expect(groups.nth(0)).to_be_hidden()
    expect(groups.nth(1)).to_be_visible()
    expect(audit.locator("ol.problems li:visible").first).to_contain_text("第 ")
    page.screenshot(path=str(SHOTS / "audit-filter.png"), full_page=True)
    audit.get_by_role("button", name="全部问题（20）").click()
    expect(audit.locator("ol.problems li:visible")).to_have_count(20)

    headers = page.locator("table.preview thead th").all_inner_texts()
    assert headers[:2] == ["判定", "审核结果"], headers
    text = page.locator("#sheet-result").inner_text()
    assert not MACHINE_WORDS.search(text), MACHINE_WORDS.search(text)


def test_the_parser_notes_are_chinese(page):
    page.click("#tab-catalog")
    for department, expected in (
        ("自然资源", "A140102"),  # leaf_code_repaired
        ("社会工作部", "行业规划服务"),  # name_variant
        ("人社局", "A16 行业管理服务"),  # missing_parent
        ("行政审批", "A16 行业管理服务"),  # code_misprinted
        ("发展和改革", "发展和改革委员会"),  # toc_mismatch
    ):
        page.fill("#catalog-department", department)
        page.press("#catalog-department", "Enter")
        notes = page.locator("ul.anomalies")
        expect(notes).to_contain_text(expected)
        text = notes.inner_text()
        assert not ENGLISH_NOTE.search(text), (department, ENGLISH_NOTE.search(text))


def test_the_api_docs_work_without_internet(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    outside: list[str] = []

    def loopback_only(route):
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", loopback_only)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(server + "/docs")
    expect(page.locator("h1").first).to_have_text("gpsc 接口文档")
    operation = page.get_by_text("/v1/check", exact=True)
    expect(operation).to_be_visible(timeout=20_000)
    expect(page.get_by_text("/v1/catalog/search", exact=True)).to_be_visible()
    operation.click()
    expect(page.get_by_role("button", name="Try it out")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "docs-offline.png"))
    assert page.request.get(server + "/redoc").status == 404
    context.close()
    assert not outside, f"/docs reached outside the machine: {outside}"
    assert not problems, f"errors on /docs (a Content-Security-Policy refusal shows here): {problems}"
