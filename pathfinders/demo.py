"""Demo data of the pathfinders app (see alliance87/management/commands/seed_demo.py)."""

import csv
from pathlib import Path

from .models import Country

COUNTRIES_CSV = Path(__file__).parent / "data" / "countries.csv"


def seed_countries(*, stdout=None) -> int:
    """Every country with its ISO code and ILO region; updates names and regions in place."""
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = {c.iso_code: c for c in Country.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        country = existing.get(row["iso_code"])
        if country is None:
            to_create.append(Country(**row))
        elif (country.name, country.ilo_region) != (row["name"], row["ilo_region"]):
            country.name, country.ilo_region = row["name"], row["ilo_region"]
            to_update.append(country)
    Country.objects.bulk_create(to_create)
    Country.objects.bulk_update(to_update, ["name", "ilo_region"])
    if stdout:
        stdout.write(f"Countries: {len(rows)} ({len(to_create)} new)")
    return len(rows)
