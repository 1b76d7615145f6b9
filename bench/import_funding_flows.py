"""Time the preview and the import of 10,000-row files of funding flows: CSV, XLSX, IATI.

    .venv/bin/python bench/import_funding_flows.py [--rows 10000] [--kinds csv,xlsx,iati]
        [--keep DIR] [--use-database-url]

Runs against a scratch SQLite database in a temporary directory (or DATABASE_URL when
--use-database-url is given): migrates it, records the organisations (with their IATI
identifiers) and exchange rates the rows name, then for each kind of file writes it and
runs, through the same service as the upload page (financing.services):

- the preview (check every row and plan it; nothing written),
- the import (the confirmed job: checks again, then writes every flow and its history),
- a corrected file (one amount in ten changed, a pledge committed): updates, not additions.

Prints how long each took; the target is under 10 s for each preview and each import.
"""

import argparse
import csv
import datetime
import io
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 10
CURRENCIES = {"USD": None, "EUR": "1.08", "GBP": "1.27", "CHF": "1.13", "AUD": "0.66"}
DONORS = {
    "United States": "US-GOV-1",
    "France": "FR-6",
    "Netherlands": "XM-DAC-7",
    "United Kingdom": "GB-GOV-1",
    "Australia": "AU-5",
    "Germany": "XM-DAC-5",
    "ILO": "XM-DAC-41302",
}
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
IATI_TYPES = {"pledged": "12", "committed": "2", "paid": "3"}


def flows(rows: int, kind: str, *, corrected: bool = False) -> list[dict]:
    """The same random flows for a kind of file each time; corrected: one amount in ten
    changed and those pledges committed."""
    rng = random.Random(87)
    result = []
    for index in range(rows):
        year = rng.randint(2022, 2027)
        status = rng.choice(STATUSES)
        cents = rng.randint(100_000, 200_000_000)
        if corrected and index % 10 == 0:
            cents += 100_000
            status = "committed" if status == "pledged" else status
        result.append(
            {
                "source": rng.choice(list(DONORS)),
                "country": rng.choice(COUNTRIES),
                "theme": rng.choice(THEMES),
                "cents": cents,
                "currency": rng.choice(list(CURRENCIES)),
                "date": datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                "year_to": min(year + rng.randint(0, 2), 2028),
                "status": status,
                "reference": f"BENCH-{kind.upper()}-{index:06d}",
            }
        )
    return result


def _table_row(flow: dict) -> dict:
    return {
        "source": flow["source"],
        "recipient_type": "country",
        "country": flow["country"],
        "theme": flow["theme"],
        "currency": flow["currency"],
        "year_from": flow["date"].year,
        "year_to": flow["year_to"],
        "status": flow["status"],
        "reference": flow["reference"],
    }


def write_csv(items: list[dict]) -> bytes:
    """As Excel in French writes it: BOM, semicolons, 1 234,50 and dd/mm/yyyy."""
    from financing.importing import COLUMN_NAMES

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMN_NAMES, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for flow in items:
        units, cents = divmod(flow["cents"], 100)
        writer.writerow(
            {
                **_table_row(flow),
                "amount": f"{units:,}".replace(",", "\u202f") + f",{cents:02d}",
                "decision_date": flow["date"].strftime("%d/%m/%Y"),
            }
        )
    return ("\ufeff" + buffer.getvalue()).encode()


def write_xlsx(items: list[dict]) -> bytes:
    """A title line above the header, number and date cells."""
    from openpyxl import Workbook

    from financing.importing import COLUMN_NAMES

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("flows")
    sheet.append(["Funding flows (benchmark)"])
    sheet.append([])
    sheet.append(COLUMN_NAMES)
    for flow in items:
        row = {
            **_table_row(flow),
            "amount": flow["cents"] / 100,
            "decision_date": datetime.datetime.combine(flow["date"], datetime.time()),
        }
        sheet.append([row.get(name) for name in COLUMN_NAMES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_iati(items: list[dict], per_activity: int = 100) -> bytes:
    """IATI 2.03: activities of a hundred transactions, one country each."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n']
    for start in range(0, len(items), per_activity):
        chunk = items[start : start + per_activity]
        parts.append(
            f' <iati-activity default-currency="USD">\n'
            f"  <iati-identifier>XM-BENCH-{start:06d}</iati-identifier>\n"
            f'  <reporting-org ref="XM-DAC-41302" type="40"><narrative>ILO</narrative></reporting-org>\n'
            f"  <title><narrative>Benchmark activity {start}</narrative></title>\n"
        )
        for flow in chunk:
            units, cents = divmod(flow["cents"], 100)
            parts.append(
                f'  <transaction ref="{escape(flow["reference"])}">\n'
                f'   <transaction-type code="{IATI_TYPES[flow["status"]]}"/>\n'
                f'   <transaction-date iso-date="{flow["date"].isoformat()}"/>\n'
                f'   <value currency="{flow["currency"]}" value-date="{flow["date"].isoformat()}">{units}.{cents:02d}</value>\n'
                f'   <provider-org ref="{DONORS[flow["source"]]}"><narrative>{escape(flow["source"])}</narrative></provider-org>\n'
                f'   <recipient-country code="{flow["country"]}"/>\n'
                f"  </transaction>\n"
            )
        parts.append(" </iati-activity>\n")
    parts.append("</iati-activities>\n")
    return "".join(parts).encode()


WRITERS = {
    "csv": (write_csv, "flows.csv", {"number_format": "space", "date_format": "dmy"}),
    "xlsx": (write_xlsx, "flows.xlsx", {}),
    "iati": (write_iati, "activities.xml", {}),
}


def prepare_lookups() -> None:
    from demo.pathfinders import seed_countries
    from financing.models import ExchangeRate
    from governance.models import Organisation

    seed_countries()
    for name, identifier in DONORS.items():
        kind = "un_agency" if name == "ILO" else "government"
        Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "iati_identifier": identifier}
        )
    for currency, rate in CURRENCIES.items():
        if rate is None:
            continue
        for year in range(2022, 2028):
            ExchangeRate.objects.get_or_create(
                year=year, currency=currency, defaults={"usd_per_unit": Decimal(rate)}
            )


class Clock:
    """Wall time, and this process's CPU time (which a busy machine does not inflate)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lap


def bench_kind(kind: str, rows: int, keep: Path | None) -> tuple[list[str], list[float], bool]:
    from financing.models import FundingFlowImport
    from financing.services import _claim_confirmed, funding_flow_import_run, funding_flows_import

    write, name, formats = WRITERS[kind]
    content = write(flows(rows, kind))
    corrected = write(flows(rows, kind, corrected=True))
    if keep:
        (keep / name).write_bytes(content)

    clock = Clock()
    preview = funding_flows_import(
        file_name=name, content=content, user=None, dry_run=True, **formats
    ).batch
    preview_seconds, preview_cpu = clock.lap()
    _claim_confirmed(preview.pk, None)
    funding_flow_import_run(job_id=preview.pk)
    import_seconds, import_cpu = clock.lap()
    job = FundingFlowImport.objects.get(pk=preview.pk)
    clock.lap()
    again = funding_flows_import(file_name=name, content=corrected, user=None, **formats)
    corrected_seconds, corrected_cpu = clock.lap()

    lines = [
        f"{kind}: {job.row_count} rows, file: {len(content) / 1024:.0f} KiB",
        f"  preview: {preview_seconds:.2f} s, CPU {preview_cpu:.2f} s "
        f"({preview.created_count} to add)",
        f"  import: {import_seconds:.2f} s, CPU {import_cpu:.2f} s ({job.created_count} added)",
        f"  corrected file (preview and import): {corrected_seconds:.2f} s, "
        f"CPU {corrected_cpu:.2f} s ({again.updated} updated, {again.skipped} unchanged, "
        f"{again.created} added)",
    ]
    for line, column, message in (preview.errors or job.errors)[:20]:
        lines.append(f"  line {line} {column}: {message}")
    ok = (
        job.status == FundingFlowImport.Status.DONE
        and job.created_count == rows
        and again.created == 0
        and again.updated == rows // 10 + (1 if rows % 10 else 0)
    )
    return lines, [preview_seconds, import_seconds], ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--kinds", default="csv,xlsx,iati")
    parser.add_argument("--keep", type=Path, help="also keep the generated files in this folder")
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

    call_command("migrate", verbosity=0)
    prepare_lookups()
    slowest, all_ok = 0.0, True
    for kind in options.kinds.split(","):
        lines, seconds, ok = bench_kind(kind, options.rows, options.keep)
        print("\n".join(lines))
        slowest = max(slowest, *seconds)
        all_ok = all_ok and ok
    met = slowest < TARGET_SECONDS
    print(f"slowest preview or import: {slowest:.2f} s (target under {TARGET_SECONDS} s: "
          f"{'met' if met else 'not met'})")  # fmt: skip
    scratch.cleanup()
    return 0 if all_ok and met else 1


if __name__ == "__main__":
    sys.exit(main())
