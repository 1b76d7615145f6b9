import pytest

from demo import financing as demo
from demo.pathfinders import seed_countries
from financing.models import (
    ExchangeRate,
    FlowStatus,
    FundingFlow,
    FundingRequirement,
    RecipientKind,
)

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_marked_as_demo():
    seed_countries()
    demo.seed()
    counts = (
        FundingFlow.objects.count(),
        FundingRequirement.objects.count(),
        ExchangeRate.objects.count(),
    )

    demo.seed()

    assert counts == (
        FundingFlow.objects.count(),
        FundingRequirement.objects.count(),
        ExchangeRate.objects.count(),
    )
    assert counts[0] > 100
    assert not FundingFlow.objects.filter(is_demo=False).exists()
    assert not FundingRequirement.objects.filter(is_demo=False).exists()


def test_demo_covers_every_status_several_currencies_and_the_secretariat():
    seed_countries()
    demo.seed()

    assert set(FundingFlow.objects.values_list("status", flat=True)) == set(FlowStatus.values)
    assert {"USD", "EUR", "GBP", "CHF", "AUD"} <= set(
        FundingFlow.objects.values_list("currency", flat=True)
    )
    assert FundingFlow.objects.filter(recipient_kind=RecipientKind.SECRETARIAT).exists()
    years = set(FundingRequirement.objects.values_list("year", flat=True))
    assert years == set(range(2022, 2028))
    assert FundingRequirement.objects.filter(country__iso_code="FJ").exists()
