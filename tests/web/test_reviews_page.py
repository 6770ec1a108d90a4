"""A decision recorded in the browser: refused without a token, used by the next ``gpsc tag`` of a sheet with
that line (written as another year's sheet writes it), and the 待审定 tab listing the open lines."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from service import running_server
from service.cli import main
from service.reviews import open_store

from .conftest import SHOTS, ready

LINE, BUYER = "人力资源外包服务费", "县民政局"


@pytest.fixture(scope="module")
def reviews_db(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('reviews') / 'reviews.db'}"


@pytest.fixture(scope="module")
def token(reviews_db) -> str:
    store = open_store(reviews_db)
    try:
        return store.add_reviewer("王五")
    finally:
        store.close()


@pytest.fixture(scope="module")
def reviews_server(model_file, reviews_db, token):
    with running_server(model_file, args=("--db", reviews_db)) as base:
        yield base


@pytest.fixture
def reviews_page(browser, reviews_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(reviews_server + "/")
    ready(page)
    yield page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not problems, f"JavaScript errors: {problems}"


def _check(page, text: str, department: str) -> None:
    page.fill("#check-text", text)
    page.fill("#check-department", department)
    page.click("#check-form button[type=submit]")
    expect(page.locator("#check-result .verdict")).to_be_visible()


def test_a_decision_made_in_the_browser_is_used_by_the_next_tag(reviews_page, reviews_db, token, tmp_path):
    page = reviews_page
    _check(page, LINE, BUYER)
    expect(page.locator("#review-form")).to_be_visible()
    # the form starts neutral: no verdict and no leaf the person did not choose
    expect(page.locator("#review-verdict")).to_have_value("")
    expect(page.locator("#review-code")).to_have_value("")
    page.fill("#review-token", "not-a-token")
    page.click("#review-form button[type=submit]")
    expect(page.locator("#error")).to_contain_text("请选择审定结论")
    page.select_option("#review-verdict", "ineligible")
    page.fill("#review-note", "按人头派遣，属第十条第（五）项")
    page.fill("#review-token", "not-a-token")
    page.click("#review-form button[type=submit]")
    expect(page.locator("#error")).to_contain_text("审定人令牌无效")  # refused without a valid token
    assert page.evaluate("localStorage.getItem('gpsc-reviewer-token')") is None  # a refused token is not kept
    page.fill("#review-token", token)
    page.click("#review-form button[type=submit]")
    expect(page.locator("#review-status")).to_contain_text("已保存")
    assert page.evaluate("localStorage.getItem('gpsc-reviewer-token')") == token  # kept once accepted
    expect(page.locator("#review-forget")).to_be_visible()
    expect(page.locator("#check-result .reviewed")).to_contain_text("王五")
    expect(page.locator("#check-result .verdict")).to_have_text("不得作为政府购买服务")
    expect(page.locator("#check-result .leaf")).to_have_count(0)  # a verdict alone names no leaf, no 匹配度

    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"项目名称,单位\n2026年{LINE},柳林县民政局\n社工站运营,民政局\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["tag", str(sheet), "-o", str(out), "--db", reviews_db])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0]["gpsc_verdict"] == "ineligible" and rows[0]["gpsc_reviewed_by"].startswith("王五 ")
    assert rows[1]["gpsc_reviewed_by"] == ""


def test_the_queue_lists_open_lines_and_opens_one_for_a_decision(reviews_page):
    page = reviews_page
    _check(page, "12345热线外包", BUYER)  # review: only 行政审批's section lists it
    page.click("#tab-queue")
    item = page.locator("#queue-list li", has_text="12345热线外包")
    expect(item).to_contain_text("民政")
    item.locator("button.decide").click()
    expect(page.locator("#panel-check")).to_be_visible()
    expect(page.locator("#check-text")).to_have_value("12345热线外包")
    expect(page.locator("#review-form")).to_be_visible()


def test_signing_out_forgets_the_token(reviews_page, token):
    page = reviews_page
    page.evaluate(f"localStorage.setItem('gpsc-reviewer-token', {token!r})")
    _check(page, LINE, BUYER)
    expect(page.locator("#review-token")).to_have_value(token)
    page.click("#review-forget")
    assert page.evaluate("localStorage.getItem('gpsc-reviewer-token')") is None
    expect(page.locator("#review-token")).to_have_value("")
    expect(page.locator("#review-status")).to_contain_text("已退出")
