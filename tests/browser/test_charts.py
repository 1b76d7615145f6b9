"""The charts as a phone draws them: every word of their text at least 12 px high.

Each page of the portal with a chart is opened at 390 px in English and French (the longer
words); every text of every chart is measured as drawn: its font size times the chart's drawn
width over its viewBox width.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.portal_pages import portal_pages, session_cookies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAWN_TEXT = """() => [...document.querySelectorAll("svg.chart")].flatMap((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll("text")].map((text) => [
    text.textContent, parseFloat(getComputedStyle(text).fontSize) * scale,
  ]);
})"""


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_text_is_at_least_12_px_on_every_page(browser, live_server, demo, width):
    too_small, charted = [], 0
    for language in ("en", "fr"):
        cookies = session_cookies(live_server.url, language)
        for portal_page in portal_pages():
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.set_default_timeout(20_000)
            context.add_cookies(cookies[portal_page.email])
            page = context.new_page()
            page.goto(f"{live_server.url}{portal_page.path}")
            drawn = page.evaluate(DRAWN_TEXT)
            charted += bool(drawn)
            too_small += [
                f"{portal_page.name} [{language}]: {text!r} at {size:.1f} px"
                for text, size in drawn
                if size < 12
            ]
            context.close()
    assert charted >= 4  # the dashboards, the country page, the financing gaps, …
    assert not too_small, "\n".join(too_small)
