import pytest

from .factories import FundingFlowFactory, FundingRequirementFactory

pytestmark = pytest.mark.django_db


def test_the_gap_by_year_and_region_is_open_data(client, country):
    FundingRequirementFactory(country=country, year=2024, amount=100000)
    FundingFlowFactory(country=country, amount=40000, year_start=2024)
    body = client.get("/api/v1/public/financing-gap/").json()
    rows = {(row["by"], row["label"]): row for row in body["results"]}
    assert rows["year", "2024"]["gap"] == 60000
    region = next(row for (by, _label), row in rows.items() if by == "region")
    assert (region["requirement"], region["funded"]) == (100000, 40000)
