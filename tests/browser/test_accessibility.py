"""WCAG 2.2 AA on the portal's pages, each role's, in English, French and Spanish, at a desktop
width (1280 px) and a phone's (390 px).

axe-core (tests/browser/axe.py) checks each page; a serious or critical violation fails the
test, which names the page, language, width, rule and elements. The demo data is loaded once
per test so each page shows what it shows in use.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.axe import axe_violations, blocking
from tests.browser.portal_pages import portal_pages, session_cookies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "fr", "es"]
WIDTHS = [1280, 390]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())


def _visit(browser, live_server, cookies, portal_page, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(20_000)
    context.add_cookies(cookies[portal_page.email])
    page = context.new_page()
    response = page.goto(f"{live_server.url}{portal_page.path}")
    assert response.status == 200, (portal_page, response.status)
    assert portal_page.path in page.url, (portal_page, page.url)
    return context, page


def test_no_page_has_a_serious_or_critical_accessibility_violation(browser, live_server, demo):
    found = []
    for language in LANGUAGES:
        cookies = session_cookies(live_server.url, language)
        for width in WIDTHS:
            for portal_page in portal_pages():
                context, page = _visit(browser, live_server, cookies, portal_page, width)
                assert page.locator("html").get_attribute("lang") == language
                found += [
                    f"{portal_page.name} [{language}, {width} px]: {line}"
                    for line in blocking(axe_violations(page))
                ]
                context.close()
    assert not found, "\n".join(found)


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, demo):
    too_wide = []
    for language in LANGUAGES:
        cookies = session_cookies(live_server.url, language)
        for portal_page in portal_pages():
            context, page = _visit(browser, live_server, cookies, portal_page, 390)
            scroll_width, inner_width = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll_width > inner_width:
                too_wide.append(
                    f"{portal_page.name} [{language}]: {scroll_width} px wide in {inner_width}"
                )
            context.close()
    assert not too_wide, "\n".join(too_wide)
