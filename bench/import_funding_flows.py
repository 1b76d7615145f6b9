"""Time the import of a 10,000-row CSV of funding flows.

    .venv/bin/python bench/import_funding_flows.py [--rows 10000] [--keep FILE.csv]

Runs against a scratch SQLite database in a temporary directory (or DATABASE_URL when
--use-database-url is given): migrates it, records the organisations and exchange rates the
rows name, writes the CSV, then imports it twice through the same service as the upload page
and prints how long each took. The second import must add nothing.
"""

import argparse
import csv
import datetime
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CURRENCIES = {"USD": None, "EUR": "1.08", "GBP": "1.27", "CHF": "1.13", "AUD": "0.66"}
DONORS = ["United States", "France", "Netherlands", "United Kingdom", "Australia", "Germany", "ILO"]
COUNTRIES = [
    "FJ",
    "CI",
    "NP",
    "GH",
    "UG",
    "MW",
    "ET",
    "KE",
    "MG",
    "BR",
    "AR",
    "CL",
    "CR",
    "GT",
    "HN",
]
THEMES = ["child_labour", "forced_labour", "modern_slavery", "human_trafficking", ""]
STATUSES = ["pledged", "committed", "paid"]


def write_csv(path: Path, rows: int) -> None:
    from financing.importing import COLUMN_NAMES

    rng = random.Random(87)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMN_NAMES)
        writer.writeheader()
        for index in range(rows):
            year = rng.randint(2022, 2027)
            writer.writerow(
                {
                    "source": rng.choice(DONORS),
                    "recipient_type": "country",
                    "country": rng.choice(COUNTRIES),
                    "theme": rng.choice(THEMES),
                    "amount": f"{rng.randint(1_000, 2_000_000)}.{rng.randint(0, 99):02d}",
                    "currency": rng.choice(list(CURRENCIES)),
                    "decision_date": datetime.date(
                        year, rng.randint(1, 12), rng.randint(1, 28)
                    ).isoformat(),
                    "year_from": year,
                    "year_to": min(year + rng.randint(0, 2), 2028),
                    "status": rng.choice(STATUSES),
                    "reference": f"BENCH-{index:06d}",
                }
            )


def prepare_lookups() -> None:
    from financing.models import ExchangeRate
    from governance.models import Organisation
    from pathfinders.demo import seed_countries

    seed_countries()
    for name in DONORS:
        kind = "un_agency" if name == "ILO" else "government"
        Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    for currency, rate in CURRENCIES.items():
        if rate is None:
            continue
        for year in range(2022, 2028):
            ExchangeRate.objects.get_or_create(
                year=year, currency=currency, defaults={"usd_per_unit": Decimal(rate)}
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="also keep the generated CSV at this path")
    parser.add_argument(
        "--use-database-url", action="store_true", help="use DATABASE_URL, not a scratch DB"
    )
    options = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="bench-import-")
    if not options.use_database_url:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance87.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from financing.models import FundingFlow
    from financing.services import funding_flows_import

    call_command("migrate", verbosity=0)
    prepare_lookups()
    path = options.keep or Path(scratch.name) / "flows.csv"
    write_csv(path, options.rows)
    content = path.read_bytes()
    before = FundingFlow.objects.count()

    started = time.perf_counter()
    first = funding_flows_import(file_name=path.name, content=content, user=None)
    first_seconds = time.perf_counter() - started
    if not first.ok:
        for error in first.errors[:20]:
            print(f"line {error.line} {error.column}: {error.message}", file=sys.stderr)
        return 1

    started = time.perf_counter()
    second = funding_flows_import(file_name=path.name, content=content, user=None)
    second_seconds = time.perf_counter() - started

    added = FundingFlow.objects.count() - before
    print(f"rows: {first.row_count}, file: {len(content) / 1024:.0f} KiB")
    print(f"first import: {first_seconds:.2f} s ({first.created} flows added)")
    print(
        f"second import of the same file: {second_seconds:.2f} s ({second.created} added, {second.skipped} skipped)"
    )
    print(f"flows in the database after both: {added}")
    scratch.cleanup()
    return 0 if second.created == 0 and added == first.row_count else 1


if __name__ == "__main__":
    sys.exit(main())
