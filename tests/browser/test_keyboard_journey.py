"""The focal point's journey with the keyboard alone: sign in, start the report from the
dashboard, fill it in, save, (review,) submit. Nothing is clicked; every step is Tab, typing
and Enter. At each stop the focused element is on screen and not covered by the progress
form's sticky action bar (WCAG 2.4.11)."""

import datetime

import pytest
from django.utils import timezone

from pathfinders.models import IndicatorType, IndicatorValue, ProgressReport, ReportStatus
from tests.factories import PASSWORD, CountryFactory, FocalPointFactory
from tests.pathfinders.factories import (
    CommitmentFactory,
    FrameworkVersionFactory,
    IndicatorFactory,
    PathfinderFactory,
    PeriodFactory,
    RoadmapFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the focus is, and whether anything hides it: the viewport's edges or a sticky bar
# that does not contain it.
FOCUS = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  let hidden = box.bottom <= 0 || box.top >= window.innerHeight;
  for (const bar of document.querySelectorAll("*")) {
    const style = getComputedStyle(bar);
    if ((style.position !== "sticky" && style.position !== "fixed") || bar.contains(el)) continue;
    if (el.contains(bar)) continue;  // a sticky part of the focused element itself (a table's first column)
    const edge = bar.getBoundingClientRect();
    if (box.bottom > edge.top + 1 && box.top < edge.bottom - 1) hidden = true;
  }
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute("name") || "",
    text: (el.innerText || el.value || "").trim().slice(0, 80),
    section: (el.closest("[id^=indicator-], [id^=commitment-]") || {}).id || "",
    hidden,
  };
}"""


@pytest.fixture
def setting(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fiji = CountryFactory(iso_code="FJ", name="Fiji", ilo_region="asia_pacific")
    pathfinder = PathfinderFactory(country=fiji)
    version = FrameworkVersionFactory(number=1)
    for order, (code, kind) in enumerate(
        [
            ("PR2", IndicatorType.NUMBER),
            ("PL3", IndicatorType.PERCENTAGE),
            ("PL4", IndicatorType.NUMBER),
            ("PR5", IndicatorType.NUMBER),
            ("PR6", IndicatorType.NUMBER),
        ],
        start=1,
    ):
        IndicatorFactory(
            version=version,
            code=code,
            title=f"Indicator {code}",
            kind=kind,
            minimum=0,
            maximum=100000 if kind == IndicatorType.NUMBER else None,
            order=order,
        )
    PeriodFactory(
        label="2026 H1",
        framework_version=version,
        opens_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    roadmap = RoadmapFactory(pathfinder=pathfinder, title="Fiji roadmap")
    CommitmentFactory(roadmap=roadmap, code="1.1", title="Revise the hazardous work list")
    focal_point = FocalPointFactory(
        country=fiji, user__email="mere@example.org", user__first_name="Mere"
    ).user
    return {"pathfinder": pathfinder, "focal_point": focal_point}


def tab_to(page, wanted, *, limit: int = 400) -> dict:
    """Presses Tab until `wanted(focus)` holds; every stop on the way must be visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert not focus["hidden"], f"the focused element is hidden: {focus}"
        if wanted(focus):
            return focus
    raise AssertionError(f"Tab never reached the element wanted; last stop: {focus}")


def value_of(code: str):
    return lambda f: f["section"] == f"indicator-{code}" and f["name"].endswith("-value")


@pytest.mark.parametrize("width", [1280, 390])
def test_focal_point_completes_the_report_with_the_keyboard_alone(
    browser, live_server, setting, width
):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")

    tab_to(page, lambda f: f["name"] == "login")
    page.keyboard.type(setting["focal_point"].email)
    tab_to(page, lambda f: f["name"] == "password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/dashboard/")

    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Start the report")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/edit/" in page.url

    tab_to(page, value_of("PR2"))
    page.keyboard.type("1250")
    tab_to(page, value_of("PL3"))
    page.keyboard.type("35")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Save draft")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Draft saved" in page.get_by_role("status").inner_text()

    tab_to(page, value_of("PR6"))
    page.keyboard.type("40")
    tab_to(page, lambda f: f["tag"] == "button" and "submit" in f["text"].lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    report = ProgressReport.objects.get(pathfinder=setting["pathfinder"])
    if report.status != ReportStatus.SUBMITTED:  # a review step before sending
        tab_to(page, lambda f: f["tag"] == "button" and "submit" in f["text"].lower())
        with page.expect_navigation():
            page.keyboard.press("Enter")
        report.refresh_from_db()

    assert report.status == ReportStatus.SUBMITTED
    stored = {
        v.indicator.code: v.value_number
        for v in IndicatorValue.objects.filter(report=report).select_related("indicator")
    }
    assert stored == {"PR2": 1250, "PL3": 35, "PR6": 40}
    assert "Report submitted" in page.get_by_role("status").inner_text()
    context.close()
