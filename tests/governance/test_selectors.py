import datetime

import pytest
from django.utils import translation

from alliance87.models import IloRegion
from governance import selectors
from governance.models import Membership, Organisation
from tests.factories import CountryFactory, OrganisationFactory

from .factories import (
    ConstituencyFactory,
    EngagementFactory,
    MembershipFactory,
    PartnerFactory,
    PartnerServiceFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db


def table(data, key):
    return next(t for t in data["tables"] if t.key == key)


@pytest.fixture
def partners(db):
    ghana = CountryFactory(iso_code="GH", name="Ghana", ilo_region=IloRegion.AFRICA)
    busy = PartnerFactory(organisation=OrganisationFactory(name="Busy NGO", country=ghana))
    quiet = PartnerFactory(
        organisation=OrganisationFactory(
            name="Quiet Union", kind=Organisation.Kind.WORKERS, country=ghana
        )
    )
    silent = PartnerFactory(
        organisation=OrganisationFactory(name="Silent Lab", kind=Organisation.Kind.ACADEMIA)
    )
    EngagementFactory.create_batch(3, partner=busy, kind="event", date=datetime.date(2023, 5, 1))
    EngagementFactory(partner=busy, kind="pledge", date=datetime.date(2025, 5, 1))
    EngagementFactory(partner=quiet, kind="knowledge", date=datetime.date(2021, 5, 1))
    PartnerServiceFactory(partner=silent, kind="convening")
    return busy, quiet, silent


def test_engagement_by_type_counts_records_and_partners(partners):
    rows = table(selectors.partner_analysis(), "by_kind").rows
    assert rows[0] == ["Event participation", 3, 1]
    assert ["Knowledge contribution", 1, 1] in rows
    assert ["Action group membership", 0, 0] in rows


def test_engagement_by_organisation_type_includes_partners_without_records(partners):
    rows = table(selectors.partner_analysis(), "by_org_kind").rows
    assert ["Academia", 1, 0, 0, 0.0] in rows
    assert ["Civil society organisation", 1, 1, 4, 4.0] in rows


def test_partners_without_a_country_count_as_international(partners):
    rows = table(selectors.partner_analysis(), "by_region").rows
    assert rows == [["Africa", 2, 2, 5, 2.5], ["International (no country)", 1, 0, 0, 0.0]]


def test_engagement_over_time_has_a_row_for_every_year_and_a_total(partners):
    data = table(selectors.partner_analysis(), "over_time")
    assert [row[0] for row in data.rows] == ["2021", "2022", "2023", "2024", "2025"]
    assert data.headers[-1] == "Total"
    assert [row[-1] for row in data.rows] == [1, 0, 3, 0, 1]


def test_least_engaged_partners_come_first_with_no_record_at_the_top(partners):
    rows = table(selectors.partner_analysis(), "least_engaged").rows
    assert [row[0] for row in rows] == ["Silent Lab", "Quiet Union", "Busy NGO"]
    assert rows[1][4:] == [1, datetime.date(2021, 5, 1)]


def test_the_period_filter_applies_to_every_table(partners):
    data = selectors.partner_analysis(
        start=datetime.date(2024, 1, 1), end=datetime.date(2025, 12, 31)
    )
    assert data["figures"]["records"] == 1
    assert [row[0] for row in table(data, "least_engaged").rows][:2] == [
        "Quiet Union",
        "Silent Lab",
    ]
    assert table(data, "services").rows == [["Convening and networking", 1, 1]]


def test_the_organisation_type_and_region_filters_narrow_the_partners(partners):
    data = selectors.partner_analysis(organisation_kind="workers", region="africa")
    assert data["figures"] == {"partners": 1, "engaged": 1, "records": 1, "services": 0}


def test_cached_figures_are_labelled_in_each_readers_language(partners):
    with translation.override("fr"):
        french = table(selectors.partner_analysis(), "by_kind")
    english = table(selectors.partner_analysis(), "by_kind")
    assert french.title == "Collaboration par type"
    assert english.title == "Engagement by type"
    assert english.rows[0] == ["Event participation", 3, 1]


def test_each_filter_has_its_own_cached_figures(partners):
    assert selectors.partner_analysis(kind="pledge")["figures"]["records"] == 1
    assert selectors.partner_analysis(kind="event")["figures"]["records"] == 3
    assert selectors.partner_analysis(region="global")["figures"]["partners"] == 1


def test_an_empty_selection_yields_empty_tables_not_errors(db):
    data = selectors.partner_analysis()
    assert data["figures"]["records"] == 0
    assert table(data, "over_time").rows == []
    assert data["charts"]["over_time"] == ""


def test_an_observer_that_became_a_member_is_listed_once_as_member(db):
    constituency = ConstituencyFactory(code="cso", seat_quota=1)
    seat = SeatFactory(constituency=constituency, number=1)
    organisation = OrganisationFactory(name="Walk Free")
    today = datetime.date.today()
    MembershipFactory(
        organisation=organisation,
        seat=None,
        constituency=constituency,
        role=Membership.Role.OBSERVER,
        term_start=today - datetime.timedelta(days=900),
        term_end=today - datetime.timedelta(days=31),
    )
    MembershipFactory(
        organisation=organisation,
        seat=seat,
        term_start=today - datetime.timedelta(days=30),
        term_end=today + datetime.timedelta(days=1000),
    )
    group = selectors.composition()["groups"][0]
    assert [m.organisation.name for m in group["members"]] == ["Walk Free"]
    assert group["observers"] == []


def test_the_dashboard_summary_is_none_for_people_without_a_role(outsider):
    assert selectors.dashboard_summary(user=outsider) is None


def test_the_dashboard_summary_counts_members_and_observers(gcg_member):
    MembershipFactory()
    MembershipFactory(
        seat=None,
        constituency=ConstituencyFactory(),
        role=Membership.Role.OBSERVER,
        term_end=None,
        term_start=datetime.date(2020, 1, 1),
    )
    summary = selectors.dashboard_summary(user=gcg_member)
    assert (summary["members"], summary["observers"]) == (1, 1)
