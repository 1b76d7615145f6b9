import pytest
from django.urls import reverse

from alliance87.models import Country, FocalPoint


@pytest.mark.parametrize("model", [Country, FocalPoint], ids=lambda m: m.__name__)
def test_secretariat_opens_the_reference_data_lists_with_search_and_filters(
    model, client_for, secretariat, focal_point
):
    url = reverse(f"admin:alliance87_{model._meta.model_name}_changelist")
    response = client_for(secretariat).get(url, {"q": "Fiji"})

    assert response.status_code == 200
    assert "Fiji" in response.text


def test_a_focal_points_history_opens_in_the_admin(client_for, secretariat, focal_point):
    assignment = FocalPoint.objects.get(user=focal_point)
    url = reverse("admin:alliance87_focalpoint_history", args=[assignment.pk])

    response = client_for(secretariat).get(url)

    assert response.status_code == 200
    assert "Fiji" in response.text


def test_a_country_lists_the_people_who_answer_for_it(client_for, secretariat, focal_point):
    country = Country.objects.get(iso_code="FJ")
    url = reverse("admin:alliance87_country_change", args=[country.pk])

    response = client_for(secretariat).get(url)

    assert response.status_code == 200
    assert str(focal_point) in response.text
