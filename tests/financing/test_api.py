import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from financing.models import FundingFlow
from tests.api_clients import token_client
from tests.factories import CountryFactory, OrganisationFactory

from .factories import FundingFlowFactory, FundingRequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flows(country, other_country):
    FundingRequirementFactory(country=country, amount=50000)
    FundingRequirementFactory(country=other_country, amount=80000)
    return [
        FundingFlowFactory(country=country, reference="FJ-1"),
        FundingFlowFactory(country=other_country, reference="GH-1"),
    ]


def test_focal_point_reads_only_their_countrys_flows(focal_point, flows):
    response = token_client(focal_point).get("/api/v1/financing/flows/")
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == ["FJ-1"]


def test_gaps_are_the_pages_tables(gcg_member, flows, client_for):
    api = token_client(gcg_member).get("/api/v1/financing/gaps/?group_by=country").json()
    page = client_for(gcg_member).get("/financing/?group_by=country")
    assert [t["key"] for t in api["tables"]] == [t.key for t in page.context["tables"]]
    assert api["tables"][0]["rows"][0][0] == page.context["tables"][0].rows[0][0]


def test_gaps_csv_is_the_pages_download(gcg_member, flows, client_for):
    api = token_client(gcg_member).get("/api/v1/financing/gaps/?format=csv&table=gaps")
    page = client_for(gcg_member).get("/financing/gaps.csv?table=gaps")
    assert api.content == page.content


def test_a_focal_point_may_not_read_the_secretariats_funding(focal_point):
    assert token_client(focal_point).get("/api/v1/financing/sustainability/").status_code == 404


def _rows():
    return [
        {
            "source": "Donor",
            "recipient_type": "country",
            "country": "FJ",
            "theme": "child_labour",
            "amount": "1000",
            "currency": "USD",
            "decision_date": "2024-05-01",
            "year_from": "2024",
            "status": "committed",
            "reference": "API-1",
        }
    ]


def test_secretariat_upserts_flows_by_identity_with_a_dry_run_first(secretariat, country):
    OrganisationFactory(name="Donor")
    client = token_client(secretariat)
    dry = client.post(
        "/api/v1/financing/flows/import/", {"rows": _rows(), "dry_run": True}, format="json"
    )
    assert dry.status_code == 200, dry.json()
    # A dry run says what the rows would do, and writes nothing.
    assert dry.json()["created"] == 1 and not FundingFlow.objects.exists()
    done = client.post("/api/v1/financing/flows/import/", {"rows": _rows()}, format="json")
    assert done.json()["created"] == 1
    changed = _rows()
    changed[0]["amount"] = "2000"
    again = client.post("/api/v1/financing/flows/import/", {"rows": changed}, format="json")
    assert (again.json()["created"], again.json()["updated"]) == (0, 1)
    assert FundingFlow.objects.get().amount == 2000


def test_an_import_row_error_names_the_row_and_column(secretariat, country):
    OrganisationFactory(name="Donor")
    rows = _rows()
    rows[0]["amount"] = "lots"
    response = token_client(secretariat).post(
        "/api/v1/financing/flows/import/", {"rows": rows}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["rows.0.amount"]
    assert not FundingFlow.objects.exists()


def test_only_the_secretariat_imports(gcg_member, focal_point):
    body = {"rows": _rows()}
    assert (
        token_client(gcg_member)
        .post("/api/v1/financing/flows/import/", body, format="json")
        .status_code
        == 403
    )
    assert (
        token_client(focal_point)
        .post("/api/v1/financing/flows/import/", body, format="json")
        .status_code
        == 403
    )


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/api/v1/financing/flows/", "/api/v1/financing/requirements/", "/api/v1/financing/gaps/"],
)
def test_list_endpoints_run_as_many_queries_for_more_flows(gcg_member, flows, url):
    client = token_client(gcg_member)
    few = _count(client, url)
    for index in range(5):
        place = CountryFactory(iso_code=f"Z{chr(65 + index)}", name=f"Land {index}")
        FundingRequirementFactory(country=place)
        FundingFlowFactory(country=place)
    # The token, the roles, the rates, the rows (with their count), the request log.
    assert _count(client, url) == few
