"""Scale data of the financing app (loaded by `manage.py seed_scale`).

Funding flows topped up to the target, from the organisations on record to Pathfinder
country programmes, action groups and the Secretariat, in the currencies and years the demo's
exchange-rate table covers. Each flow is marked as a demo figure and carries a SCALE-
reference, so its fingerprint (the natural key) never collides with a real or demo flow.
"""

import datetime
import random
from decimal import Decimal

from alliance87.aggregates import aggregates_changed
from alliance87.choices import Theme
from financing.models import ExchangeRate, FlowStatus, FundingFlow, RecipientKind, flow_identity
from governance.models import ActionGroup, Organisation
from pathfinders.models import PathfinderCountry

FLOWS = 20_000
BATCH = 1000
YEARS = range(2022, 2028)
THEMES = [*Theme.values, ""]


def target_counts(factor: float) -> dict[str, int]:
    return {"funding flows": round(FLOWS * factor)}


def _status(year: int, rng: random.Random) -> str:
    if year <= 2024:
        return FlowStatus.PAID
    return rng.choice([FlowStatus.PAID, FlowStatus.COMMITTED, FlowStatus.PLEDGED])


def seed(*, factor: float, stdout=None) -> dict[str, int]:
    missing = target_counts(factor)["funding flows"] - FundingFlow.objects.count()
    if missing <= 0:
        return {"funding flows": 0}
    rng = random.Random(f"financing-scale-{factor}")
    sources = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:3000])
    countries = list(PathfinderCountry.objects.values_list("country_id", flat=True))
    groups = list(ActionGroup.objects.values_list("pk", flat=True))
    rated = set(ExchangeRate.objects.values_list("currency", "year"))
    currencies = sorted({currency for currency, _year in rated})
    taken = set(
        FundingFlow.objects.filter(reference__startswith="SCALE-").values_list(
            "reference", flat=True
        )
    )
    new: list[FundingFlow] = []
    number = 0
    while len(new) < missing:
        number += 1
        reference = f"SCALE-{number:06d}"
        if reference in taken:
            continue
        year = rng.choice(YEARS)
        currency = rng.choice(["USD", "USD", *currencies])
        if currency != "USD" and (currency, year) not in rated:
            currency = "USD"
        draw = rng.random()
        if draw < 0.75 and countries:
            recipient = {
                "recipient_kind": RecipientKind.COUNTRY,
                "country_id": rng.choice(countries),
            }
        elif draw < 0.92 and groups:
            recipient = {
                "recipient_kind": RecipientKind.ACTION_GROUP,
                "action_group_id": rng.choice(groups),
            }
        else:
            recipient = {"recipient_kind": RecipientKind.SECRETARIAT}
        flow = FundingFlow(
            source_id=rng.choice(sources),
            theme=rng.choice(THEMES),
            amount=Decimal(rng.randint(2, 400) * 5000),
            currency=currency,
            decision_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            year_start=year,
            year_end=min(year + rng.randint(0, 2), YEARS[-1]),
            status=_status(year, rng),
            reference=reference,
            description="Scale data (invented)",
            is_demo=True,
            **recipient,
        )
        flow.fingerprint = flow.compute_fingerprint()
        flow.identity_key = flow_identity(source_id=flow.source_id, reference=reference)
        new.append(flow)
    FundingFlow.objects.bulk_create(new, batch_size=BATCH)
    # bulk_create sends no save signal: the cached gap figures must go.
    aggregates_changed("financing")
    return {"funding flows": len(new)}
