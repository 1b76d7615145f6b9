"""Every download of the portal, found from the URL configuration, written by alliance87.exports:
a name that starts like a formula stays text, CSV starts with a byte order mark, XLSX numbers
and dates are numeric cells, and the filters applied are named above the table."""

import codecs
import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alliance87.exports import FORMULA_PREFIXES
from governance.models import Engagement, Organisation
from tests.exports import sheet_preamble, workbook
from tests.factories import CountryFactory, OrganisationFactory
from tests.financing.factories import (
    FundingFlowFactory,
    FundingRequirementFactory,
    SecretariatFunctionFactory,
)
from tests.governance.factories import EngagementFactory, MembershipFactory, PartnerFactory
from tests.pathfinders.factories import PathfinderFactory

# A name for each way a spreadsheet cell may start a formula.
HOSTILE_NAMES = [
    '=HYPERLINK("http://x.example","Click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]

# Each download: the formats it offers, its query, and whether the records below reach it.
EXPORTS = {
    "pathfinders:overview_export": {"formats": ["csv", "xlsx"], "queries": [{}]},
    "governance:composition_csv": {"formats": [None], "queries": [{}]},
    "governance:partner_analysis_export": {"formats": ["csv", "xlsx"], "queries": [{}]},
    "financing:gaps_export": {
        "formats": ["csv", "xlsx"],
        "queries": [{"table": "gaps"}, {"table": "trends"}, {"table": "donors"}],
    },
    "financing:sustainability_export": {
        "formats": ["csv", "xlsx"],
        "queries": [{"table": "months"}, {"table": "projection"}, {"table": "functions"}],
    },
    "financing:flow_list_export": {"formats": ["csv", "xlsx"], "queries": [{}]},
    # The ledger of the organisation named like a hyperlink: its flows go to the country
    # named so.
    "financing:donor_ledger_export": {
        "formats": ["csv", "xlsx"],
        "queries": [{"table": "flows"}, {"table": "status"}, {"table": "years"}],
        "args": lambda: [Organisation.objects.get(name=HOSTILE_NAMES[0]).pk],
    },
    # A blank form to fill in and import: no records, no title above its header.
    "financing:import_template": {"formats": ["csv", "xlsx"], "queries": [{}], "blank": True},
}
DOWNLOAD_ENDING = re.compile(r"(csv|xlsx|export)$|\.<\w+:\w+>$")


def _patterns(resolvers, namespace: str = ""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner.strip(":"))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, str(entry.pattern)


def download_url_names() -> set[str]:
    """Every URL whose name or address says it is a file of rows: .csv, .xlsx, an export, or
    an address ending in a format (`gaps.<str:file_format>`)."""
    return {
        name
        for name, pattern in _patterns(get_resolver().url_patterns)
        if not name.startswith("admin:")
        and (DOWNLOAD_ENDING.search(name) or DOWNLOAD_ENDING.search(pattern))
    }


def test_every_download_of_the_portal_is_checked_here():
    found = download_url_names()

    assert {"pathfinders:overview_export", "financing:gaps_export"} <= found
    assert found == set(EXPORTS)


@pytest.fixture
def hostile_records(secretariat):
    """Records named like formulas, reaching every download."""
    organisations = [OrganisationFactory(name=name, acronym=name[:5]) for name in HOSTILE_NAMES]
    countries = [
        CountryFactory(iso_code=f"Q{letter}", name=name, ilo_region="africa")
        for letter, name in zip("ABCDEF", HOSTILE_NAMES, strict=True)
    ]
    for country in countries:
        PathfinderFactory(country=country)
        FundingRequirementFactory(country=country, amount=Decimal("100000"))
    for index, organisation in enumerate(organisations):
        MembershipFactory(organisation=organisation)
        partner = PartnerFactory(organisation=organisation)
        EngagementFactory(partner=partner, kind=Engagement.Kind.PLEDGE)
        FundingFlowFactory(source=organisation, country=countries[index], amount=Decimal("5000"))
        SecretariatFunctionFactory(name=HOSTILE_NAMES[index])
    return secretariat


def _looks_like_a_formula(text: str) -> bool:
    # A number written as such ("-5.00") is a number, not a formula.
    return text.startswith(FORMULA_PREFIXES) and not re.fullmatch(r"-?\d+(\.\d+)?", text)


def _csv_cells(response) -> list[str]:
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _check_xlsx(response, *, blank: bool) -> list[str]:
    texts, numbers = [], 0
    for sheet in workbook(response).worksheets:
        if not blank:
            assert sheet_preamble(sheet)[0][0], "a sheet starts with its title"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    # Figures are numbers, not text that looks like one.
                    assert blank or not re.fullmatch(r"-?[\d,]+\.\d+", cell.value), (
                        f"{sheet.title}!{cell.coordinate} holds a number as text"
                    )
                elif isinstance(cell.value, int | float | Decimal | datetime.date):
                    numbers += 1
    assert blank or numbers, "a download of figures holds numeric cells"
    return texts


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_download_lets_a_name_become_a_formula(client_for, hostile_records, name):
    spec = EXPORTS[name]
    client = client_for(hostile_records)
    for file_format in spec["formats"]:
        args = [*spec.get("args", list)(), *([file_format] if file_format else [])]
        url = reverse(name, args=args)
        texts = []
        for query in spec["queries"]:
            response = client.get(url, query)
            assert response.status_code == 200, (url, query)
            assert "attachment" in response["Content-Disposition"]
            if file_format == "xlsx":
                texts += _check_xlsx(response, blank=spec.get("blank", False))
            else:
                texts += _csv_cells(response)

        unguarded = [text for text in texts if _looks_like_a_formula(text)]
        assert unguarded == [], (url, unguarded)
        if not spec.get("blank"):
            guarded = [text for text in texts if text[1:] in HOSTILE_NAMES and text[0] == "'"]
            assert guarded, f"{url}: the names made for this test reach the download"


def test_a_download_names_the_filters_applied_above_its_table(client_for, hostile_records):
    response = client_for(hostile_records).get(
        reverse("financing:gaps_export", args=["xlsx"]), {"region": "africa", "year_from": "2024"}
    )

    preamble = sheet_preamble(workbook(response).worksheets[0])
    assert preamble[0][0].startswith("Financing gaps")
    assert ["Region", "Africa"] in preamble
    assert ["From year", "2024"] in preamble
