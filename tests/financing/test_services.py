"""Importing funding flows: every row checked, all or nothing, never twice."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from alliance87 import exports
from financing.importing import COLUMN_NAMES, check_file, template_csv, template_download
from financing.models import FlowStatus, FundingFlow, FundingFlowImport, RecipientKind
from financing.services import funding_flow_create, funding_flow_set_status, funding_flows_import
from tests.factories import OrganisationFactory
from tests.financing.factories import (
    ActionGroupFactory,
    ExchangeRateFactory,
    SecretariatFunctionFactory,
)

pytestmark = pytest.mark.django_db

GOOD = {
    "source": "United Kingdom",
    "recipient_type": "country",
    "country": "FJ",
    "theme": "child_labour",
    "amount": "250000.00",
    "currency": "GBP",
    "decision_date": "2024-03-15",
    "year_from": "2024",
    "year_to": "2025",
    "status": "committed",
    "reference": "GB-1",
}


def csv_file(*rows: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode()


def row(**changes) -> dict:
    return {**GOOD, **changes}


@pytest.fixture
def lookups(country, secretariat):
    ExchangeRateFactory(year=2024, currency="GBP", usd_per_unit=Decimal("1.25"))
    ExchangeRateFactory(year=2024, currency="EUR", usd_per_unit=Decimal("1.10"))
    OrganisationFactory(name="United Kingdom", acronym="UK")
    OrganisationFactory(name="International Labour Organization", acronym="ILO")
    ActionGroupFactory(name="Supply Chains")
    SecretariatFunctionFactory(code="communications", name="Communications")
    return secretariat


def _import(content: bytes, user, name: str = "flows.csv"):
    return funding_flows_import(file_name=name, content=content, user=user)


def test_valid_file_adds_every_flow_with_its_history(lookups):
    content = csv_file(
        row(),
        row(
            source="ILO",
            recipient_type="secretariat",
            country="",
            secretariat_function="communications",
            currency="USD",
            amount="1000",
            theme="",
            reference="ILO-1",
        ),
        row(
            recipient_type="action_group",
            country="",
            action_group="supply chains",
            reference="GB-2",
        ),
    )

    outcome = _import(content, lookups)

    assert outcome.ok, outcome.errors
    assert (outcome.row_count, outcome.created, outcome.skipped) == (3, 3, 0)
    flow = FundingFlow.objects.get(reference="GB-1")
    assert (flow.amount, flow.currency, flow.year_start, flow.year_end) == (
        Decimal("250000.00"),
        "GBP",
        2024,
        2025,
    )
    assert flow.import_batch.uploaded_by == lookups
    assert flow.history.count() == 1
    assert (
        FundingFlow.objects.get(recipient_kind=RecipientKind.SECRETARIAT).secretariat_function.code
        == "communications"
    )


def test_error_in_the_last_row_writes_nothing(lookups):
    rows = [row(reference=f"GB-{n}") for n in range(50)] + [
        row(reference="GB-last", currency="XXY")
    ]

    outcome = _import(csv_file(*rows), lookups)

    assert not outcome.ok
    assert [(e.line, e.column) for e in outcome.errors] == [(52, "currency")]
    assert FundingFlow.objects.count() == 0
    job = FundingFlowImport.objects.get()
    assert (job.status, job.created_count, job.error_count) == (
        FundingFlowImport.Status.FAILED,
        0,
        1,
    )


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"source": "Ministry of Nowhere"}, "source", "Unknown organisation “Ministry of Nowhere”"),
        ({"country": "ZZ"}, "country", "Unknown country “ZZ”"),
        ({"country": ""}, "country", "A country programme needs its country"),
        ({"currency": "EURO"}, "currency", "“EURO” is not an ISO 4217 currency code"),
        ({"currency": "XOF"}, "currency", "No exchange rate is recorded for XOF"),
        ({"amount": "-500"}, "amount", "The amount must be more than zero"),
        ({"amount": "0"}, "amount", "The amount must be more than zero"),
        ({"amount": "2000000000"}, "amount", "implausibly large"),
        ({"amount": "12,5"}, "amount", "“12,5” is not a number in the format 1,234.50"),
        ({"amount": "lots"}, "amount", "“lots” is not a number"),
        ({"amount": "10.005"}, "amount", "“10.005” is ambiguous"),
        ({"amount": "10.0051"}, "amount", "more than two decimals"),
        (
            {"decision_date": "15/03/2024"},
            "decision_date",
            "“15/03/2024” is not a date in the format yyyy-mm-dd",
        ),
        ({"decision_date": "2024-02-30"}, "decision_date", "is not a date"),
        ({"status": "promised"}, "status", "Unknown status “promised”"),
        ({"status": ""}, "status", "This column is required"),
        ({"theme": "poverty"}, "theme", "Unknown theme “poverty”"),
        ({"year_from": "24"}, "year_from", "24 is not a year between 2000 and 2100"),
        ({"year_to": "2023"}, "year_to", "The last year covered comes before the first"),
        ({"recipient_type": "ngo"}, "recipient_type", "Unknown recipient type “ngo”"),
        (
            {"secretariat_function": "communications"},
            "secretariat_function",
            "Only funding to the Secretariat",
        ),
    ],
)
def test_each_kind_of_row_error_is_reported_with_line_and_column(lookups, changes, column, message):
    outcome = _import(csv_file(row(reference="ok"), row(**changes)), lookups)

    assert len(outcome.errors) == 1
    error = outcome.errors[0]
    assert (error.line, error.column) == (3, column)
    assert message in error.message
    assert FundingFlow.objects.count() == 0


def test_duplicate_rows_within_a_file_are_an_error(lookups):
    outcome = _import(csv_file(row(), row(description="same flow")), lookups)

    assert [(e.line, e.message) for e in outcome.errors] == [
        (3, "Duplicate of line 2 in this file.")
    ]


def test_a_recorded_flow_with_another_status_is_updated_not_refused(lookups):
    _import(csv_file(row(status="pledged")), lookups)

    outcome = _import(csv_file(row(status="committed")), lookups)

    assert outcome.ok
    assert (outcome.created, outcome.updated) == (0, 1)
    assert FundingFlow.objects.get().status == FlowStatus.COMMITTED


def test_a_flow_without_reference_is_known_by_its_fingerprint(lookups):
    _import(csv_file(row(reference="", status="pledged")), lookups)

    outcome = _import(csv_file(row(reference="", status="paid")), lookups)

    assert (outcome.created, outcome.updated) == (0, 1)
    assert FundingFlow.objects.get().status == FlowStatus.PAID


def test_reimporting_the_same_file_adds_nothing(lookups):
    content = csv_file(row(), row(reference="GB-2", amount="1000"))
    first = _import(content, lookups)

    second = _import(content, lookups)

    assert (first.created, first.skipped) == (2, 0)
    assert second.ok
    assert (second.created, second.skipped) == (0, 2)
    assert FundingFlow.objects.count() == 2


def test_fixed_file_imports_after_a_failed_one(lookups):
    assert not _import(csv_file(row(), row(reference="GB-2", status="maybe")), lookups).ok

    outcome = _import(csv_file(row(), row(reference="GB-2", status="paid")), lookups)

    assert outcome.created == 2


def test_missing_required_column_is_reported_on_line_one(lookups):
    content = b"source,amount\nUnited Kingdom,100\n"

    outcome = _import(content, lookups)

    assert outcome.errors[0].line == 1
    assert "recipient_type" in outcome.errors[0].message


def test_semicolon_separated_csv_with_names_and_labels_is_read(lookups):
    content = (
        "source;recipient_type;country;theme;amount;currency;decision_date;year_from;status\n"
        "UK;Country;Fiji;Child labour;1 000.50;gbp;2024-01-02;2024;Paid\n"
    ).encode("cp1252")

    outcome = _import(content, lookups)

    assert outcome.ok, outcome.errors
    flow = FundingFlow.objects.get()
    assert (flow.amount, flow.currency, flow.theme, flow.status, flow.year_end) == (
        Decimal("1000.50"),
        "GBP",
        "child_labour",
        "paid",
        2024,
    )


def test_xlsx_with_native_dates_and_numbers_is_read(lookups):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMN_NAMES)
    sheet.append(
        [
            "United Kingdom",
            "country",
            "FJ",
            "",
            "",
            "forced_labour",
            1234.5,
            "EUR",
            datetime.datetime(2024, 5, 6),
            2024,
            2026,
            "pledged",
            "X-1",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    outcome = _import(buffer.getvalue(), lookups, name="flows.xlsx")

    assert outcome.ok, outcome.errors
    flow = FundingFlow.objects.get()
    assert (flow.amount, flow.decision_date, flow.year_end) == (
        Decimal("1234.50"),
        datetime.date(2024, 5, 6),
        2026,
    )


def test_file_that_is_not_csv_or_xlsx_is_refused_before_any_job_is_recorded(lookups):
    with pytest.raises(ValidationError) as error:
        _import(b"%PDF-1.7", lookups, name="flows.pdf")

    assert error.value.message_dict["content"] == [
        "This kind of file is not accepted (its content was checked). Upload CSV, XLSX or XML."
    ]
    assert not FundingFlowImport.objects.exists()


def test_an_imported_file_records_the_type_read_from_its_content(lookups):
    outcome = _import(csv_file(row()), lookups)

    assert outcome.batch.content_type == "text/csv"


def test_template_has_every_column_and_a_valid_example(lookups):
    checked = check_file("template.csv", template_csv().encode())

    assert template_csv().removeprefix("\ufeff").splitlines()[0].split(",") == COLUMN_NAMES
    assert checked.ok, checked.errors


def test_xlsx_template_is_read_back_as_it_was_written(lookups):
    checked = check_file("template.xlsx", exports.xlsx_bytes(template_download()))

    assert checked.ok, checked.errors
    assert checked.row_count == 1


def test_flow_create_refuses_a_country_on_a_secretariat_flow(country, lookups):
    with pytest.raises(ValidationError) as error:
        funding_flow_create(
            source=OrganisationFactory(name="France"),
            recipient_kind=RecipientKind.SECRETARIAT,
            country=country,
            amount=Decimal("10"),
            currency="USD",
            decision_date=datetime.date(2024, 1, 1),
            year_start=2024,
            status=FlowStatus.PAID,
        )

    assert "country" in error.value.message_dict


def test_flow_create_refuses_a_duplicate(country):
    arguments = {
        "source": OrganisationFactory(name="France"),
        "recipient_kind": RecipientKind.COUNTRY,
        "country": country,
        "amount": Decimal("10"),
        "currency": "USD",
        "decision_date": datetime.date(2024, 1, 1),
        "year_start": 2024,
        "status": FlowStatus.PAID,
    }
    funding_flow_create(**arguments)

    with pytest.raises(ValidationError, match="already recorded"):
        funding_flow_create(**arguments)


def test_status_change_keeps_the_fingerprint(country):
    flow = funding_flow_create(
        source=OrganisationFactory(name="France"),
        recipient_kind=RecipientKind.COUNTRY,
        country=country,
        amount=Decimal("10"),
        currency="USD",
        decision_date=datetime.date(2024, 1, 1),
        year_start=2024,
        status=FlowStatus.PLEDGED,
    )
    fingerprint = flow.fingerprint

    funding_flow_set_status(flow=flow, status=FlowStatus.COMMITTED)

    flow.refresh_from_db()
    assert (flow.status, flow.fingerprint) == (FlowStatus.COMMITTED, fingerprint)


def test_import_job_runs_once_even_if_the_task_is_delivered_twice(
    lookups, django_capture_on_commit_callbacks
):
    from financing.services import (
        funding_flow_import_confirm,
        funding_flow_import_run,
        funding_flow_import_start,
    )

    with django_capture_on_commit_callbacks(execute=True):
        job = funding_flow_import_start(
            file_name="flows.csv", content=csv_file(row()), user=lookups
        )
    job.refresh_from_db()
    assert (job.status, job.created_count) == (FundingFlowImport.Status.PREVIEWED, 1)
    assert FundingFlow.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        assert funding_flow_import_confirm(job=job, user=lookups)

    job.refresh_from_db()
    assert (job.status, job.created_count, job.processed_rows, job.confirmed_by) == (
        FundingFlowImport.Status.DONE,
        1,
        1,
        lookups,
    )
    assert not funding_flow_import_confirm(job=job, user=lookups)
    assert bytes(job.content) == b""
    assert funding_flow_import_run(job_id=job.pk) is None
    assert FundingFlow.objects.count() == 1


def test_progress_is_reported_while_rows_are_checked(lookups):
    seen = []
    rows = [row(reference=f"R-{n}") for n in range(1200)]

    check_file(
        "flows.csv", csv_file(*rows), progress=lambda done, total: seen.append((done, total))
    )

    assert seen == [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]


def test_unexpected_failure_marks_the_job_failed_and_writes_nothing(lookups, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("financing.services.insert_history", explode)

    outcome = _import(csv_file(row()), lookups)

    job = FundingFlowImport.objects.get()
    assert job.status == FundingFlowImport.Status.FAILED
    assert "stopped before it finished" in outcome.errors[0].message
    assert "disk on fire" in job.error_detail  # for staff, in the admin
    assert FundingFlow.objects.count() == 0
