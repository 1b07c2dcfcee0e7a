"""Browser tests drive Debian's chromium (/usr/bin/chromium) with Playwright; browser downloads are impossible
here, so the executable is named explicitly."""

from __future__ import annotations

import os
import shutil

import pytest

from gongkai.crawl.render import CHROMIUM_ARGS, chromium_path  # the crawler's renderer: the same browser

CHROMIUM = chromium_path()


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread while it is
# alive, which would break later tests that call asyncio.run().
@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"找不到 chromium（{CHROMIUM}）：请先安装 Debian 的 chromium 软件包（.ci/run 会自动安装）"
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test set-up are still
    # plain synchronous code, so Django's async-safety guard is relaxed for browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    """login(username) signs in through the login form and waits for the overview."""

    def sign_in(username: str, password: str = "pass-1234567") -> None:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return sign_in
