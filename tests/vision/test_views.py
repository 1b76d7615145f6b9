"""The "Vision and progress" page, as each role opens it."""

import pytest
from django.urls import reverse

from tests.factories import CountryFactory
from tests.pathfinders.factories import CommitmentFactory, PathfinderFactory, RoadmapFactory
from tests.workshops.factories import EventFactory

from .factories import child_labour_estimates, forced_labour_estimates

pytestmark = pytest.mark.django_db

URL = reverse("vision:progress")


@pytest.fixture
def demo(accepted):
    child_labour_estimates()
    forced_labour_estimates()
    CommitmentFactory(
        roadmap=RoadmapFactory(pathfinder=accepted.pathfinder),
        durban_areas=["agriculture"],
        progress_percent=30,
    )
    EventFactory(title="Strategy workshop", durban_areas=["financing"])
    return accepted


def test_a_gcg_member_sees_deadlines_estimates_funnel_durban_and_accountability(
    demo, client_for, gcg_member
):
    response = client_for(gcg_member).get(URL)

    text = response.content.decode()
    assert response.status_code == 200
    assert "By 2025" in text and "Deadline passed" in text and "By 2030" in text
    assert "Target missed" in text and "5.5 million children fewer a year" in text
    assert "ILO and UNICEF" in text and "Global estimates 2024" in text
    assert reverse("pathfinders:country_detail", args=["FJ"]) in text
    assert "Ending child labour in agriculture" in text and "30% progress on average" in text
    assert "Strategy workshop" in text
    assert "Progress rating by ILO region" in text
    assert "Change the stage of" not in text


def test_the_secretariat_gets_a_stage_change_link_for_each_country(demo, client_for, secretariat):
    response = client_for(secretariat).get(URL)

    assert reverse("pathfinders:country_stage", args=["FJ"]) in response.content.decode()


def test_the_funnel_shows_only_the_region_asked_for(demo, client_for, gcg_member):
    response = client_for(gcg_member).get(URL, {"region": "africa"})

    text = response.content.decode()
    assert reverse("pathfinders:country_detail", args=["GH"]) in text
    assert reverse("pathfinders:country_detail", args=["FJ"]) not in text


def test_a_region_that_does_not_exist_is_named_and_the_page_still_answers(
    demo, client_for, gcg_member
):
    response = client_for(gcg_member).get(URL, {"region": "atlantis"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_people_without_a_role_do_not_get_the_page(demo, client_for, outsider):
    response = client_for(outsider).get(URL)

    assert response.status_code == 404


def test_a_focal_point_reads_the_page_and_opens_other_countries_by_their_public_profile(
    demo, client_for, focal_point
):
    from alliance87.models import FocalPoint
    from pathfinders.models import PathfinderCountry

    response = client_for(focal_point).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    own = FocalPoint.objects.filter(user=focal_point).values_list("country__iso_code", flat=True)
    for pathfinder in PathfinderCountry.objects.select_related("country"):
        iso = pathfinder.country.iso_code
        detail = reverse("pathfinders:country_detail", args=[iso])
        public = reverse("pathfinders:public_detail", args=[iso])
        if iso in own:
            assert f'href="{detail}"' in page
        else:
            assert f'href="{detail}"' not in page
            assert (f'href="{public}"' in page) == pathfinder.is_public
    assert "Change the stage of" not in page


def test_anonymous_visitors_are_sent_to_sign_in(demo, client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_navigation_offers_the_page_to_every_reader_with_a_role(
    demo, client_for, gcg_member, focal_point, outsider
):
    dashboard = reverse("dashboard")

    assert URL in client_for(gcg_member).get(dashboard).content.decode()
    assert URL in client_for(focal_point).get(dashboard).content.decode()
    assert URL not in client_for(outsider).get(dashboard).content.decode()


# The page: session, user, groups (3); the estimates: series, figures (2); the pipeline's
# countries (1); the Durban roll-up: commitments, the current period, the indicators, the
# rates and one query for each of the six areas' funding, the events (11); the headline,
# as the overview: countries, opened periods, then its cached figures: reports, indicator
# count, filled values, the ratings' reports, indicators, values, country targets (9); the
# session save (3).
VISION_QUERIES = 29


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_query_count_does_not_grow_with_countries(
    count, demo, client_for, gcg_member, django_assert_num_queries
):
    for index in range(count):
        iso = f"X{chr(65 + index % 26)}" if index < 26 else f"Z{chr(65 + index % 26)}"
        pathfinder = PathfinderFactory(country=CountryFactory(iso_code=iso, name=f"Land {iso}"))
        CommitmentFactory(roadmap=RoadmapFactory(pathfinder=pathfinder), durban_areas=["education"])
        EventFactory(durban_areas=["education"])
    client = client_for(gcg_member)

    with django_assert_num_queries(VISION_QUERIES):
        response = client.get(URL)

    assert response.content.decode().count("Land X") >= min(count, 26)
