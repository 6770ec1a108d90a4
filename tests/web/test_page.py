"""The officers' page driven as a person would: type, click, upload the real example, download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import SHOTS, ready

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "liulin_2026_projects.csv"


def test_check_one_purchase_with_enter(page):
    page.fill("#check-text", "12345热线外包")
    page.fill("#check-department", "县行政审批服务管理局")
    page.press("#check-text", "Enter")
    card = page.locator(".result")
    expect(card.locator(".verdict")).to_have_text("可以作为政府购买服务")
    expect(card.locator(".leaf")).to_contain_text("A180701")
    expect(card.locator(".leaf")).to_contain_text("政务热线服务")
    expect(card.locator("ul.reasons")).to_contain_text("晋财综〔2025〕28号")


def test_the_card_shows_the_pinmu_and_what_was_read(page):
    page.fill("#check-text", "关于下达设备购置资金的通知（吕财社〔2026〕8号）——彩色多普勒超声诊断仪，公开招标")
    page.fill("#check-department", "")
    page.press("#check-text", "Enter")
    card = page.locator(".result")
    expect(card.locator(".verdict")).to_have_text("不得作为政府购买服务")
    expect(card.locator(".pinmu")).to_contain_text("（货物")
    expect(card).to_contain_text("采购内容：彩色多普勒超声诊断仪")
    expect(card).not_to_contain_text("gpsc_")


def test_alternative_opens_in_the_catalog(page):
    page.fill("#check-text", "12345热线外包")
    page.fill("#check-department", "县民政局")
    page.click("#check-form button[type=submit]")
    expect(page.locator(".result .verdict")).to_have_text("需要人工核实")
    expect(page.locator(".result")).to_contain_text("其他部门目录中更符合")
    page.locator(".result p", has_text="其他部门目录中更符合").locator(".show-in-catalog").click()
    expect(page.locator("#panel-catalog")).to_be_visible()
    expect(page.locator(".section-title")).to_have_text("行政审批")
    leaf = page.locator("#leaf-A180701")
    expect(leaf).to_be_visible()
    expect(leaf).to_have_class("leafnode highlight")


def test_example_lines_show_ineligible_with_the_clause(page):
    page.click("text=购置办公设备（人社局）")
    card = page.locator(".result")
    expect(card.locator(".verdict")).to_have_text("不得作为政府购买服务")
    expect(card.locator("ul.reasons")).to_contain_text("第十条第（三）项")


def test_tag_the_real_budget_and_download(page, tmp_path):
    page.click("#tab-sheet")
    page.set_input_files("#sheet-file", str(EXAMPLE))
    expect(page.locator("#sheet-run")).to_be_enabled()
    expect(page.locator("#sheet-text-column")).to_have_value("项目名称")
    expect(page.locator("#sheet-department-column")).to_have_value("单位")
    page.click("#sheet-run")
    summary = page.locator(".sheet-summary")
    expect(summary.locator(".row-count")).to_have_text("23")
    expect(summary.locator(".verdict-counts")).to_contain_text("不得作为政府购买服务：16")
    expect(summary.locator(".verdict-counts")).to_contain_text("需要人工核实：7")
    expect(page.locator("table.preview tbody tr")).to_have_count(23)
    expect(page.locator("table.preview td.v-ineligible").first).to_be_visible()
    expect(page.locator("table.preview td.v-ineligible").first).to_have_text("不得购买")
    page.screenshot(path=str(_shot("tag-preview")), full_page=True)
    with page.expect_download() as download:
        page.click("#download-csv")
    saved = tmp_path / "tagged.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    # the page's CSV is the service's, for an officer: Chinese headers, verdicts and reasons, rule ids beside them
    assert len(rows) == 23 and rows[7]["项目名称"] == "购置办公设备" and rows[7]["判定"] == "不得购买"
    assert rows[7]["理由"].startswith("货物：") and rows[7]["规则编号"].split(";")[0] == "goods"
    assert rows[0]["序号"] == "1" and not any(name.startswith("gpsc_") for name in rows[0])


def test_audit_the_real_budget_and_download_excel(page, tmp_path):
    page.click("#tab-sheet")
    page.check("input[name=mode][value=audit]")
    page.set_input_files("#sheet-file", str(EXAMPLE))
    expect(page.locator("#sheet-code-column")).to_have_value("示例申报代码")
    page.click("#sheet-run")
    counts = page.locator(".audit-filter")
    expect(counts).to_contain_text("不得购买（16）")
    expect(counts).to_contain_text("与代码不符（4）")
    expect(page.locator(".problem-group").first).to_contain_text("不得购买")
    with page.expect_download() as download:
        page.click("#download-xlsx")
    saved = tmp_path / "audit.xlsx"
    download.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    # an .xlsx is for people: Chinese headers (the API's default for xlsx; gpsc_* with headers=machine)
    assert list(rows[0][-2:]) == ["审核结果", "审核说明"] and len(rows) == 24


def test_browse_and_search_the_catalog(page):
    page.click("#tab-catalog")
    page.fill("#catalog-department", "人社局")
    page.press("#catalog-department", "Enter")
    expect(page.locator(".section-title")).to_have_text("人力资源和社会保障")
    expect(page.locator(".tree")).to_contain_text("原文缺少此行")
    expect(page.locator("ul.anomalies")).to_contain_text("缺少上级目录行")
    page.fill("#catalog-search", "A040102")
    page.press("#catalog-search", "Enter")
    expect(page.locator("#catalog-hits")).to_contain_text("以下是其他部门目录中的结果")  # not in 人社: all
    hit = page.locator("ul.hits li", has_text="自然资源")
    expect(hit).to_contain_text("原文印作 A040102")  # the printed code, and what was repaired
    hit.locator(".show-in-catalog").click()
    expect(page.locator(".section-title")).to_have_text("自然资源")
    expect(page.locator("#leaf-A140102")).to_have_class("leafnode highlight")
    expect(page.locator("#leaf-A140102")).to_contain_text("代码已更正：原文第 2144 行印作 A040102")
    expect(page.locator("#leaf-A140102 .pinmu")).to_contain_text("品目 C")  # the crosswalk, beside every leaf


def test_errors_are_plain_words(page, tmp_path):
    # a unit without a section of its own is judged, and the card says so
    page.fill("#check-text", "购置办公电脑")
    page.fill("#check-department", "县税务局")
    page.press("#check-text", "Enter")
    expect(page.locator("#check-result")).to_contain_text("没有本部门的章节")
    page.fill("#check-text", "   ")
    page.fill("#check-department", "")
    page.press("#check-text", "Enter")
    expect(page.locator("#error")).to_be_visible()
    page.click("#tab-sheet")
    pdf = tmp_path / "budget.pdf"
    pdf.write_bytes(b"%PDF-1.4 not a sheet")
    page.set_input_files("#sheet-file", str(pdf))
    expect(page.locator("#error")).to_contain_text("只能上传 .csv 或 .xlsx 文件")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("项目名称\n社工站运营\n", encoding="utf-8")
    page.set_input_files("#sheet-file", str(wrong))
    expect(page.locator("#sheet-run")).to_be_enabled()
    page.fill("#sheet-department", "不存在的局")  # a unit without a section: the rows are judged, not refused
    page.click("#sheet-run")
    expect(page.locator("#sheet-result")).to_contain_text("社工站运营")


def test_keyboard_only_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.goto(server + "/")
    ready(page)
    page.focus("#tab-check")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#panel-sheet")).to_be_visible()
    expect(page.locator("#tab-sheet")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("End")  # every tab by keyboard, 待审定 (the fourth) included
    expect(page.locator("#tab-queue")).to_be_focused()
    page.keyboard.press("ArrowRight")  # and round again to the first
    expect(page.locator("#tab-check")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#tab-queue")).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("Tab")  # into the check form
    page.focus("#check-text")
    page.keyboard.type("乡镇社工站运营服务")
    page.keyboard.press("Tab")
    page.keyboard.type("县民政局")
    page.keyboard.press("Enter")
    expect(page.locator(".result .verdict")).to_have_text("可以作为政府购买服务")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width}px)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "phone-check.png"), full_page=True)
    context.close()


def _shot(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"


def test_an_empty_queue_says_when_there_is_no_record(browser, server):
    page = browser.new_page()
    page.goto(server + "/")
    ready(page)
    page.click("#tab-queue")
    expect(page.locator("#queue-list")).to_contain_text("还没有审定记录数据库")
    page.close()


def test_the_card_lists_candidates_only_where_they_help(page):
    page.click("text=购置办公设备（人社局）")  # goods: no leaf list under an ineligible verdict
    card = page.locator(".result")
    expect(card.locator(".verdict")).to_have_text("不得作为政府购买服务")
    expect(card.locator("ol.alternatives")).to_have_count(0)
    expect(card).not_to_contain_text("%")  # one number format: 0.92, as the reasons write it
    expect(card.locator(".pinmu")).to_contain_text("0.")


def test_the_page_finds_the_header_of_an_intentions_sheet(page, tmp_path):
    from tests.service.test_sheet_layouts import INTENTION_LINES, INTENTIONS, write_xlsx

    sheet = write_xlsx(INTENTIONS, tmp_path / "采购意向.xlsx", ["A1:F1", "A2:F2"])
    page.click("#tab-sheet")
    page.set_input_files("#sheet-file", str(sheet))
    expect(page.locator("#sheet-text-column")).to_have_value("采购项目名称")
    expect(page.locator("#sheet-status")).to_contain_text("表头：第 3 行")
    page.click("#sheet-run")
    summary = page.locator(".sheet-summary")
    expect(summary.locator(".row-count")).to_have_text(str(INTENTION_LINES))
    expect(summary).to_contain_text("1 个合计行")
    expect(summary).to_contain_text("柳林县人力资源和社会保障局")  # the buyer, read from the title
    first = page.locator("table.preview thead th").first
    expect(first).to_have_text("判定")
    expect(page.locator("table.preview p.cell-basis").first).to_contain_text("依据")
