import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from financing.models import (
    ExchangeRate,
    FlowStatus,
    FundingFlow,
    FundingRequirement,
    RecipientKind,
)
from tests.factories import OrganisationFactory
from tests.financing.factories import FundingFlowFactory, FundingRequirementFactory

pytestmark = pytest.mark.django_db


def test_exchange_rate_for_usd_is_refused():
    rate = ExchangeRate(year=2024, currency="USD", usd_per_unit=Decimal("1"))

    with pytest.raises(ValidationError) as error:
        rate.full_clean()

    assert "currency" in error.value.message_dict


def test_unknown_currency_code_is_refused(country):
    requirement = FundingRequirement(
        recipient_kind=RecipientKind.COUNTRY,
        country=country,
        year=2024,
        amount=Decimal("1"),
        currency="ABC",
    )

    with pytest.raises(ValidationError) as error:
        requirement.full_clean()

    assert error.value.message_dict["currency"] == ["ABC is not an ISO 4217 currency code."]


def test_database_refuses_a_country_flow_without_a_country():
    flow = FundingFlowFactory.build(country=None, source=OrganisationFactory())
    flow.fingerprint = "x" * 64

    with pytest.raises(IntegrityError):
        flow.save()


def test_database_refuses_a_second_flow_with_the_same_fingerprint(country):
    flow = FundingFlowFactory(country=country)
    twin = FundingFlow(
        source=flow.source,
        recipient_kind=flow.recipient_kind,
        country=country,
        theme=flow.theme,
        amount=flow.amount,
        currency=flow.currency,
        decision_date=flow.decision_date,
        year_start=flow.year_start,
        year_end=flow.year_end,
        status=FlowStatus.PAID,
        reference=flow.reference,
        fingerprint=flow.fingerprint,
    )

    with pytest.raises(IntegrityError):
        twin.save()


def test_one_requirement_per_country_theme_and_year(country):
    FundingRequirementFactory(country=country, theme="child_labour", year=2024)

    with pytest.raises(IntegrityError):
        FundingRequirementFactory(country=country, theme="child_labour", year=2024)


def test_flow_years_must_be_in_order(country):
    flow = FundingFlowFactory.build(
        country=country, source=OrganisationFactory(), year_start=2025, year_end=2024
    )

    with pytest.raises(ValidationError) as error:
        flow.full_clean(exclude=["fingerprint"])

    assert "year_end" in error.value.message_dict


def test_fingerprint_ignores_status_and_case_of_the_reference(country):
    source = OrganisationFactory()
    common = {
        "source": source,
        "recipient_kind": RecipientKind.COUNTRY,
        "country": country,
        "amount": Decimal("10.0"),
        "currency": "USD",
        "decision_date": datetime.date(2024, 1, 1),
        "year_start": 2024,
        "year_end": 2024,
    }
    pledged = FundingFlow(**common, status=FlowStatus.PLEDGED, reference="ab-1")
    paid = FundingFlow(**common, status=FlowStatus.PAID, reference="AB-1 ")

    assert pledged.compute_fingerprint() == paid.compute_fingerprint()
