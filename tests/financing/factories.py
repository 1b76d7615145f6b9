import datetime
from decimal import Decimal

import factory

from financing.models import (
    ExchangeRate,
    FlowStatus,
    FundingFlow,
    FundingRequirement,
    RecipientKind,
    SecretariatFunction,
)
from governance.models import ActionGroup
from tests.factories import CountryFactory, OrganisationFactory


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ["year", "currency"]

    year = 2024
    currency = "EUR"
    usd_per_unit = Decimal("1.10")


class ActionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionGroup
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Action group {n}")
    kind = ActionGroup.Kind.ACTION_GROUP
    status = ActionGroup.Status.ACTIVE


class SecretariatFunctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecretariatFunction

    code = factory.Sequence(lambda n: f"function-{n}")
    name = factory.Sequence(lambda n: f"Function {n}")
    annual_cost = Decimal("100000")
    priority = factory.Sequence(lambda n: n + 1)


class FundingRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingRequirement

    recipient_kind = RecipientKind.COUNTRY
    country = factory.SubFactory(CountryFactory)
    theme = "child_labour"
    year = 2024
    amount = Decimal("100000")
    currency = "USD"


class FundingFlowFactory(factory.django.DjangoModelFactory):
    """A flow with its fingerprint set, as the services and the import set it."""

    class Meta:
        model = FundingFlow

    source = factory.SubFactory(OrganisationFactory)
    recipient_kind = RecipientKind.COUNTRY
    country = factory.SubFactory(CountryFactory)
    theme = "child_labour"
    amount = Decimal("10000")
    currency = "USD"
    decision_date = datetime.date(2024, 3, 1)
    year_start = 2024
    year_end = factory.LazyAttribute(lambda flow: flow.year_start)
    status = FlowStatus.COMMITTED
    reference = factory.Sequence(lambda n: f"REF-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        flow = model_class(*args, **kwargs)
        flow.fingerprint = flow.compute_fingerprint()
        flow.save()
        return flow
