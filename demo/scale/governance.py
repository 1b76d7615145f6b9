"""Scale data of the governance app (loaded by `manage.py seed_scale`).

Organisations, partners and engagement records topped up to the targets, each marked as demo
data. A partner is one organisation (a one-to-one link), so the partner target also raises
the number of organisations when it is the larger one.
"""

import datetime
import random

from alliance87.models import Country
from governance.models import Engagement, Organisation, Partner

ORGANISATIONS = 2_000
PARTNERS = 5_000
ENGAGEMENTS = 50_000
BATCH = 1000
PREFIX = "Scale organisation"
# The kinds of the partner network, weighted as in the demo.
KINDS = (
    [Organisation.Kind.CIVIL_SOCIETY] * 5
    + [Organisation.Kind.PRIVATE_SECTOR] * 2
    + [
        Organisation.Kind.ACADEMIA,
        Organisation.Kind.GOVERNMENT,
        Organisation.Kind.WORKERS,
        Organisation.Kind.EMPLOYERS,
        Organisation.Kind.OTHER,
    ]
)


def target_counts(factor: float) -> dict[str, int]:
    return {
        "organisations": round(ORGANISATIONS * factor),
        "partners": round(PARTNERS * factor),
        "engagements": round(ENGAGEMENTS * factor),
    }


def _organisations(count: int, rng: random.Random) -> int:
    if count <= 0:
        return 0
    country_ids = list(Country.objects.values_list("pk", flat=True))
    names = set(Organisation.objects.filter(name__startswith=PREFIX).values_list("name", flat=True))
    new: list[Organisation] = []
    number = 0
    while len(new) < count:
        number += 1
        name = f"{PREFIX} {number:05d}"
        if name in names:
            continue
        new.append(
            Organisation(
                name=name,
                acronym=f"SO{number:05d}",
                kind=rng.choice(KINDS),
                country_id=rng.choice(country_ids),
                is_demo=True,
            )
        )
    Organisation.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _partners(target: int, rng: random.Random) -> int:
    missing = target - Partner.objects.count()
    if missing <= 0:
        return 0
    free = list(
        Organisation.objects.filter(partner__isnull=True, name__startswith=PREFIX)
        .order_by("name")
        .values_list("pk", flat=True)[:missing]
    )
    new = [
        Partner(
            organisation_id=organisation_id,
            joined_on=datetime.date(2017 + rng.randint(0, 8), rng.randint(1, 12), 1),
            is_demo=True,
        )
        for organisation_id in free
    ]
    Partner.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _engagements(target: int, rng: random.Random) -> int:
    missing = target - Engagement.objects.count()
    if missing <= 0:
        return 0
    partners = list(Partner.objects.order_by("pk").values_list("pk", "joined_on"))
    kinds = list(Engagement.Kind.values)
    today = datetime.date.today()
    new = []
    for number in range(missing):
        partner_id, joined_on = partners[number % len(partners)]
        span = max(1, (today - joined_on).days)
        new.append(
            Engagement(
                partner_id=partner_id,
                kind=rng.choice(kinds),
                date=joined_on + datetime.timedelta(days=rng.randint(0, span)),
                notes="Scale data",
                is_demo=True,
            )
        )
    Engagement.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def seed(*, factor: float, stdout=None) -> dict[str, int]:
    rng = random.Random(f"governance-scale-{factor}")
    targets = target_counts(factor)
    organisations = max(
        targets["organisations"] - Organisation.objects.count(),
        # Every partner needs an organisation of its own.
        targets["partners"]
        - Partner.objects.count()
        - Organisation.objects.filter(partner__isnull=True, name__startswith=PREFIX).count(),
    )
    created = {"organisations": _organisations(organisations, rng)}
    created["partners"] = _partners(targets["partners"], rng)
    created["engagement records"] = _engagements(targets["engagements"], rng)
    return created
