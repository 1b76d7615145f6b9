import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from alliance87.accounts import roles
from alliance87.admin import CheckedFiltersMixin
from tests.financing.factories import FundingFlowFactory
from tests.pathfinders.factories import ReportFactory

REPORTS = reverse("admin:pathfinders_progressreport_changelist")


@pytest.fixture
def report(db):
    return ReportFactory()


def test_a_filter_value_beyond_the_database_is_dropped_with_a_message(
    client_for, secretariat, report
):
    client = client_for(secretariat)

    response = client.get(REPORTS, {"period": "9" * 40, "status__exact": "draft"})
    shown = client.get(response.url)

    assert response.status_code == 302
    assert response.url == f"{REPORTS}?status__exact=draft"
    assert "The filter “Reporting period” cannot take the value “9999" in shown.content.decode()
    assert shown.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"period__id__exact": "abc"},
        {"status__exact": "a\x00b"},
        {"status__exact": "no-such-status"},
        {"pathfinder__country__ilo_region__exact": "x" * 5000},
        {"q": "Fiji\x00"},
    ],
)
def test_a_value_a_filter_cannot_take_is_refused(client_for, secretariat, report, query):
    response = client_for(secretariat).get(REPORTS, query)

    assert response.status_code == 302
    assert response.url == f"{REPORTS}?"


@pytest.mark.parametrize(("asked", "message"), [("9" * 40, True), ("2", True), ("-3", False)])
def test_a_page_number_beyond_the_list_shows_its_last_page(
    client_for, secretariat, report, asked, message
):
    response = client_for(secretariat).get(REPORTS, {"p": asked})

    page = response.content.decode()
    assert response.status_code == 200  # not Django's "Database error" page
    assert str(report.pathfinder.country) in page
    assert ("does not exist: this is the last page, 1." in page) is message


def test_a_date_bar_year_out_of_range_is_refused(client_for, secretariat, report):
    periods = reverse("admin:pathfinders_reportingperiod_changelist")

    response = client_for(secretariat).get(periods, {"opens_on__year": "9" * 40})

    assert response.url == f"{periods}?"


def test_a_value_a_custom_filter_does_not_offer_is_refused(client_for, secretariat):
    FundingFlowFactory()
    flows = reverse("admin:financing_fundingflow_changelist")

    client = client_for(secretariat)

    assert client.get(flows, {"decision_year": "abc"}).status_code == 302
    assert client.get(flows, {"decision_year": "2024"}).status_code == 200


def test_values_the_filters_take_show_the_list_at_once(client_for, secretariat, report):
    response = client_for(secretariat).get(
        REPORTS, {"status__exact": "draft", "period__id__exact": str(report.period_id)}
    )

    assert response.status_code == 200
    assert "cannot take the value" not in response.content.decode()


def test_admin_lists_of_installed_packages_check_their_filters_too():
    assert isinstance(admin.site._registry[Authenticator], CheckedFiltersMixin)


def test_the_admin_stops_listing_a_model_as_soon_as_its_permissions_are_withdrawn(
    client_for, secretariat
):
    client = client_for(secretariat)
    rates = reverse("admin:financing_exchangerate_changelist")
    assert rates in client.get(reverse("admin:index")).content.decode()

    group = Group.objects.get(name=roles.SECRETARIAT)
    group.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label="financing", codename__endswith="_exchangerate"
        )
    )

    assert rates not in client.get(reverse("admin:index")).content.decode()
    assert rates not in client.get(REPORTS).content.decode()  # nor in any page's side bar
