import pytest

from tests.factories import CountryFactory

from .factories import CommitmentFactory, PathfinderFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiles(db):
    shown = PathfinderFactory(
        country=CountryFactory(iso_code="FJ", name="Fiji"),
        is_public=True,
        public_summary="Fiji's way",
    )
    hidden = PathfinderFactory(country=CountryFactory(iso_code="GH", name="Ghana"), is_public=False)
    CommitmentFactory(roadmap=RoadmapFactory(pathfinder=shown), code="1.1", title="=Formula?")
    CommitmentFactory(roadmap=RoadmapFactory(pathfinder=hidden), code="9.9")
    return shown


def test_open_data_needs_no_sign_in_and_shows_only_public_profiles(client, profiles):
    response = client.get("/api/v1/public/pathfinder-countries/")
    assert response.status_code == 200
    body = response.json()
    assert [row["iso_code"] for row in body["results"]] == ["FJ"]
    assert "CC BY 4.0" in body["licence"]
    assert "public" in response["Cache-Control"]


def test_an_unchanged_dataset_answers_304_to_its_etag(client, profiles):
    first = client.get("/api/v1/public/commitments/")
    again = client.get("/api/v1/public/commitments/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert [row["code"] for row in first.json()["results"]] == ["1.1"]


def test_open_data_csv_carries_the_licence_and_guards_formulas(client, profiles):
    text = client.get("/api/v1/public/commitments/?format=csv").content.decode()
    assert "CC BY 4.0" in text
    assert "'=Formula?" in text


def test_the_data_page_lists_every_dataset_with_its_fields(client, profiles):
    page = client.get("/data/").content.decode()
    for address in ["pathfinder-countries", "journey-stages", "commitments", "financing-gap"]:
        assert f"/api/v1/public/{address}/" in page
    assert "status_granted_on" in page
