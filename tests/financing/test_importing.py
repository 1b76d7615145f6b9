"""Importing files as real tools write them: Excel in French and Spanish, LibreOffice
workbooks, IATI 2.03 activity files. Exact stored values; never a guess."""

import datetime
import io
import re
import unicodedata
import zipfile
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from alliance87.texts import Text
from financing.importing import COLUMN_NAMES, Action, change_text, parse_amount
from financing.models import FlowStatus, FundingFlow, FundingFlowImport, RecipientKind
from financing.services import funding_flows_import
from tests.factories import CountryFactory, OrganisationFactory
from tests.financing.factories import ExchangeRateFactory

pytestmark = pytest.mark.django_db

HEADER = ";".join(COLUMN_NAMES)


@pytest.fixture
def lookups(country, secretariat):
    ExchangeRateFactory(year=2024, currency="GBP", usd_per_unit=Decimal("1.25"))
    ExchangeRateFactory(year=2024, currency="EUR", usd_per_unit=Decimal("1.10"))
    OrganisationFactory(name="United Kingdom", acronym="UK", iati_identifier="GB-GOV-1")
    OrganisationFactory(name="España")
    OrganisationFactory(name="Ministère de l'Emploi")
    OrganisationFactory(name="Agence Française de Développement", acronym="AFD")
    OrganisationFactory(
        name="International Labour Organization", acronym="ILO", iati_identifier="XM-DAC-41302"
    )
    CountryFactory(iso_code="CI", name="Côte d'Ivoire")
    return secretariat


def semicolon_csv(*rows: dict, header: str = HEADER) -> str:
    lines = [header]
    for row in rows:
        lines.append(";".join(row.get(name, "") for name in COLUMN_NAMES))
    # Excel ends every line with CRLF.
    return "\r\n".join(lines) + "\r\n"


def flow_row(**values) -> dict:
    return {
        "source": "España",
        "recipient_type": "country",
        "country": "FJ",
        "status": "committed",
        "year_from": "2024",
        **values,
    }


def _import(content: bytes, user, name="flows.csv", **formats):
    return funding_flows_import(file_name=name, content=content, user=user, **formats)


# --- Excel in Spanish and French -------------------------------------------------------------


def spanish_excel_file() -> bytes:
    # "CSV (delimitado por comas)" of Excel in Spanish: semicolons, Windows-1252, no BOM,
    # dots between thousands and dd/mm/yyyy dates.
    return semicolon_csv(
        flow_row(amount="250.000", currency="EUR", decision_date="15/03/2024", reference="ES-1"),
        flow_row(amount="12.500", currency="USD", decision_date="02/04/2024", reference="ES-2"),
        flow_row(
            amount="1.234.567,5", currency="EUR", decision_date="01/12/2024", reference="ES-3"
        ),
    ).encode("cp1252")


def test_spanish_excel_file_stores_the_exact_amounts(lookups):
    outcome = _import(spanish_excel_file(), lookups, number_format="comma", date_format="dmy")

    assert outcome.ok, outcome.errors
    stored = {
        flow.reference: (flow.amount, flow.currency, flow.decision_date)
        for flow in FundingFlow.objects.all()
    }
    assert stored == {
        "ES-1": (Decimal("250000.00"), "EUR", datetime.date(2024, 3, 15)),
        "ES-2": (Decimal("12500.00"), "USD", datetime.date(2024, 4, 2)),
        "ES-3": (Decimal("1234567.50"), "EUR", datetime.date(2024, 12, 1)),
    }


def test_spanish_amounts_read_with_the_dot_format_are_refused_never_shrunk(lookups):
    outcome = _import(spanish_excel_file(), lookups, number_format="dot", date_format="dmy")

    assert [(error.line, error.column) for error in outcome.errors] == [
        (2, "amount"),
        (3, "amount"),
        (4, "amount"),
    ]
    assert outcome.errors[0].message == (
        "“250.000” is ambiguous: in the format 1,234.50 it would be 250.000, but an amount has "
        "at most two decimals, and in the format 1.234,50 it is 250000. Choose the number "
        "format your file uses and upload it again."
    )
    assert FundingFlow.objects.count() == 0


def test_a_refused_amount_names_only_a_format_that_reads_it_as_an_amount():
    from financing.importing import ValueRefused, parse_amount

    with pytest.raises(ValueRefused) as refused:
        parse_amount("250.000", "space")

    # Under 1,234.50 it would have three decimals: the hint names 1.234,50 only.
    assert str(refused.value) == (
        "“250.000” is not a number in the format 1 234,50; in the format 1.234,50 it is "
        "250000. Choose the number format your file uses and upload it again."
    )


def test_french_excel_file_with_bom_and_no_break_spaces_is_read(lookups):
    # "CSV UTF-8 (délimité par des points-virgules)" of Excel in French: a byte order mark,
    # no-break spaces (narrow or not) between thousands and a decimal comma.
    content = "\ufeff" + semicolon_csv(
        flow_row(
            source="Ministère de l'Emploi",
            amount="1\u202f234\u202f567,50",
            currency="EUR",
            decision_date="15/03/2024",
            reference="FR-1",
        ),
        flow_row(
            source="Ministère de l'Emploi",
            amount="2\u00a0000",
            currency="EUR",
            decision_date="31/12/2024",
            reference="FR-2",
        ),
        flow_row(
            source="Ministère de l'Emploi",
            amount="999,5",
            currency="GBP",
            decision_date="01/01/2024",
            reference="FR-3",
        ),
    )

    outcome = _import(content.encode(), lookups, number_format="space", date_format="dmy")

    assert outcome.ok, outcome.errors
    assert sorted(FundingFlow.objects.values_list("reference", "amount", "decision_date")) == [
        ("FR-1", Decimal("1234567.50"), datetime.date(2024, 3, 15)),
        ("FR-2", Decimal("2000.00"), datetime.date(2024, 12, 31)),
        ("FR-3", Decimal("999.50"), datetime.date(2024, 1, 1)),
    ]


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        ("1,234.50", "dot", Decimal("1234.50")),
        ("1 234.50", "dot", Decimal("1234.50")),
        ("1234.5", "dot", Decimal("1234.50")),
        ("1.234,50", "comma", Decimal("1234.50")),
        ("250.000", "comma", Decimal("250000")),
        ("1 234,50", "space", Decimal("1234.50")),
        ("1\u202f234\u202f567,50", "space", Decimal("1234567.50")),
        (1234.5, "space", Decimal("1234.5")),  # a number cell needs no format
    ],
)
def test_amounts_read_in_their_format(value, number_format, expected):
    assert parse_amount(value, number_format) == expected


@pytest.mark.parametrize(
    ("value", "number_format"),
    [
        ("250.000", "dot"),  # thousands or three decimals: refused, never 250
        ("12.500", "dot"),
        ("1,234", "comma"),
        ("1.234,50", "space"),
        ("1,23,456", "dot"),
        ("12,5", "dot"),
        ("1.234.5", "comma"),
    ],
)
def test_amounts_that_do_not_read_plainly_are_refused(value, number_format):
    from financing.importing import ValueRefused

    with pytest.raises(ValueRefused):
        parse_amount(value, number_format)


def test_a_date_that_does_not_fit_the_chosen_format_is_a_row_error(lookups):
    content = semicolon_csv(
        flow_row(amount="10", currency="USD", decision_date="03/04/2024", reference="A"),
        flow_row(amount="10", currency="USD", decision_date="15/03/2024", reference="B"),
    ).encode()

    outcome = _import(content, lookups, date_format="mdy")

    assert [(error.line, error.column, error.message) for error in outcome.errors] == [
        (
            3,
            "decision_date",
            "“15/03/2024” is not a date in the format mm/dd/yyyy; in the format dd/mm/yyyy it "
            "is 2024-03-15. Choose the date format your file uses and upload it again.",
        )
    ]
    assert FundingFlow.objects.count() == 0


def test_names_match_whatever_their_unicode_form_quotes_and_dashes(lookups):
    decomposed = unicodedata.normalize("NFD", "Ministère de l\u2019Emploi")
    content = semicolon_csv(
        flow_row(
            source=decomposed,
            country=unicodedata.normalize("NFD", "CÔTE D\u2019IVOIRE"),
            amount="10",
            currency="USD",
            decision_date="2024-01-01",
            reference="X\u20131",
        )
    ).encode()

    outcome = _import(content, lookups)

    assert outcome.ok, outcome.errors
    flow = FundingFlow.objects.get()
    assert (flow.source.name, flow.country.iso_code) == ("Ministère de l'Emploi", "CI")


def test_a_french_importer_names_a_group_in_english_or_in_french(lookups):
    from governance.models import ActionGroup
    from tests.financing.factories import ActionGroupFactory

    group = ActionGroupFactory(name="Supply Chains")
    ActionGroup.objects.filter(pk=group.pk).update(name_fr="Chaînes d'approvisionnement")
    rows = [
        flow_row(
            recipient_type="action_group",
            country="",
            action_group=name,
            amount="10",
            currency="USD",
            decision_date="2024-01-01",
            reference=reference,
        )
        for name, reference in [("Supply Chains", "A"), ("Chaînes d'approvisionnement", "B")]
    ]

    with translation.override("fr"):
        outcome = _import(semicolon_csv(*rows).encode(), lookups)

    assert outcome.ok, outcome.errors
    assert FundingFlow.objects.filter(action_group=group).count() == 2


def test_a_csv_title_block_above_the_header_is_skipped(lookups):
    content = (
        "Contributions 2024;;;\r\nSecretariat, resource mobilisation;;;\r\n;;;\r\n"
        + semicolon_csv(
            flow_row(amount="10", currency="USD", decision_date="2024-01-01", reference="T")
        )
    ).encode()

    outcome = _import(content, lookups)

    assert outcome.ok, outcome.errors
    assert [row["line"] for row in outcome.rows] == [5]


def test_a_file_without_a_header_says_so(lookups):
    outcome = _import(b"a;b;c\r\n1;2;3\r\n", lookups)

    assert outcome.errors[0].line == 1
    assert outcome.errors[0].message.startswith("No header found in the first 30 lines")


# --- LibreOffice workbooks -----------------------------------------------------------------


def libreoffice_workbook(*, merge: str = "") -> bytes:
    """A title block (merged across the top, as LibreOffice users write it), the header on
    line 4, date cells, numbers, and a formula with its computed value saved."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Funding flows received in 2024"])
    sheet.merge_cells("A1:F1")
    sheet.append(["Prepared by the Secretariat"])
    sheet.append([])
    sheet.append(COLUMN_NAMES)
    base = dict.fromkeys(COLUMN_NAMES, None)
    rows = [
        {
            **base,
            "source": "Agence Française de Développement",
            "recipient_type": "country",
            "country": "FJ",
            "amount": "=1000*250",
            "currency": "EUR",
            "decision_date": datetime.datetime(2024, 3, 15),
            "year_from": 2024,
            "year_to": 2025,
            "status": "committed",
            "reference": "AFD-1",
        },
        {
            **base,
            "source": "AFD",
            "recipient_type": "secretariat",
            "amount": 1234567.5,
            "currency": "GBP",
            "decision_date": datetime.date(2024, 11, 30),
            "year_from": 2024,
            "status": "paid",
            "reference": "AFD-2",
        },
    ]
    for row in rows:
        sheet.append([row[name] for name in COLUMN_NAMES])
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_saved_formula_values(buffer.getvalue(), {"G5": "250000"})


def _with_saved_formula_values(content: bytes, values: dict[str, str]) -> bytes:
    """Add the computed value LibreOffice and Excel save beside each formula (openpyxl
    writes the formula only)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for cell, value in values.items():
                    text, count = re.subn(
                        rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                        rf"\g<1>\g<2><v>{value}</v>",
                        text,
                    )
                    assert count == 1
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_libreoffice_workbook_with_title_rows_date_cells_and_formulas(lookups):
    outcome = _import(libreoffice_workbook(), lookups, name="flows.xlsx", number_format="space")

    assert outcome.ok, outcome.errors
    first = FundingFlow.objects.get(reference="AFD-1")
    second = FundingFlow.objects.get(reference="AFD-2")
    assert (first.amount, first.currency, first.decision_date, first.year_end) == (
        Decimal("250000.00"),
        "EUR",
        datetime.date(2024, 3, 15),
        2025,
    )
    assert (second.amount, second.recipient_kind, second.decision_date, second.status) == (
        Decimal("1234567.50"),
        RecipientKind.SECRETARIAT,
        datetime.date(2024, 11, 30),
        FlowStatus.PAID,
    )
    assert [row["line"] for row in outcome.rows] == [5, 6]
    assert outcome.batch.file_kind == "xlsx"


def test_merged_cells_in_the_table_are_named(lookups):
    outcome = _import(libreoffice_workbook(merge="M5:N6"), lookups, name="flows.xlsx")

    assert len(outcome.errors) == 1
    assert outcome.errors[0].line == 5  # the merged cells' first line, not the header's
    assert "merged cells in its table: M5:N6" in outcome.errors[0].message
    assert FundingFlow.objects.count() == 0


# --- Identity and lifecycle ----------------------------------------------------------------


def test_a_corrected_file_updates_the_flow_instead_of_adding_one(lookups):
    first = semicolon_csv(
        flow_row(
            amount="250",
            currency="EUR",
            decision_date="2024-03-15",
            status="pledged",
            reference="ES-1",
        )
    )
    _import(first.encode(), lookups)
    corrected = first.replace(";250;", ";250000;").replace("pledged", "committed")

    outcome = _import(corrected.encode(), lookups)

    flow = FundingFlow.objects.get()
    assert (flow.amount, flow.status) == (Decimal("250000.00"), FlowStatus.COMMITTED)
    assert (outcome.created, outcome.updated, outcome.skipped) == (0, 1, 0)
    assert outcome.rows[0]["action"] == Action.UPDATED
    assert outcome.rows[0]["changes"] == [
        ["amount", "250.00", "250000.00"],
        ["status", "pledged", "committed"],
    ]
    # Shown in the reader's language and number conventions, whoever uploaded the file.
    with translation.override("fr"):
        assert change_text("status", "committed") == "Engagé"
        assert change_text("amount", "250000.00") == "250\xa0000,00"
    with translation.override("en"):
        assert change_text("amount", "250000.00") == "250,000.00"
    assert [record.history_type for record in flow.history.all()] == ["~", "+"]
    assert flow.history.first().amount == Decimal("250000.00")


def test_a_pledge_becomes_a_commitment_then_is_paid(lookups):
    row = flow_row(amount="1000", currency="USD", decision_date="2024-01-01", reference="P")
    for status in ("pledged", "committed", "paid"):
        outcome = _import(semicolon_csv({**row, "status": status}).encode(), lookups)
        assert outcome.ok, outcome.errors

    flow = FundingFlow.objects.get()
    assert flow.status == FlowStatus.PAID
    assert list(flow.history.values_list("status", flat=True)) == ["paid", "committed", "pledged"]


def test_reimporting_the_same_file_reports_every_row_unchanged(lookups):
    content = spanish_excel_file()
    _import(content, lookups, number_format="comma", date_format="dmy")

    outcome = _import(content, lookups, number_format="comma", date_format="dmy")

    assert (outcome.created, outcome.updated, outcome.skipped) == (0, 0, 3)
    assert {row["action"] for row in outcome.rows} == {Action.UNCHANGED}
    assert FundingFlow.objects.count() == 3


def test_a_dry_run_previews_in_both_currencies_and_writes_nothing(lookups):
    outcome = _import(
        spanish_excel_file(), lookups, number_format="comma", date_format="dmy", dry_run=True
    )

    assert outcome.batch.status == FundingFlowImport.Status.PREVIEWED
    assert FundingFlow.objects.count() == 0
    first = outcome.rows[0]
    assert (first["action"], first["amount"], first["currency"], first["usd"]) == (
        Action.ADDED,
        "250000.00",
        "EUR",
        "275000.00",
    )
    assert bytes(outcome.batch.content)  # kept until it is confirmed


# --- Undo ----------------------------------------------------------------------------------


def _two_imports(user):
    """A first import adds a pledge; a second corrects its amount, commits it, adds a flow."""
    first = semicolon_csv(
        flow_row(amount="250", currency="EUR", decision_date="2024-03-15", status="pledged",
                 reference="ES-1")
    )  # fmt: skip
    second = semicolon_csv(
        flow_row(amount="250000", currency="EUR", decision_date="2024-03-15", reference="ES-1"),
        flow_row(amount="5000", currency="USD", decision_date="2024-05-01", reference="ES-2"),
    )
    return _import(first.encode(), user).batch, _import(second.encode(), user).batch


def test_undo_restores_the_state_before_the_import(lookups):
    from financing.services import funding_flow_import_undo

    first, second = _two_imports(lookups)

    assert funding_flow_import_undo(job=second, user=lookups) == 2

    flow = FundingFlow.objects.get()
    assert (flow.reference, flow.amount, flow.status) == (
        "ES-1",
        Decimal("250.00"),
        FlowStatus.PLEDGED,
    )
    assert flow.history.first().history_change_reason == f"undo of import {second.pk}"
    second.refresh_from_db()
    assert second.undone_by == lookups
    funding_flow_import_undo(job=first, user=lookups)
    assert FundingFlow.objects.count() == 0


def test_undo_is_refused_once_a_flow_was_changed_afterwards(lookups):
    from financing.services import UndoRefused, funding_flow_import_undo

    first, _second = _two_imports(lookups)

    with pytest.raises(UndoRefused) as refusal:
        funding_flow_import_undo(job=first, user=lookups)

    assert str(refusal.value) == (
        "Undo refused: 1 flow of this import was changed or deleted after it (line 2 (ES-1)). "
        "Undo or correct that change first."
    )
    assert FundingFlow.objects.get(reference="ES-1").amount == Decimal("250000.00")


def test_undo_is_refused_after_the_stated_time(lookups, settings):
    from django.utils import timezone

    from financing.services import UndoRefused, funding_flow_import_undo

    settings.FUNDING_FLOW_IMPORT_UNDO_DAYS = 7
    job, _second = _two_imports(lookups)
    FundingFlowImport.objects.filter(pk=_second.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=8)
    )
    _second.refresh_from_db()

    with pytest.raises(UndoRefused, match="can be undone for 7 days after it ran"):
        funding_flow_import_undo(job=_second, user=lookups)
    assert FundingFlow.objects.count() == 2


def test_a_stale_preview_is_shown_again_instead_of_written(lookups):
    from financing.services import _claim_confirmed, funding_flow_import_run

    content = semicolon_csv(
        flow_row(amount="10", currency="USD", decision_date="2024-01-01", reference="S")
    ).encode()
    preview = _import(content, lookups, dry_run=True).batch
    _import(content.replace(b";10;", b";20;"), lookups)  # someone imports meanwhile

    _claim_confirmed(preview.pk, lookups)
    funding_flow_import_run(job_id=preview.pk)

    preview.refresh_from_db()
    assert (preview.status, preview.preview_changed) == (FundingFlowImport.Status.PREVIEWED, True)
    assert preview.rows[0]["changes"] == [["amount", "20.00", "10.00"]]
    assert FundingFlow.objects.get().amount == Decimal("20.00")


# --- IATI ----------------------------------------------------------------------------------


def iati_file(*, second_value: str = "50000.50", extra: str = "") -> bytes:
    """An IATI 2.03 activity file as the standard writes it (iatistandard.org, 2.03)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2024-06-01T09:00:00Z">
 <iati-activity last-updated-datetime="2024-06-01T09:00:00Z" xml:lang="en" default-currency="GBP">
  <iati-identifier>GB-GOV-1-300123</iati-identifier>
  <reporting-org ref="GB-GOV-1" type="10"><narrative>United Kingdom</narrative></reporting-org>
  <title><narrative>Child labour monitoring in Fiji</narrative></title>
  <participating-org ref="GB-GOV-1" role="1" type="10"><narrative>UK</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date iso-date="2024-01-01" type="2"/>
  <recipient-country code="FJ" percentage="100"/>
  <sector vocabulary="99" code="child_labour"><narrative>Child labour</narrative></sector>
  <transaction ref="T1">
   <transaction-type code="12"/>
   <transaction-date iso-date="2024-01-10"/>
   <value currency="GBP" value-date="2024-01-10">100000</value>
  </transaction>
  <transaction ref="T2">
   <transaction-type code="2"/>
   <transaction-date iso-date="2024-03-14"/>
   <value currency="EUR" value-date="2024-03-15">{second_value}</value>
   <provider-org ref="GB-GOV-1"><narrative>FCDO</narrative></provider-org>
   <receiver-org ref="XM-DAC-41302"><narrative>ILO</narrative></receiver-org>
  </transaction>
  <transaction ref="T3">
   <transaction-type code="3"/>
   <transaction-date iso-date="2024-04-01"/>
   <value value-date="2024-04-01">2500</value>
   <provider-org ref="XX-NOWHERE-9"><narrative>Ministry of Nowhere</narrative></provider-org>
  </transaction>
  <transaction ref="T4">
   <transaction-type code="5"/>
   <transaction-date iso-date="2024-04-02"/>
   <value value-date="2024-04-02">10</value>
  </transaction>
  <transaction ref="T5">
   <transaction-type code="1"/>
   <transaction-date iso-date="2024-05-02"/>
   <value value-date="2024-05-02">7000</value>
   <provider-org><narrative>Agence Fran\u00e7aise de D\u00e9veloppement</narrative></provider-org>
  </transaction>
  <transaction ref="T6">
   <transaction-type code="13"/>
   <transaction-date iso-date="2024-05-03"/>
   <value value-date="2024-05-03">1000</value>
  </transaction>{extra}
 </iati-activity>
 <iati-activity default-currency="USD">
  <iati-identifier>GB-GOV-1-300999</iati-identifier>
  <reporting-org ref="GB-GOV-1" type="10"><narrative>United Kingdom</narrative></reporting-org>
  <title><narrative>Regional programme</narrative></title>
  <recipient-region code="298" vocabulary="1"/>
  <transaction ref="R1">
   <transaction-type code="3"/>
   <transaction-date iso-date="2024-02-01"/>
   <value value-date="2024-02-01">900</value>
  </transaction>
 </iati-activity>
</iati-activities>
""".encode()


def test_iati_transactions_become_flows_and_the_others_are_listed_with_a_reason(lookups):
    outcome = _import(iati_file(), lookups, name="activities.xml")

    assert outcome.ok, outcome.errors
    stored = {
        flow.reference: (
            flow.source.name,
            flow.country.iso_code,
            flow.status,
            flow.amount,
            flow.currency,
            flow.decision_date,
            flow.theme,
        )
        for flow in FundingFlow.objects.select_related("source", "country")
    }
    assert stored == {
        "T1": ("United Kingdom", "FJ", "pledged", Decimal("100000.00"), "GBP",
               datetime.date(2024, 1, 10), "child_labour"),
        "T2": ("United Kingdom", "FJ", "committed", Decimal("50000.50"), "EUR",
               datetime.date(2024, 3, 15), "child_labour"),
        "T5": ("Agence Française de Développement", "FJ", "paid", Decimal("7000.00"), "GBP",
               datetime.date(2024, 5, 2), "child_labour"),
    }  # fmt: skip
    assert FundingFlow.objects.get(reference="T1").description == "Child labour monitoring in Fiji"
    not_placed = [
        (row["line"], str(Text.from_json(row["reason"])))
        for row in outcome.rows
        if row["action"] == "not_placed"
    ]
    assert not_placed == [
        (24, "The provider “Ministry of Nowhere” (XX-NOWHERE-9) is not recorded in the portal: "
             "record the organisation with its IATI identifier."),
        (30, "Transaction type 5 is not a pledge (12, 13), a commitment (2, 11) or a payment "
             "(1, 3, 4)."),
        (41, "Incoming money without a provider-org: its source is unknown."),
        (52, "The recipient is a region (code 298), not a country: it has no country programme."),
    ]  # fmt: skip
    assert outcome.batch.file_kind == "iati"


def test_a_corrected_iati_file_updates_its_transactions(lookups):
    _import(iati_file(), lookups, name="activities.xml")

    outcome = _import(iati_file(second_value="60000"), lookups, name="activities.xml")

    assert (outcome.created, outcome.updated, outcome.skipped) == (0, 1, 2)
    assert FundingFlow.objects.get(reference="T2").amount == Decimal("60000.00")
    assert FundingFlow.objects.count() == 3


def test_iati_file_that_is_not_well_formed_names_its_line(lookups):
    content = iati_file().replace(b"Regional programme", b"Regional & programme")

    outcome = _import(content, lookups, name="activities.xml")

    assert [(error.line, error.column) for error in outcome.errors] == [(50, "")]
    assert outcome.errors[0].message.startswith(
        "The file is not well-formed XML: not well-formed (invalid token) at line 50"
    )
    assert FundingFlow.objects.count() == 0


def test_iati_file_with_an_impossible_date_names_its_line(lookups):
    content = iati_file().replace(b'value-date="2024-01-10"', b'value-date="2024-02-30"')

    outcome = _import(content, lookups, name="activities.xml")

    assert [(error.line, error.column) for error in outcome.errors] == [(12, "decision_date")]
    assert FundingFlow.objects.count() == 0


def test_xml_entities_are_never_expanded(lookups):
    from django.core.exceptions import ValidationError

    from financing.importing import check_file

    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        b'<iati-activities version="2.03">&lol2;</iati-activities>'
    )

    with pytest.raises(ValidationError):  # refused as it is uploaded
        _import(bomb, lookups, name="activities.xml")
    checked = check_file("activities.xml", bomb)  # and by the parser itself
    assert "declares a document type (DOCTYPE)" in checked.errors[0].message
    assert checked.errors[0].line == 2


def test_other_iati_versions_are_refused_with_the_versions_read(lookups):
    content = iati_file().replace(b'version="2.03"', b'version="1.05"')

    outcome = _import(content, lookups, name="activities.xml")

    assert outcome.errors[0].message == (
        "IATI version “1.05” is not read here; versions 2.01, 2.02 and 2.03 are."
    )


# --- The command -----------------------------------------------------------------------------


def test_import_flows_command_runs_a_dry_run_then_the_import(lookups, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "activities.xml"
    path.write_bytes(iati_file())
    out = io.StringIO()

    call_command("import_flows", str(path), "--dry-run", stdout=out)

    text = out.getvalue()
    assert FundingFlow.objects.count() == 0
    # The preview's words, as on the import's page: nothing is added yet.
    assert (
        "Rows read: 7; flows to add: 3, to update: 0, unchanged: 0, not placed: 4; errors: 0."
        in text
    )
    assert (
        "Line 12: to add. United Kingdom → Fiji, T1: 100000.00 GBP (125000.00 USD), Pledged" in text
    )
    assert "Dry run: nothing was written." in text

    out = io.StringIO()
    call_command("import_flows", str(path), stdout=out)
    assert FundingFlow.objects.count() == 3
    assert "flows added: 3, updated: 0" in out.getvalue()
    assert "Line 12: added. United Kingdom → Fiji" in out.getvalue()


# --- Receivers, references and formulas ---------------------------------------------------


def test_iati_receivers_are_matched_by_identifier_and_incoming_money_goes_to_the_reporter(
    lookups,
):
    outcome = _import(iati_file(), lookups, name="activities.xml")

    assert outcome.ok, outcome.errors
    receivers = {
        flow.reference: flow.receiver.name if flow.receiver else None
        for flow in FundingFlow.objects.select_related("receiver")
    }
    # T2 names the ILO by its IATI identifier; T5 is incoming funds, received by the
    # reporting organisation; T1 is a pledge the reporter makes, to no one named.
    assert receivers == {
        "T1": None,
        "T2": "International Labour Organization",
        "T5": "United Kingdom",
    }


def test_an_iati_receiver_not_recorded_is_not_placed_with_its_reason(lookups):
    extra = """
  <transaction ref="T7">
   <transaction-type code="3"/>
   <transaction-date iso-date="2024-06-01"/>
   <value value-date="2024-06-01">300</value>
   <receiver-org ref="FJ-GOV-77"><narrative>Ministry of Employment, Fiji</narrative></receiver-org>
  </transaction>"""

    outcome = _import(iati_file(extra=extra), lookups, name="activities.xml")

    reasons = [
        str(Text.from_json(row["reason"])) for row in outcome.rows if row["action"] == "not_placed"
    ]
    assert (
        "The receiver “Ministry of Employment, Fiji” (FJ-GOV-77) is not recorded in the portal: "
        "record the organisation with its IATI identifier."
    ) in reasons
    assert not FundingFlow.objects.filter(reference="T7").exists()


def test_an_iati_transaction_without_reference_is_updated_when_its_value_is_corrected(lookups):
    def file_with(value: str) -> bytes:
        return iati_file(
            extra=f"""
  <transaction>
   <transaction-type code="2"/>
   <transaction-date iso-date="2024-07-01"/>
   <value currency="GBP" value-date="2024-07-01">{value}</value>
  </transaction>"""
        )

    _import(file_with("8000"), lookups, name="activities.xml")
    outcome = _import(file_with("8500"), lookups, name="activities.xml")

    assert (outcome.created, outcome.updated) == (0, 1)
    unnamed = FundingFlow.objects.filter(decision_date=datetime.date(2024, 7, 1))
    assert [flow.amount for flow in unnamed] == [Decimal("8500.00")]


def test_a_csv_receiver_is_stored_and_an_unknown_one_is_named_at_its_column(lookups):
    content = semicolon_csv(
        flow_row(amount="100", currency="EUR", decision_date="2024-03-01", reference="R-1",
                 receiver="ILO"),
        flow_row(amount="200", currency="EUR", decision_date="2024-03-02", reference="R-2",
                 receiver="Nowhere Agency"),
    ).encode()  # fmt: skip

    outcome = _import(content, lookups)

    assert [(error.line, error.column) for error in outcome.errors] == [(3, "receiver")]
    assert "Unknown organisation “Nowhere Agency”" in outcome.errors[0].message

    outcome = _import(content.replace(b"Nowhere Agency", b""), lookups)
    assert outcome.ok, outcome.errors
    assert FundingFlow.objects.get(reference="R-1").receiver.name == (
        "International Labour Organization"
    )
    assert FundingFlow.objects.get(reference="R-2").receiver is None


def test_a_formula_saved_without_its_result_is_named_not_taken_for_an_empty_cell(lookups):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMN_NAMES)
    row = dict.fromkeys(COLUMN_NAMES, None) | flow_row(
        amount="=SUM(1,2)", currency="EUR", decision_date="2024-03-01", reference="F-1"
    )
    sheet.append([row[name] for name in COLUMN_NAMES])
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl saves formulas without their results

    outcome = _import(buffer.getvalue(), lookups, name="flows.xlsx")

    assert [(error.line, error.column, error.message) for error in outcome.errors] == [
        (
            2,
            "amount",
            "The cell holds a formula (=SUM(1,2)) saved without its result. Open the file in "
            "Excel or LibreOffice, save it there, and import it again.",
        )
    ]
    assert FundingFlow.objects.count() == 0


def test_row_errors_and_reasons_are_kept_to_be_read_in_each_readers_language(lookups):
    from django.utils import translation

    from financing.importing import summary_lines
    from financing.services import import_errors

    content = semicolon_csv(
        flow_row(amount="10", currency="USD", decision_date="15/03/2024", reference="B"),
    ).encode()
    with translation.override("fr"):
        job = _import(content, lookups, date_format="mdy").batch
        placed = _import(iati_file(), lookups, name="activities.xml").batch
    job.refresh_from_db()
    placed.refresh_from_db()

    with translation.override("en"):
        assert str(import_errors(job)[0].message) == (
            "“15/03/2024” is not a date in the format mm/dd/yyyy; in the format dd/mm/yyyy it "
            "is 2024-03-15. Choose the date format your file uses and upload it again."
        )
        assert "Line 52: not placed. The recipient is a region (code 298)" in "\n".join(
            summary_lines(placed)
        )
    with translation.override("es"):
        assert str(import_errors(job)[0].message).startswith(
            "«15/03/2024» no es una fecha en el formato mm/dd/aaaa; en el formato dd/mm/aaaa"
        )
