"""How long the PDF reports take, and how much of it is WeasyPrint.

    .venv/bin/python bench/report_rendering.py

Builds a scratch SQLite database in a temporary folder with 60 Pathfinder Countries, each with
a roadmap of 8 commitments and 4 accepted reports against a framework of 15 indicators (with
narratives), then measures, each in a fresh process so peak memory is its own:

- the country dossier of one country (4 periods x 15 indicators): our whole job (data,
  charts, template, PDF) next to WeasyPrint alone rendering the same final HTML, and the ratio;
- the Alliance-wide report for 15, 30 and 60 countries, with the same split and peak memory.

Targets (issue: PDF reports): dossier < 2 s; Alliance-wide for 60 countries < 15 s and
< 500 MB; job / WeasyPrint-alone < 1.5; time linear in the number of countries.
"""

import datetime
import gc
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PERIODS = 4
INDICATORS = 15
COMMITMENTS = 8
REPEATS = 3


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance87.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def build(countries: int) -> None:
    from django.core.management import call_command

    from demo.pathfinders import seed_countries
    from pathfinders.models import (
        Commitment,
        Country,
        FrameworkVersion,
        Indicator,
        IndicatorType,
        IndicatorValue,
        PathfinderCountry,
        ProgressReport,
        ReportingPeriod,
        ReportStatus,
        Roadmap,
        Stage,
    )

    call_command("migrate", verbosity=0)
    seed_countries()
    version = FrameworkVersion.objects.create(number=1, title="Accountability framework")
    indicators = Indicator.objects.bulk_create(
        Indicator(
            version=version,
            code=f"P{i // 3 + 1}.{i % 3 + 1}",
            title=f"Indicator {i + 1} of the framework",
            pillar=f"Pillar {i // 3 + 1}",
            kind=IndicatorType.PERCENTAGE if i % 2 else IndicatorType.NUMBER,
            baseline=Decimal(10),
            target=Decimal(80),
            target_year=2030,
            order=i,
        )
        for i in range(INDICATORS)
    )
    periods = [
        ReportingPeriod.objects.create(
            label=str(2022 + p),
            framework_version=version,
            opens_on=datetime.date(2022 + p, 1, 15),
            due_on=datetime.date(2022 + p, 3, 31),
        )
        for p in range(PERIODS)
    ]
    for index, country in enumerate(Country.objects.order_by("name")[:countries]):
        pathfinder = PathfinderCountry.objects.create(
            country=country,
            stage=Stage.IMPLEMENTING,
            interest_expressed_on=datetime.date(2018, 1, 1),
            workshop_held_on=datetime.date(2018, 6, 1),
            roadmap_submitted_on=datetime.date(2019, 1, 1),
            status_granted_on=datetime.date(2019, 6, 1),
            implementation_started_on=datetime.date(2019, 9, 1),
            lead_ministry="Ministry of Labour",
        )
        roadmap = Roadmap.objects.create(
            pathfinder=pathfinder, title="National roadmap", starts_year=2020, ends_year=2026
        )
        Commitment.objects.bulk_create(
            Commitment(
                roadmap=roadmap,
                code=f"{c + 1}.1",
                title=f"Commitment {c + 1}",
                themes=["child_labour"],
                responsible_institution="Labour inspectorate",
                target_date=datetime.date(2026, 12, 31),
                budget=Decimal(100000),
                progress_percent=(c * 13) % 100,
            )
            for c in range(COMMITMENTS)
        )
        for p, period in enumerate(periods):
            report = ProgressReport.objects.create(
                pathfinder=pathfinder,
                period=period,
                status=ReportStatus.ACCEPTED,
                first_submitted_at=datetime.datetime(2022 + p, 3, 20, tzinfo=datetime.UTC),
                submitted_at=datetime.datetime(2022 + p, 3, 20, tzinfo=datetime.UTC),
                accepted_at=datetime.datetime(2022 + p, 4, 10, tzinfo=datetime.UTC),
                summary="Steady progress across the roadmap, with inspections extended to two regions.",
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(
                    report=report,
                    indicator=indicator,
                    value_number=Decimal(10 + (p + 1) * (i + index) % 70),
                    narrative="Figures from the labour inspectorate's annual report. " * 3,
                )
                for i, indicator in enumerate(indicators)
            )


def measure(kind: str, parameters: dict) -> dict:
    """One report in this process: the whole job, then WeasyPrint alone on the same HTML."""
    from django.template.loader import render_to_string
    from django.utils import timezone, translation
    from pypdf import PdfReader
    from weasyprint import HTML

    from alliance87.reports.fetcher import BASE_URL, PortalURLFetcher
    from alliance87.reports.kinds import KINDS
    from alliance87.reports.services import render_pdf

    report_kind = KINDS[kind]

    def job_once() -> tuple[bytes, dict]:
        with translation.override("en"):
            context = report_kind.build_context(parameters)
            context.update(
                {
                    "report_title": str(report_kind.label),
                    "generated_at": timezone.now(),
                    "data_as_of": timezone.now(),
                    "language": "en",
                }
            )
        pdf, _fetcher = render_pdf(template=report_kind.template, context=context, language="en")
        return pdf, context

    job_once()  # a worker renders many reports: fonts, stylesheets and templates load once
    job = weasy = float("inf")
    # CPU seconds of this process (SQLite runs in it too), the best of a few runs, each from a
    # collected heap so that neither pays for the other's garbage.
    for _repeat in range(REPEATS):
        gc.collect()
        started = time.process_time()
        pdf, context = job_once()
        job = min(job, time.process_time() - started)
        with translation.override("en"):
            html = render_to_string(report_kind.template, context)
        gc.collect()
        started = time.process_time()
        HTML(string=html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).write_pdf()
        weasy = min(weasy, time.process_time() - started)
    return {
        "job_s": round(job, 3),
        "weasyprint_alone_s": round(weasy, 3),
        "ratio": round(job / weasy, 2),
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def child(database: str, kind: str, parameters: str) -> None:
    setup_django(Path(database))
    print(json.dumps(measure(kind, json.loads(parameters))))


def run_child(database: Path, kind: str, parameters: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(database), kind, json.dumps(parameters)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    lines = [
        f"# PDF report rendering ({datetime.date.today():%Y-%m-%d})",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        f"Times are CPU seconds of the rendering process, the best of {REPEATS} runs after a warm-up.",
        "",
        "| report | countries | job (s) | WeasyPrint alone (s) | ratio | pages | peak memory (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    results = {}
    for countries in (15, 30, 60):
        with tempfile.TemporaryDirectory() as folder:
            database = Path(folder) / "bench.sqlite3"
            subprocess.run(
                [sys.executable, __file__, "--build", str(database), str(countries)],
                check=True,
                cwd=ROOT,
            )
            if countries == 60:
                dossier = run_child(database, "country_dossier", {"country": "AF"})
                results["dossier"] = dossier
                lines.append(
                    f"| country dossier ({PERIODS} periods x {INDICATORS} indicators) | 1 | {dossier['job_s']} | "
                    f"{dossier['weasyprint_alone_s']} | {dossier['ratio']} | {dossier['pages']} | {dossier['peak_mb']} |"
                )
            alliance = run_child(database, "alliance_accountability", {})
            results[countries] = alliance
            lines.append(
                f"| Alliance-wide | {countries} | {alliance['job_s']} | {alliance['weasyprint_alone_s']} | "
                f"{alliance['ratio']} | {alliance['pages']} | {alliance['peak_mb']} |"
            )
    per_country = [results[n]["job_s"] / n for n in (15, 30, 60)]
    verdicts = [
        ("dossier under 2 s", results["dossier"]["job_s"] < 2),
        ("Alliance-wide for 60 countries under 15 s", results[60]["job_s"] < 15),
        ("Alliance-wide peak memory under 500 MB", results[60]["peak_mb"] < 500),
        (
            "job / WeasyPrint alone under 1.5 (every row)",
            all(
                r["ratio"] < 1.5 for r in (results["dossier"], *[results[n] for n in (15, 30, 60)])
            ),
        ),
        (
            "time grows linearly (seconds per country within 2x from 15 to 60)",
            max(per_country) / min(per_country) < 2,
        ),
    ]
    lines += [
        "",
        "Seconds per country (Alliance-wide): "
        + ", ".join(f"{n}: {s:.3f}" for n, s in zip((15, 30, 60), per_country, strict=True)),
        "",
    ]
    lines += [f"- {'met' if ok else 'NOT MET'}: {name}" for name, ok in verdicts]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results-reports.md").write_text(text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        setup_django(Path(sys.argv[2]))
        build(int(sys.argv[3]))
    elif sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
    else:
        main()
