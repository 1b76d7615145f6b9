"""Playwright on Debian's Chromium against pytest-django's live server.

Nothing downloads a browser: Chromium comes from `apt-get install chromium`. On a failure the
page's screenshot is saved in var/test-artifacts/ with the test's name.
"""

import os
import re
import time
from pathlib import Path

import pytest

from alliance87.accounts.totp import code_for
from tests.conftest import CHROMIUM
from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (factories, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    # What a page sends as it closes (the progress form saves its draft when the tab is
    # hidden) would reach the server after the test's database is gone: it is stopped here.
    context.route("**/*", lambda route: route.abort())
    context.close()


def current_totp(secret: str) -> str:
    # A code typed in the last seconds of its 30-second window may reach the server in the
    # next one: wait for a fresh window then, as a person would.
    if 30 - time.time() % 30 < 4:
        time.sleep(30 - time.time() % 30 + 0.2)
    return code_for(secret, int(time.time()) // 30)


def sign_in_through_form(
    page, live_server, user, *, password: str = PASSWORD, next_path: str = "/"
):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    secret = getattr(user, "totp_secret", None)
    if secret:
        page.get_by_label("Code").fill(current_totp(secret))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


@pytest.fixture
def sign_in():
    """sign_in(page, live_server, user): signs in through the real form, two-factor included."""
    return sign_in_through_form
