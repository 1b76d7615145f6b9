"""The progress form in Chromium as focal points use it: numbers typed in French and
Spanish, a connection that drops while saving, and unsaved work that is never left silently."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from pathfinders import services
from pathfinders.models import IndicatorType, IndicatorValue
from tests.browser.conftest import sign_in_through_form
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


@pytest.fixture
def draft():
    fiji = CountryFactory(iso_code="FJ", name="Fiji", ilo_region="asia_pacific")
    pathfinder = PathfinderFactory(country=fiji)
    version = FrameworkVersionFactory(number=1)
    children = IndicatorFactory(
        version=version,
        code="PR2",
        title="Children withdrawn from child labour",
        kind=IndicatorType.NUMBER,
        minimum=0,
        maximum=100000,
        order=1,
    )
    budget = IndicatorFactory(
        version=version,
        code="PL3",
        title="Share of the budget funded nationally",
        kind=IndicatorType.PERCENTAGE,
        baseline=10,
        target=60,
        order=2,
    )
    period = PeriodFactory(
        label="2026 H1",
        framework_version=version,
        opens_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    roadmap = RoadmapFactory(pathfinder=pathfinder, title="Fiji roadmap")
    CommitmentFactory(roadmap=roadmap, code="1.1", title="Revise the hazardous work list")
    focal_point = FocalPointFactory(country=fiji, user__email="mere@example.org").user
    report = services.report_start(pathfinder=pathfinder, period=period, user=focal_point)
    return {"report": report, "focal_point": focal_point, "PR2": children, "PL3": budget}


def stored(draft, code: str) -> Decimal | None:
    value = IndicatorValue.objects.filter(report=draft["report"], indicator=draft[code]).first()
    return value.value_number if value else None


def value_box(page, draft, code: str):
    return page.locator(f"#id_ind-{draft[code].pk}-value")


@pytest.mark.parametrize(
    ("language", "browser_locale", "grouped"),
    [("fr", "fr-FR", "1 234,5"), ("es", "es-ES", "1.234,5")],
)
def test_numbers_are_typed_and_shown_in_the_readers_convention(
    browser, live_server, draft, language, browser_locale, grouped
):
    focal_point = draft["focal_point"]
    focal_point.language = language
    focal_point.save()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=browser_locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        # The sign-in page speaks the browser's language: its fields are found by name.
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=login]").fill(focal_point.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url("**/dashboard/**")
        url = f"{live_server.url}/pathfinders/reports/{draft['report'].pk}/edit/"
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language

        value_box(page, draft, "PL3").fill("5,5")
        value_box(page, draft, "PR2").fill(grouped)
        page.locator("button[name=action][value=save]").click()
        page.locator(".message--success").wait_for()  # "Draft saved", in the reader's language

        assert stored(draft, "PL3") == Decimal("5.5")
        assert stored(draft, "PR2") == Decimal("1234.5")
        assert value_box(page, draft, "PL3").input_value() == "5,5"
        assert value_box(page, draft, "PR2").input_value() == "1234,5"

        # A point where the language writes a comma is refused beside the field, not read
        # as 55 nor as 5.5; what was typed stays.
        value_box(page, draft, "PL3").fill("5.5")
        page.locator("button[name=action][value=save]").click()
        item = page.locator("#indicator-PL3")
        assert "234,5" in item.locator(".field__error").inner_text()
        assert value_box(page, draft, "PL3").input_value() == "5.5"
        assert stored(draft, "PL3") == Decimal("5.5")
    finally:
        context.close()


def kept_on_device(page, draft) -> dict:
    kept = page.evaluate(
        "key => localStorage.getItem(key)", f"alliance87:report-draft:{draft['report'].pk}"
    )
    return dict(json.loads(kept)["values"]) if kept else {}


def test_the_connection_drops_mid_save_and_what_was_typed_is_saved_when_it_returns(
    page, live_server, draft
):
    sign_in_through_form(page, live_server, draft["focal_point"])
    page.goto(f"{live_server.url}/pathfinders/reports/{draft['report'].pk}/edit/")
    state = page.locator(".pf-save-state")

    # The connection drops while the draft is being sent, and stays down.
    page.route("**/draft/", lambda route: route.abort("internetdisconnected"))
    value_box(page, draft, "PR2").fill("1250")
    page.locator("#narrative-heading").focus()  # leaving the section saves the draft
    state.filter(has_text="Offline").wait_for()
    page.context.set_offline(True)
    page.unroute("**/draft/")

    # Typing goes on offline; "Save draft" keeps it on the device instead of losing the page.
    value_box(page, draft, "PL3").fill("35")
    page.get_by_role("button", name="Save draft").click()
    assert "Offline: what you typed is kept on this device" in state.inner_text()
    assert value_box(page, draft, "PR2").input_value() == "1250"
    assert kept_on_device(page, draft)[f"ind-{draft['PL3'].pk}-value"] == "35"
    assert stored(draft, "PR2") is None

    # The connection returns: the draft is sent, with the version the page holds.
    page.context.set_offline(False)
    state.filter(has_text="Saved at").wait_for()
    assert stored(draft, "PR2") == Decimal("1250")
    assert stored(draft, "PL3") == Decimal("35")
    assert kept_on_device(page, draft) == {}
    draft["report"].refresh_from_db()
    assert page.locator("input[name=version]").input_value() == str(draft["report"].version)


def test_what_was_typed_offline_comes_back_after_the_tab_was_closed(page, live_server, draft):
    sign_in_through_form(page, live_server, draft["focal_point"])
    url = f"{live_server.url}/pathfinders/reports/{draft['report'].pk}/edit/"
    page.goto(url)
    context = page.context
    context.set_offline(True)
    value_box(page, draft, "PR2").fill("2024")
    page.locator("#indicator-PR2").get_by_label("Narrative").fill("Counted by district.")
    page.close(run_before_unload=False)  # closed before the connection returned
    context.set_offline(False)
    assert stored(draft, "PR2") is None

    again = context.new_page()
    again.goto(url)

    assert value_box(again, draft, "PR2").input_value() == "2024"
    again.locator(".pf-save-state").filter(has_text="Saved at").wait_for(timeout=20_000)
    assert stored(draft, "PR2") == Decimal("2024")
    value = IndicatorValue.objects.get(report=draft["report"], indicator=draft["PR2"])
    assert value.narrative == "Counted by district."


def test_a_second_tab_does_not_overwrite_the_first_and_keeps_what_it_typed(
    page, live_server, draft
):
    sign_in_through_form(page, live_server, draft["focal_point"])
    url = f"{live_server.url}/pathfinders/reports/{draft['report'].pk}/edit/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    value_box(page, draft, "PR2").fill("100")
    page.locator("#narrative-heading").focus()
    page.locator(".pf-save-state").filter(has_text="Saved at").wait_for()
    value_box(other, draft, "PR2").fill("999")
    other.locator("#narrative-heading").focus()

    other.locator(".pf-save-state").filter(has_text="someone else saved").wait_for()
    assert value_box(other, draft, "PR2").input_value() == "999"
    assert stored(draft, "PR2") == Decimal("100")


def test_leaving_with_unsaved_changes_asks_first(page, live_server, draft):
    sign_in_through_form(page, live_server, draft["focal_point"])
    page.goto(f"{live_server.url}/pathfinders/reports/{draft['report'].pk}/edit/")
    page.route("**/draft/", lambda route: None)  # the draft save never answers
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    value_box(page, draft, "PR2").click()
    page.keyboard.type("77")
    page.get_by_role("link", name="Fiji").first.click()

    assert asked == ["beforeunload"]
    assert value_box(page, draft, "PR2").input_value() == "77"
    assert page.url.endswith("/edit/")


def test_a_file_of_the_wrong_kind_or_too_large_is_refused_before_it_is_sent(
    page, live_server, draft, tmp_path
):
    sign_in_through_form(page, live_server, draft["focal_point"])
    page.goto(f"{live_server.url}/pathfinders/reports/{draft['report'].pk}/edit/")
    evidence = page.locator("#evidence-PR2").get_by_label("Evidence")
    sent = []
    page.on("request", lambda request: sent.append(request.method))

    evidence.set_input_files(
        files=[{"name": "notes.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}]
    )
    assert "not accepted here" in page.locator("#evidence-PR2").inner_text()
    scan = tmp_path / "scan.pdf"  # a path, not bytes: the browser reads it from the disk
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    evidence.set_input_files(scan)
    assert "larger than 10" in page.locator("#evidence-PR2").inner_text()
    page.get_by_role("button", name="Save draft").click()

    assert "POST" not in sent


def test_the_sticky_action_bar_never_hides_the_field_in_focus(page, live_server, draft):
    sign_in_through_form(page, live_server, draft["focal_point"])
    page.set_viewport_size({"width": 1280, "height": 600})
    page.goto(f"{live_server.url}/pathfinders/reports/{draft['report'].pk}/edit/")
    value_box(page, draft, "PR2").focus()
    hidden = []

    for _ in range(12):  # through the fields of the form, by keyboard
        page.keyboard.press("Tab")
        overlap = page.evaluate(
            """() => {
                const field = document.activeElement.getBoundingClientRect();
                const bar = document.querySelector(".pf-report-form .pf-actions");
                if (bar.contains(document.activeElement)) return null;
                return field.bottom > bar.getBoundingClientRect().top
                    ? document.activeElement.id : null;
            }"""
        )
        if overlap:
            hidden.append(overlap)

    assert hidden == []
