"""A real ``gpsc serve`` process and headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from service import running_server

ROOT = Path(__file__).resolve().parents[2]
# the suite runs in two workers on two cores, beside PostgreSQL and multi-process tests: give the page time to
# answer (Playwright's 5 s default was flaky under that load, never on an idle machine)
EXPECT_TIMEOUT_MS = 20_000
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("GPSC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def ready(page) -> None:
    """Wait until the page has loaded the catalog version (a locator, not wait_for_function: the page's CSP
    forbids the eval that a string predicate needs, which fails intermittently)."""
    from playwright.sync_api import expect

    expect(page.locator("#catalog-version")).to_contain_text("晋财综")


@pytest.fixture(scope="session")
def server(model_file):
    with running_server(model_file) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(server + "/")
    ready(page)
    yield page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not problems, f"JavaScript errors: {problems}"
