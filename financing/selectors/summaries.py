"""The figures other pages take from the gap report and the Secretariat's sustainability:
the dashboard, the PDF report, a country's dossier and the Durban Call to Action's areas."""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from alliance87.access import Person, can_read_everything, focal_point_country_ids
from alliance87.choices import DurbanArea
from alliance87.fields import has_choice
from alliance87.models import Country

from ..access import get_funding_flows_for_user, get_funding_requirements_for_user
from ..models import FundingFlow, FundingRequirement
from ..rates import RateTable
from .gaps import (
    GapLine,
    conversion_rule,
    gap_line,
    gap_report,
    gap_rows,
    gap_rule,
    gap_table,
    report_from_sums,
    total_row,
)
from .labels import Names, read_names
from .sums import gap_sums
from .sustainability import secretariat_sustainability
from .tables import coverage_percent, usd


def dashboard_summary(*, user: Person) -> dict | None:
    """This year's coverage by region, and the Secretariat's runway for those who read everything.

    From the cache while the figures have not changed (the functions of the runway are read
    each time); else five queries (rates, requirements, flows by recipient, by year, donors),
    and three more (functions, rates, needs and flows) for the runway.
    """
    from alliance87 import charts

    reads_everything = can_read_everything(user)
    country_ids = None if reads_everything else focal_point_country_ids(user)
    if not (reads_everything or country_ids):
        return None
    today = datetime.date.today()
    year = today.year
    scope = "all" if country_ids is None else ",".join(str(pk) for pk in sorted(country_ids))
    report = gap_report(
        requirements=get_funding_requirements_for_user(user).filter(year=year),
        flows=get_funding_flows_for_user(user).filter(year_start__lte=year, year_end__gte=year),
        # What the chart draws is what its caption names: regions for those who read
        # everything, a focal point's own countries for them.
        dimension="region" if reads_everything else "country",
        year_from=year,
        year_to=year,
        cache_key=f"dashboard:{year}:{scope}",
    )
    coverage = [
        (line.label, float(line.coverage)) for line in report.lines if line.coverage is not None
    ]
    return {
        "year": year,
        "total": report.total,
        "reads_everything": reads_everything,
        "chart": charts.bar_chart(
            coverage,
            title=(
                _("Coverage by region, %(year)s")
                if reads_everything
                else _("Coverage of your country, %(year)s")
                if len(coverage) == 1
                else _("Coverage of your countries, %(year)s")
            )
            % {"year": year},
            unit=charts.PERCENT,
            max_value=max(100.0, *(percent for _label, percent in coverage)),
            role="funded",
            name=_("Coverage"),
        )
        if coverage
        else None,
        "sustainability": secretariat_sustainability(today=today, cached=True)
        if reads_everything
        else None,
    }


# ---------------------------------------------------------------------------------------------
# The PDF report (alliance87.reports kind "financing_gap")


def financing_gap_report() -> dict:
    """The financing gap report: the gap page's tables by region, country and year, and the
    Secretariat's sustainability, from the same selectors as the pages. Seven queries."""
    rates = RateTable.load()
    # One set of sums serves every breakdown.
    sums = gap_sums(
        requirements=FundingRequirement.objects.all(), flows=FundingFlow.objects.all(), rates=rates
    )
    names = read_names(sums)
    by_country = report_from_sums(
        sums, dimension="country", dimension_label=_("Country"), names=names
    )
    tables = {
        "region": gap_table(
            [gap_line(label, row) for label, row in gap_rows(sums, "region", names)],
            by_country.total,
            key="region",
            caption=_("Financing gap by region, in USD"),
            first_header=_("Region"),
        ),
        "theme": gap_table(
            [gap_line(label, row) for label, row in gap_rows(sums, "theme", names)],
            by_country.total,
            key="theme",
            caption=_("Financing gap by theme, in USD"),
            first_header=_("Theme"),
        ),
    }
    country_tables = {table.key: table for table in by_country.tables}
    sustainability = secretariat_sustainability(today=datetime.date.today(), rates=rates)
    trend = by_country.trends
    return {
        "report_subject": _(
            "Target 8.7 financing and the Secretariat's sustainability (all figures in USD)"
        ),
        "report": by_country,
        "region_table": tables["region"],
        "theme_table": tables["theme"],
        "country_table": country_tables["gaps"],
        "trends_table": country_tables["trends"],
        "donors_table": country_tables["donors"],
        "conversions_table": country_tables.get("conversions"),
        "conversion_rule": conversion_rule(),
        "gap_rule": gap_rule(),
        "sustainability": sustainability,
        "sustainability_tables": sustainability.tables,
        "trend_chart": gap_trend_chart(trend),
    }


def gap_trend_chart(trends: list[GapLine]) -> SafeString | None:
    """Requirement, funding and pledges year by year (the gap page's and the report's chart).

    Every year from the first to the last is drawn: a year without requirements, or without
    flows, leaves a gap in those lines rather than a drop to 0."""
    from alliance87 import charts

    if len(trends) < 2:
        return None
    by_year = {int(str(line.label)): line for line in trends}
    years = range(min(by_year), max(by_year) + 1)

    def values(name: str, has_data: Callable[[GapLine], bool]) -> list[float | None]:
        return [
            float(getattr(by_year[year], name))
            if year in by_year and has_data(by_year[year])
            else None
            for year in years
        ]

    def has_flows(line: GapLine) -> bool:
        return bool(line.pledged or line.committed or line.paid)

    return charts.line_chart(
        [str(year) for year in years],
        {
            _("Requirement"): values("requirement", lambda line: bool(line.requirement)),
            _("Funded"): values("funded", has_flows),
            _("Pledged"): values("pledged", has_flows),
        },
        title=_("Requirement and funding across years (USD)"),
        roles=["requirement", "funded", "pledged"],
    )


def country_funding_summary(*, country: Country) -> dict:
    """A country programme's requirement against its funding, by year (for the country dossier)."""
    report = gap_report(
        requirements=FundingRequirement.objects.filter(country=country),
        flows=FundingFlow.objects.filter(country=country),
        dimension="year",
        dimension_label=_("Year"),
    )
    return {"report": report, "table": report.tables[0], "has_figures": bool(report.lines)}


def durban_area_funding(*, rates: RateTable | None = None) -> dict[str, dict[str, Any]]:
    """For each Durban Call to Action area, the requirements and flows tagged to it, in whole
    US dollars as the gap report counts them (gap_rule, conversion_rule): requirement,
    pledged, committed, paid, funded, gap, surplus and coverage. A record tagged to several
    areas counts in each.

    Queries: the rates, then one per area.
    """
    rates = rates or RateTable.load()
    result: dict[str, dict[str, Any]] = {}
    for area in DurbanArea.values:
        sums = gap_sums(
            requirements=FundingRequirement.objects.filter(has_choice("durban_areas", area)),
            flows=FundingFlow.objects.filter(has_choice("durban_areas", area)),
            rates=rates,
        )
        total = total_row(gap_rows(sums, "year", Names({}, {}, {})))
        line: dict[str, Any] = {key: usd(value) for key, value in total.items()}
        line["coverage"] = coverage_percent(total["funded"], total["requirement"])
        line["unconverted"] = sums.unconverted
        result[area] = line
    return result
