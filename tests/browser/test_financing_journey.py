"""The Secretariat imports a file of funding flows, fixes a row error, previews and confirms
it, sees the gap close, imports a correction (an update, not a second flow) and undoes it."""

import csv
import io
from decimal import Decimal

import pytest

from financing.importing import COLUMN_NAMES
from financing.models import FundingFlow
from tests.browser.conftest import sign_in_through_form
from tests.factories import OrganisationFactory
from tests.financing.factories import ExchangeRateFactory, FundingRequirementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def flows_csv(second_amount: str) -> dict:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    common = {
        "recipient_type": "country",
        "country": "FJ",
        "theme": "child_labour",
        "year_from": "2024",
    }
    writer.writerow(
        {**common, "source": "France", "amount": "20000", "currency": "EUR", "decision_date": "2024-02-01",
         "status": "paid", "reference": "FR-1"}
    )  # fmt: skip
    writer.writerow(
        {**common, "source": "United Kingdom", "amount": second_amount, "currency": "GBP",
         "decision_date": "2024-05-01", "status": "committed", "reference": "UK-1"}
    )  # fmt: skip
    return {"name": "flows.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode()}


def figure(page, name: str) -> str:
    return page.locator(f"#figure-{name}").inner_text()


def test_secretariat_fixes_a_row_error_and_sees_the_gap_change(
    page, live_server, secretariat, country
):
    ExchangeRateFactory(year=2024, currency="EUR", usd_per_unit=Decimal("1.10"))
    ExchangeRateFactory(year=2024, currency="GBP", usd_per_unit=Decimal("1.25"))
    OrganisationFactory(name="France")
    OrganisationFactory(name="United Kingdom")
    FundingRequirementFactory(country=country, amount=Decimal("100000"))
    sign_in_through_form(page, live_server, secretariat, next_path="/financing/")

    page.goto(f"{live_server.url}/financing/")
    assert figure(page, "gap") == "100,000"
    assert figure(page, "coverage") == "0.0%"

    page.get_by_role("link", name="Import funding flows").click()
    page.get_by_label("File of funding flows").set_input_files(flows_csv("-8000"))
    page.get_by_role("button", name="Check and preview").click()

    errors = page.locator("#import-errors")
    assert "Nothing was imported" in page.get_by_role("alert").inner_text()
    assert errors.locator("tbody tr").count() == 1
    assert errors.locator("tbody tr td").all_inner_texts() == [
        "3",
        "amount",
        "The amount must be more than zero (it is -8000).",
    ]
    assert FundingFlow.objects.count() == 0

    page.get_by_label("File of funding flows").set_input_files(flows_csv("8000"))
    page.get_by_role("button", name="Check and preview").click()

    assert "flows to add: 2," in page.locator("#import-preview").inner_text()
    preview = page.locator("#import-rows tbody tr").nth(1).locator("td").all_inner_texts()
    assert preview[:8] == ["3", "to add", "United Kingdom", "Fiji", "UK-1", "Committed",
                           "8,000.00 GBP", "10,000.00"]  # fmt: skip
    assert FundingFlow.objects.count() == 0
    page.get_by_role("button", name="Confirm and import").click()

    assert "flows added: 2," in page.locator("#import-result").inner_text()
    page.get_by_role("link", name="See the financing gaps").click()
    # 20,000 EUR at 1.10 + 8,000 GBP at 1.25 = 32,000 USD of 100,000.
    assert figure(page, "funded") == "32,000"
    assert figure(page, "gap") == "68,000"
    assert figure(page, "coverage") == "32.0%"

    # The United Kingdom corrects its amount: the same flow is updated.
    page.goto(f"{live_server.url}/financing/import/")
    page.get_by_label("File of funding flows").set_input_files(flows_csv("16000"))
    page.get_by_role("button", name="Check and preview").click()
    assert (
        "flows to add: 0, to update: 1, unchanged: 1"
        in page.locator("#import-preview").inner_text()
    )
    page.get_by_role("link", name="updated (1)").click()
    assert "Amount: 8,000.00 → 16,000.00" in page.locator("#import-rows").inner_text()
    page.get_by_role("button", name="Confirm and import").click()
    assert "flows added: 0, updated: 1," in page.locator("#import-result").inner_text()
    correction = page.url
    assert FundingFlow.objects.count() == 2
    page.goto(f"{live_server.url}/financing/")
    assert figure(page, "funded") == "42,000"

    # ...and the correction is undone from its page.
    page.goto(correction)
    page.get_by_role("button", name="Undo this import").click()
    assert "The import is undone" in page.locator(".messages").inner_text()
    assert FundingFlow.objects.get(reference="UK-1").amount == Decimal("8000.00")
    page.goto(f"{live_server.url}/financing/")
    assert figure(page, "funded") == "32,000"


def test_a_file_over_the_limit_is_refused_in_the_browser_before_it_is_sent(
    page, live_server, secretariat
):
    from financing.models import IMPORT_UPLOAD, FundingFlowImport

    sign_in_through_form(page, live_server, secretariat)
    page.goto(f"{live_server.url}/financing/import/")
    field = page.get_by_label("File of funding flows")
    assert "CSV, XLSX or XML; at most 10\xa0MB." in page.locator("main").inner_text()

    field.set_input_files(
        {
            "name": "flows.csv",
            "mimeType": "text/csv",
            "buffer": b"a" * (IMPORT_UPLOAD.max_bytes + 1),
        }
    )
    page.get_by_role("button", name="Check and preview").click()

    assert field.evaluate("input => input.validationMessage") == (
        "This file is larger than 10\xa0MB: it cannot be sent."
    )
    assert page.url.endswith("/financing/import/")
    assert not FundingFlowImport.objects.exists()
