import csv
import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from financing.importing import COLUMN_NAMES
from financing.models import FlowStatus, FundingFlow, FundingFlowImport, RecipientKind
from financing.templatetags.financing import usd
from tests.exports import csv_parts, csv_table, sheet_header_row, sheet_table, workbook
from tests.factories import CountryFactory, OrganisationFactory
from tests.financing.factories import (
    ExchangeRateFactory,
    FundingFlowFactory,
    FundingRequirementFactory,
    SecretariatFunctionFactory,
)

pytestmark = pytest.mark.django_db

GAPS = reverse("financing:gaps")
SUSTAINABILITY = reverse("financing:sustainability")
IMPORT = reverse("financing:flow_import")
FORMATS = {"number_format": "dot", "date_format": "ymd"}


class TableReader(HTMLParser):
    """The text of every cell of one table (header, body and footer rows), by its id."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def read_table(response, table_id: str) -> list[list[str]]:
    reader = TableReader(table_id)
    reader.feed(response.content.decode())
    return reader.rows


def page_table(response, key: str) -> list[list[str]]:
    return read_table(response, f"table-{key}")


def as_plain(cell: str) -> str:
    """A page cell as the export writes it: no thousands separator, no percent sign, no dash, and a day
    the page writes "1 Feb 2025" as the export's date, 2025-02-01."""
    try:
        return datetime.datetime.strptime(cell, "%d %b %Y").date().isoformat()
    except ValueError:
        return "" if cell == "—" else cell.replace(",", "").removesuffix("%")


def comparable(text: str) -> Decimal | str:
    """Spreadsheets keep numbers, not their formatting: 0.0 and 0 are the same figure."""
    try:
        return Decimal(text)
    except ArithmeticError:
        return text


@pytest.fixture
def figures(country, other_country):
    ExchangeRateFactory(year=2024, currency="EUR", usd_per_unit=Decimal("1.10"))
    FundingRequirementFactory(country=country, amount=Decimal("100000"))
    FundingRequirementFactory(country=other_country, amount=Decimal("200000"), currency="EUR")
    FundingFlowFactory(
        source=OrganisationFactory(name="France"),
        country=country,
        amount=Decimal("20000"),
        currency="EUR",
    )
    FundingFlowFactory(
        source=OrganisationFactory(name="Norway Fund"),
        country=other_country,
        amount=Decimal("7777"),
        status=FlowStatus.PLEDGED,
    )


# --- The gap page ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(GAPS)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_person_without_a_role_is_refused(client_for, outsider, figures):
    assert client_for(outsider).get(GAPS).status_code == 404
    assert (
        client_for(outsider).get(reverse("financing:gaps_export", args=["csv"])).status_code == 404
    )


@pytest.mark.parametrize("role", ["gcg_member", "gcg_observer", "secretariat"])
def test_readers_of_everything_see_every_country(request, client_for, role, figures):
    response = client_for(request.getfixturevalue(role)).get(GAPS)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Fiji" in text and "Ghana" in text
    assert 'id="figure-requirement">320,000<' in text
    assert 'id="figure-funded">22,000<' in text
    assert 'id="figure-coverage">6.9%<' in text


def test_a_value_a_filter_cannot_take_is_named_and_the_figures_stay(
    client_for, gcg_member, figures
):
    response = client_for(gcg_member).get(GAPS, {"group_by": "bogus", "theme": "\x00"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in text  # beside the breakdown
    assert "Null characters are not allowed." in text  # beside the theme
    assert 'id="figure-requirement">320,000<' in text


def test_focal_point_sees_only_their_country(client_for, focal_point, figures):
    response = client_for(focal_point).get(GAPS)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Fiji" in text
    assert "Ghana" not in text
    assert "Norway Fund" not in text
    assert 'id="figure-requirement">100,000<' in text


def test_focal_point_cannot_ask_for_another_country(
    client_for, focal_point, other_country, figures
):
    response = client_for(focal_point).get(GAPS, {"country": other_country.pk})

    assert "Ghana" not in response.content.decode()
    assert "Select a valid choice" in response.content.decode()


def test_filters_narrow_the_figures(client_for, gcg_member, figures, other_country):
    response = client_for(gcg_member).get(GAPS, {"country": other_country.pk, "group_by": "theme"})

    rows = page_table(response, "gaps")
    assert rows[0][0] == "Theme"
    assert rows[1][:2] == ["Child labour", "220,000"]
    assert 'id="figure-pledged">7,777<' in response.content.decode()


def test_page_has_charts_with_titles(client_for, gcg_member, figures):
    text = client_for(gcg_member).get(GAPS).content.decode()

    assert text.count("<svg") == 2  # breakdown and donors; one year gives no trend line
    assert "Gap by country, after what is paid and committed (USD)" in text


def test_import_link_only_for_the_secretariat(client_for, gcg_member, secretariat, figures):
    assert IMPORT not in client_for(gcg_member).get(GAPS).content.decode()
    assert IMPORT in client_for(secretariat).get(GAPS).content.decode()


def _spread_figures(count: int) -> None:
    for index in range(count):
        country = CountryFactory(iso_code=f"Q{chr(65 + index)}", name=f"Quartz {index}")
        FundingRequirementFactory(country=country, year=2023 + index % 3)
        FundingFlowFactory(
            country=country, source=OrganisationFactory(name=f"Donor {index}"), year_start=2022
        )


@pytest.mark.parametrize("count", [1, 12])
def test_gap_page_query_count_does_not_grow_with_the_data(
    client_for, gcg_member, django_assert_num_queries, count
):
    _spread_figures(count)
    client = client_for(gcg_member)
    # session, user, roles; exchange rates, one statement grouping the requirements and flows
    # in SQL, the names of their countries, action groups and donors (one union), the
    # countries of the filter; session save (savepoint, update, release)
    with django_assert_num_queries(10):
        assert client.get(GAPS, {"group_by": "region"}).status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_gap_page_reads_its_figures_from_the_cache_the_second_time(
    client_for, gcg_member, django_assert_num_queries, count
):
    _spread_figures(count)
    client = client_for(gcg_member)
    client.get(GAPS, {"group_by": "region"})
    # as the first time, without the exchange rates, the grouping statement and the names
    with django_assert_num_queries(7):
        assert client.get(GAPS, {"group_by": "theme"}).status_code == 200


def _filters_and_figures(response) -> str:
    page = response.content.decode()
    return page[page.index('<form method="get" class="filters"') : page.rindex("</section>")]


@pytest.mark.parametrize("count", [1, 12])
def test_gap_page_with_the_same_filters_is_written_from_the_cache(
    client_for, gcg_member, django_assert_num_queries, count
):
    _spread_figures(count)
    client = client_for(gcg_member)
    first = client.get(GAPS, {"group_by": "theme"})
    # session, user, roles; session save (savepoint, update, release): the filters, figures
    # and tables are the page's cached fragment
    with django_assert_num_queries(6):
        again = client.get(GAPS, {"group_by": "theme"})
    assert _filters_and_figures(again) == _filters_and_figures(first)
    assert page_table(again, "gaps") == page_table(first, "gaps")


@pytest.mark.parametrize("count", [1, 12])
def test_focal_point_query_count_does_not_grow(
    client_for, focal_point, django_assert_num_queries, count
):
    _spread_figures(count)
    client = client_for(focal_point)
    # as for a GCG member, plus the focal point's countries, less the names (nothing of their
    # country is recorded here, so there is no name to read)
    with django_assert_num_queries(10):
        assert client.get(GAPS).status_code == 200


# --- Exports --------------------------------------------------------------------------------


def test_csv_export_holds_exactly_the_rows_of_the_page(client_for, gcg_member, figures):
    client = client_for(gcg_member)
    query = {"group_by": "country", "year_from": "2024"}

    page = client.get(GAPS, query)
    for key in ("gaps", "donors"):
        export = client.get(reverse("financing:gaps_export", args=["csv"]), {**query, "table": key})
        assert export["Content-Type"].startswith("text/csv")
        filters, exported = csv_parts(export)
        shown = [[as_plain(cell) for cell in row] for row in page_table(page, key)]
        assert exported == shown
        assert ["From year", "2024"] in filters


def test_xlsx_export_has_one_sheet_per_table_with_the_page_figures(client_for, gcg_member, figures):
    client = client_for(gcg_member)

    page = client.get(GAPS)
    export = client.get(reverse("financing:gaps_export", args=["xlsx"]))

    book = workbook(export)
    # One sheet per table, named by its caption as the page shows it (at most 31 characters).
    assert book.sheetnames == [
        "Financing gap by country, in",  # cut between words (31 at most)
        "Trends across years, in USD",
        "Donor concentration, in USD",
    ]
    sheet_rows = [
        [comparable("" if value is None else str(value)) for value in row]
        for row in sheet_table(book.worksheets[0])
    ]
    shown = [[comparable(as_plain(cell)) for cell in row] for row in page_table(page, "gaps")]
    assert sheet_rows == shown


def test_export_of_an_unknown_format_or_table_is_not_found(client_for, gcg_member, figures):
    client = client_for(gcg_member)

    assert client.get(reverse("financing:gaps_export", args=["pdf"])).status_code == 404
    assert (
        client.get(reverse("financing:gaps_export", args=["csv"]), {"table": "nope"}).status_code
        == 404
    )


def test_focal_point_export_is_limited_to_their_country(client_for, focal_point, figures):
    export = client_for(focal_point).get(reverse("financing:gaps_export", args=["csv"]))

    text = export.content.decode("utf-8-sig")
    assert "Fiji" in text
    assert "Ghana" not in text


# --- Secretariat sustainability -----------------------------------------------------------


@pytest.fixture
def secretariat_funding():
    function = SecretariatFunctionFactory(name="Pathfinder support", annual_cost=Decimal("120000"))
    FundingFlowFactory(
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        theme="",
        amount=Decimal("60000"),
        year_start=2026,
        decision_date=datetime.date(2025, 12, 1),
    )
    return function


def test_sustainability_page_answers_how_long_the_secretariat_can_run(
    client_for, gcg_member, secretariat_funding, monkeypatch
):
    monkeypatch.setattr("financing.views._today", lambda: datetime.date(2026, 3, 1))

    response = client_for(gcg_member).get(SUSTAINABILITY)

    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "The function covered for the shortest time is Pathfinder support: 6.0 months from"
        " January 2026 at its annual cost of 120,000 USD." in text
    )
    assert "Money earmarked for a function counts for that function only" in text
    assert "The largest gap is in Pathfinder support (300,000 USD)" in text


@pytest.mark.parametrize("role", ["focal_point", "outsider"])
def test_sustainability_is_refused_to_others(request, client_for, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(SUSTAINABILITY).status_code == 404
    assert client.get(reverse("financing:sustainability_export", args=["xlsx"])).status_code == 404


def test_sustainability_csv_export_matches_the_page(client_for, gcg_observer, secretariat_funding):
    client = client_for(gcg_observer)

    page = client.get(SUSTAINABILITY)
    export = client.get(
        reverse("financing:sustainability_export", args=["csv"]), {"table": "functions"}
    )

    exported = csv_table(export)
    assert exported == [[as_plain(cell) for cell in row] for row in page_table(page, "functions")]


@pytest.mark.parametrize("count", [1, 8])
def test_sustainability_query_count_is_fixed(
    client_for, gcg_member, django_assert_num_queries, count
):
    for _index in range(count):
        function = SecretariatFunctionFactory()
        FundingFlowFactory(
            recipient_kind=RecipientKind.SECRETARIAT,
            country=None,
            secretariat_function=function,
            year_start=2026,
        )
    client = client_for(gcg_member)
    # session, user, roles; functions, rates, one statement grouping the recorded needs and
    # the flows in SQL; session save (3)
    with django_assert_num_queries(9):
        assert client.get(SUSTAINABILITY).status_code == 200


# --- Import ---------------------------------------------------------------------------------


def _upload(rows: list[list[str]], name: str = "flows.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_NAMES)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def _row(**values) -> list[str]:
    base = {
        "source": "France",
        "recipient_type": "country",
        "country": "FJ",
        "amount": "1000",
        "currency": "USD",
        "decision_date": "2024-01-15",
        "year_from": "2024",
        "status": "paid",
    }
    base.update(values)
    return [base.get(name, "") for name in COLUMN_NAMES]


@pytest.mark.parametrize(
    ("role", "status"), [("gcg_member", 403), ("focal_point", 403), ("outsider", 404)]
)
def test_only_the_secretariat_may_import(request, client_for, role, status, country):
    OrganisationFactory(name="France")
    client = client_for(request.getfixturevalue(role))

    assert client.get(IMPORT).status_code == status
    assert client.post(IMPORT, {"file": _upload([_row()]), **FORMATS}).status_code == status
    assert client.get(reverse("financing:import_template", args=["csv"])).status_code == status
    assert FundingFlow.objects.count() == 0


def test_import_page_documents_every_column(client_for, secretariat):
    text = client_for(secretariat).get(IMPORT).content.decode()

    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in text
    assert reverse("financing:import_template", args=["xlsx"]) in text


def test_import_with_an_error_lists_it_and_writes_nothing(
    client_for, secretariat, country, django_capture_on_commit_callbacks
):
    OrganisationFactory(name="France")
    client = client_for(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT, {"file": _upload([_row(), _row(amount="-5", reference="B")]), **FORMATS}
        )
    page = client.get(response.url)

    job = FundingFlowImport.objects.get()
    assert response.url == reverse("financing:import_detail", args=[job.pk])
    assert ["3", "amount", "The amount must be more than zero (it is -5)."] in read_table(
        page, "import-errors"
    )
    assert "Nothing was imported: 1 error in the file" in page.content.decode()
    assert "Upload the corrected file" in page.content.decode()
    assert FundingFlow.objects.count() == 0


def test_an_import_checked_in_french_reads_in_english_to_an_english_reader(
    client_for, secretariat, country
):
    from django.utils import translation

    from financing.services import funding_flows_import

    OrganisationFactory(name="France")
    content = _upload([_row(), _row(amount="-5", reference="B")]).read()
    with translation.override("fr"):  # the uploader's language, or a worker's
        job = funding_flows_import(file_name="f.csv", content=content, user=secretariat).batch

    page = client_for(secretariat).get(reverse("financing:import_detail", args=[job.pk]))

    assert ["3", "amount", "The amount must be more than zero (it is -5)."] in read_table(
        page, "import-errors"
    )
    secretariat.language = "es"
    secretariat.save(update_fields=["language"])
    page = client_for(secretariat).get(reverse("financing:import_detail", args=[job.pk]))
    assert "El monto debe ser superior a cero (es de -5)." in page.content.decode()


def test_valid_upload_is_previewed_then_imported_once_confirmed(
    client_for, secretariat, country, django_capture_on_commit_callbacks
):
    OrganisationFactory(name="France")
    ExchangeRateFactory(year=2024, currency="EUR", usd_per_unit=Decimal("1.10"))
    client = client_for(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT,
            {
                "file": _upload([_row(), _row(reference="B", amount="2.500", currency="EUR")]),
                "number_format": "comma",
                "date_format": "ymd",
            },
        )
    preview = client.get(response.url)

    text = preview.content.decode()
    assert "Preview: nothing is written yet" in text
    assert "Rows read: 2; flows to add: 2, to update: 0, unchanged: 0." in text
    assert "numbers written as text in the format 1.234,50" in text
    assert [
        "3",
        "to add",
        "France",
        "Fiji",
        "B",
        "Paid",
        "2,500.00 EUR",
        "2,750.00",
        "2024",
        "—",
    ] in read_table(preview, "import-rows")
    assert FundingFlow.objects.count() == 0

    job = FundingFlowImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("financing:import_confirm", args=[job.pk]))
    page = client.get(response.url).content.decode()

    assert "Rows read: 2; flows added: 2, updated: 0, unchanged: 0" in page
    assert "Undo this import" in page and "for 7 days after it ran" in page
    assert '<meta http-equiv="refresh"' not in page
    assert FundingFlow.objects.count() == 2


def test_an_import_is_undone_from_its_page(
    client_for, secretariat, country, django_capture_on_commit_callbacks
):
    from financing.services import funding_flows_import

    OrganisationFactory(name="France")
    content = _upload([_row(reference="A")]).read()
    funding_flows_import(file_name="a.csv", content=content, user=secretariat)
    job = funding_flows_import(
        file_name="b.csv", content=content.replace(b"1000", b"1500"), user=secretariat
    ).batch
    client = client_for(secretariat)

    response = client.post(reverse("financing:import_undo", args=[job.pk]), follow=True)

    assert "The import is undone: 1 flow is back as it was before it." in response.content.decode()
    assert "Undone by" in response.content.decode()
    assert FundingFlow.objects.get().amount == Decimal("1000.00")


@pytest.mark.parametrize(("role", "status"), [("gcg_member", 403), ("outsider", 404)])
def test_only_the_secretariat_confirms_or_undoes_an_import(
    request, client_for, secretariat, role, status
):
    job = FundingFlowImport.objects.create(
        file_name="f.csv",
        file_sha256="0" * 64,
        uploaded_by=secretariat,
        status=FundingFlowImport.Status.PREVIEWED,
    )
    client = client_for(request.getfixturevalue(role))

    assert client.post(reverse("financing:import_confirm", args=[job.pk])).status_code == status
    assert client.post(reverse("financing:import_undo", args=[job.pk])).status_code == status
    job.refresh_from_db()
    assert job.status == FundingFlowImport.Status.PREVIEWED


def test_waiting_import_shows_its_progress_and_refreshes(client_for, secretariat):
    job = FundingFlowImport.objects.create(
        file_name="big.csv",
        file_sha256="0" * 64,
        uploaded_by=secretariat,
        row_count=10000,
        processed_rows=2500,
        status=FundingFlowImport.Status.RUNNING,
        step=FundingFlowImport.Step.CHECKING,
        attempts=1,
    )

    text = (
        client_for(secretariat)
        .get(reverse("financing:import_detail", args=[job.pk]))
        .content.decode()
    )

    assert '<meta http-equiv="refresh" content="2">' in text
    assert 'value="25"' in text
    assert "2,500 of 10,000 rows checked." in text


def test_an_import_waiting_for_another_attempt_says_so(client_for, secretariat):
    job = FundingFlowImport.objects.create(
        file_name="big.csv", file_sha256="0" * 64, uploaded_by=secretariat, attempts=1
    )

    text = (
        client_for(secretariat)
        .get(reverse("financing:import_detail", args=[job.pk]))
        .content.decode()
    )

    assert "The previous attempt did not finish; nothing was written. Attempt 2" in text
    assert '<meta http-equiv="refresh" content="2">' in text


def test_an_import_that_could_not_finish_says_so_and_offers_the_upload_again(
    client_for, secretariat
):
    from alliance87 import jobs

    job = FundingFlowImport.objects.create(
        file_name="big.csv", file_sha256="0" * 64, uploaded_by=secretariat, attempts=3
    )
    jobs.fail(FundingFlowImport, job.pk, None, "The worker stopped while running this job.")

    text = (
        client_for(secretariat)
        .get(reverse("financing:import_detail", args=[job.pk]))
        .content.decode()
    )

    assert "Nothing was imported: the import could not finish" in text
    assert "It was tried 3 times." in text
    assert "errors in the file" not in text and "Upload the file again" in text


@pytest.mark.parametrize(("role", "status"), [("gcg_member", 403), ("outsider", 404)])
def test_import_detail_is_for_the_secretariat_only(request, client_for, secretariat, role, status):
    job = FundingFlowImport.objects.create(
        file_name="f.csv", file_sha256="0" * 64, uploaded_by=secretariat
    )

    response = client_for(request.getfixturevalue(role)).get(
        reverse("financing:import_detail", args=[job.pk])
    )

    assert response.status_code == status


def test_import_detail_of_a_missing_job_is_not_found(client_for, secretariat):
    assert (
        client_for(secretariat).get(reverse("financing:import_detail", args=[999])).status_code
        == 404
    )


def test_the_import_page_says_the_limit_before_anything_is_sent(client_for, secretariat):
    html = client_for(secretariat).get(IMPORT).content.decode()

    assert "CSV, XLSX or XML; at most 10\xa0MB." in html
    assert f'data-max-bytes="{10 * 1024 * 1024}"' in html


def test_upload_of_another_kind_of_file_is_refused_next_to_the_field(client_for, secretariat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(secretariat).post(
        IMPORT, {"file": SimpleUploadedFile("notes.pdf", b"%PDF")}
    )

    html = response.content.decode()
    assert "This kind of file is not accepted (its content was checked)." in html
    assert "Upload CSV, XLSX or XML." in html


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_secretariat_downloads_the_template(client_for, secretariat, file_format):
    response = client_for(secretariat).get(reverse("financing:import_template", args=[file_format]))

    assert response.status_code == 200
    assert f"funding-flows-template.{file_format}" in response["Content-Disposition"]


@pytest.mark.parametrize("count", [0, 5])
def test_import_page_query_count_is_fixed(
    client_for, secretariat, django_assert_num_queries, count
):
    from financing.models import FundingFlowImport

    for index in range(count):
        FundingFlowImport.objects.create(
            file_name=f"f{index}.csv",
            file_sha256="0" * 64,
            uploaded_by=secretariat,
            row_count=1,
            created_count=1,
            skipped_count=0,
        )
    client = client_for(secretariat)
    # session, user, authenticator (staff two-factor), roles; recent imports with uploader,
    # function codes, action group names; session save (3)
    with django_assert_num_queries(10):
        assert client.get(IMPORT).status_code == 200


# --- Dashboard --------------------------------------------------------------------------------


def test_dashboard_summary_shows_this_years_coverage(client_for, gcg_member, country):
    year = datetime.date.today().year
    FundingRequirementFactory(country=country, year=year, amount=Decimal("1000"))
    FundingFlowFactory(
        country=country,
        year_start=year,
        amount=Decimal("250"),
        decision_date=datetime.date(year, 1, 1),
    )

    text = client_for(gcg_member).get(reverse("dashboard")).content.decode()

    assert 'id="summary-financing"' in text
    assert "25.0%" in text


def test_focal_points_dashboard_chart_draws_their_country_and_says_so(
    client_for, focal_point, country
):
    year = datetime.date.today().year
    FundingRequirementFactory(country=country, year=year, amount=Decimal("1000"))
    FundingFlowFactory(country=country, year_start=year, amount=Decimal("250"))

    text = client_for(focal_point).get(reverse("dashboard")).content.decode()

    assert f"Coverage of your country, {year}" in text
    assert f"{country.name}: 25%" in text  # the bar is the country's, not its region's
    assert "Coverage by region" not in text


def test_gap_chart_labels_each_bar_with_its_gap_and_colours_paid_alike(
    client_for, gcg_member, figures
):
    from alliance87.charts import COLOURS

    text = client_for(gcg_member).get(GAPS).content.decode()
    chart = text[text.index("<svg") : text.index("</svg>")]

    # Fiji: 100,000 required, 22,000 paid (20,000 EUR): a gap of 78,000, drawn and labelled.
    assert ">78\u00a0k</text>" in chart
    assert ">100\u00a0k</text>" not in chart
    assert f'fill="{COLOURS["paid"]}"' in chart


def test_trend_chart_leaves_a_gap_for_a_year_without_figures(client_for, gcg_member, country):
    for year in (2021, 2023):
        FundingRequirementFactory(country=country, year=year, amount=Decimal("1000"))
        FundingFlowFactory(country=country, year_start=year, year_end=year, amount=Decimal("500"))

    text = client_for(gcg_member).get(GAPS).content.decode()
    chart = text[text.index("Requirement and funding across years") :]

    assert "2022 no data" in chart
    assert "2022 0" not in chart


def test_dashboard_has_no_financing_summary_for_people_without_a_role(client_for, outsider):
    text = client_for(outsider).get(reverse("dashboard")).content.decode()

    assert 'id="summary-financing"' not in text


def test_focal_point_filters_offer_only_their_countries(client_for, focal_point, other_country):
    text = client_for(focal_point).get(GAPS).content.decode()

    assert 'name="recipient_kind"' not in text
    assert 'name="region"' not in text
    assert ">Fiji</option>" in text
    assert ">Ghana</option>" not in text


def test_xlsx_sheets_are_named_in_the_readers_language(client_for, gcg_member, figures):
    gcg_member.language = "fr"
    gcg_member.save()

    export = client_for(gcg_member).get(reverse("financing:gaps_export", args=["xlsx"]))

    assert workbook(export).sheetnames[1] == "Évolution au fil des années, en"


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client_for, gcg_member, country):
    FundingFlowFactory(source=OrganisationFactory(name="=HYPERLINK(1)"), country=country)

    export = client_for(gcg_member).get(reverse("financing:gaps_export", args=["xlsx"]))

    donors = workbook(export).worksheets[2]
    first_donor = donors.cell(row=sheet_header_row(donors) + 1, column=1)
    assert first_donor.value == "'=HYPERLINK(1)"
    assert first_donor.data_type == "s"


def test_a_filter_typed_wrong_is_explained_next_to_the_field(client_for, gcg_member, figures):
    response = client_for(gcg_member).get(GAPS, {"year_from": "soon"})

    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()
    assert 'value="soon"' in response.content.decode()


def test_a_year_beyond_the_figures_is_explained_next_to_the_field(client_for, gcg_member, figures):
    response = client_for(gcg_member).get(GAPS, {"year_from": "9" * 40, "year_to": "-1"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 2100." in text
    assert "Ensure this value is greater than or equal to" in text


@pytest.mark.parametrize("error_count", [1, 40])
def test_import_detail_query_count_is_fixed(
    client_for, secretariat, django_assert_num_queries, error_count
):
    job = FundingFlowImport.objects.create(
        file_name="f.csv",
        file_sha256="0" * 64,
        uploaded_by=secretariat,
        status=FundingFlowImport.Status.FAILED,
        error_count=error_count,
        errors=[
            [line + 2, "amount", "The amount must be more than zero."]
            for line in range(error_count)
        ],
    )
    client = client_for(secretariat)
    # session, user, authenticator (staff two-factor), roles; the import with its uploader,
    # function codes, action group names; session save (3)
    with django_assert_num_queries(10):
        assert client.get(reverse("financing:import_detail", args=[job.pk])).status_code == 200


def test_gcg_members_ask_for_the_financing_gap_pdf_from_the_gap_page(
    client_for, gcg_member, focal_point
):
    member_page = client_for(gcg_member).get(reverse("financing:gaps")).content.decode()
    focal_page = client_for(focal_point).get(reverse("financing:gaps")).content.decode()

    assert 'name="kind" value="financing_gap"' in member_page
    assert 'value="financing_gap"' not in focal_page  # the report covers every country


def test_gap_table_headers_are_in_the_readers_language(client_for, gcg_member, figures):
    gcg_member.language = "fr"
    gcg_member.save()

    response = client_for(gcg_member).get(GAPS)

    header = page_table(response, "gaps")[0]
    assert "Besoin de financement" in header
    assert "Requirement" not in header


def test_gap_page_seen_in_english_is_written_afresh_in_french(client_for, gcg_member, figures):
    client = client_for(gcg_member)
    english = page_table(client.get(GAPS), "gaps")
    gcg_member.language = "fr"
    gcg_member.save()

    french = page_table(client.get(GAPS), "gaps")

    assert "Requirement" in english[0] and "Besoin de financement" in french[0]
    assert "," in english[1][1]
    with translation.override("fr"):
        in_french = usd(Decimal(english[1][1].replace(",", "")))
    # (the table reader writes the French thousands separator, a no-break space, as a space)
    assert french[1][1] == " ".join(in_french.split()) != english[1][1]


@pytest.mark.parametrize("rows", [1, 300])
def test_import_preview_page_queries_do_not_grow_with_its_rows(
    client_for, secretariat, country, django_assert_num_queries, rows
):
    from financing.services import funding_flows_import

    OrganisationFactory(name="France")
    content = _upload([_row(reference=f"R-{n}") for n in range(rows)]).read()
    job = funding_flows_import(
        file_name="f.csv", content=content, user=secretariat, dry_run=True
    ).batch
    client = client_for(secretariat)
    # the session, user and role look-ups every page makes (5); the import; the functions
    # and action groups listed under the upload form (2): none for its rows
    with django_assert_num_queries(8):
        response = client.get(reverse("financing:import_detail", args=[job.pk]))
    assert response.status_code == 200
