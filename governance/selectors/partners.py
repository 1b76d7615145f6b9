"""The partner analysis page, export and report: the engagement figures labelled in the reader's
language, as tables and charts."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from alliance87 import charts
from alliance87.aggregates import cached_aggregate
from alliance87.models import IloRegion

from ..models import Engagement, Organisation, PartnerService
from .engagement import GLOBAL_REGION, DimensionRow, engagement_figures


@dataclass
class AnalysisTable:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


@dataclass
class _Labels:
    """The names of the codes in the figures, in the reader's language."""

    kind: dict[str, str]
    org_kind: dict[str, str]
    service: dict[str, str]
    region: dict[str, str]


def _region_labels() -> dict[str, str]:
    return {
        **{k: str(v) for k, v in IloRegion.choices},
        GLOBAL_REGION: _("International (no country)"),
    }


def _labels() -> _Labels:
    return _Labels(
        kind={k: str(v) for k, v in Engagement.Kind.choices},
        org_kind={k: str(v) for k, v in Organisation.Kind.choices},
        service={k: str(v) for k, v in PartnerService.Kind.choices},
        region=_region_labels(),
    )


def _cached_figures(
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    kind: str,
    organisation_kind: str,
    region: str,
    least_engaged: int,
) -> dict[str, Any]:
    """The engagement figures, cached for these filters until governance or country data changes
    (every reader sees the same ones)."""
    filters = {
        "start": start.isoformat() if start else "",
        "end": end.isoformat() if end else "",
        "kind": kind,
        "organisation_kind": organisation_kind,
        "region": region,
        "least_engaged": least_engaged,
    }
    key = "governance:partner-analysis:" + "&".join(
        f"{name}={value}" for name, value in sorted(filters.items())
    )
    return cached_aggregate(
        # A partner's region is its country's: a change to countries changes every area.
        ["governance"],
        key,
        lambda: engagement_figures(
            start=start,
            end=end,
            kind=kind,
            organisation_kind=organisation_kind,
            region=region,
            least_engaged=least_engaged,
        ),
    )


def _dimension_rows(rows: list[DimensionRow], labels: dict[str, str]) -> list[list[Any]]:
    """Organisation type or region, partners, engaged partners, records, records per partner."""
    return [
        [
            labels[code],
            n_partners,
            engaged,
            n_records,
            round(n_records / n_partners, 1) if n_partners else 0.0,
        ]
        for code, n_partners, engaged, n_records in rows
    ]


def _year_series(data: dict[str, Any], labels: _Labels) -> dict[str, Sequence[float | None]]:
    """Records a year, by type (labelled), in the order of the years."""
    return {
        labels.kind[k]: [counts[index] for counts in data["year_counts"]]
        for index, k in enumerate(data["year_kinds"])
    }


def _least_engaged_rows(data: dict[str, Any], labels: _Labels) -> list[list[Any]]:
    return [
        [
            name,
            labels.org_kind.get(org_kind, org_kind),
            labels.region.get(region_code, region_code),
            joined_on,
            records,
            last,
        ]
        for name, org_kind, region_code, joined_on, records, last in data["least_engaged"]
    ]


def _dimension_headers(first: str) -> list[str]:
    return [first, _("Partners"), _("Engaged partners"), _("Records"), _("Records per partner")]


def _tables(data: dict[str, Any], labels: _Labels) -> list[AnalysisTable]:
    """The six tables of the analysis, in the order the page shows them."""
    kind_rows = [[labels.kind[k], records, partners] for k, records, partners in data["by_kind"]]
    years = [str(year) for year in data["years"]]
    series = _year_series(data, labels)
    year_rows = [
        [year, *counts, sum(counts)]
        for year, counts in zip(years, data["year_counts"], strict=True)
    ]
    service_rows = [
        [labels.service[k], records, partners] for k, records, partners in data["services"]
    ]
    least_headers = [
        _("Partner"),
        _("Organisation type"),
        _("Region"),
        _("Joined"),
        _("Records"),
        _("Last engagement"),
    ]
    return [
        AnalysisTable(
            "by_kind", _("Engagement by type"), [_("Type"), _("Records"), _("Partners")], kind_rows
        ),
        AnalysisTable(
            "by_org_kind",
            _("Engagement by organisation type"),
            _dimension_headers(_("Organisation type")),
            _dimension_rows(data["by_org_kind"], labels.org_kind),
        ),
        AnalysisTable(
            "by_region",
            _("Engagement by region"),
            _dimension_headers(_("Region")),
            _dimension_rows(data["by_region"], labels.region),
        ),
        AnalysisTable(
            "over_time",
            _("Engagement over time"),
            [_("Year"), *series.keys(), _("Total")],
            year_rows,
        ),
        AnalysisTable(
            "least_engaged",
            _("Least engaged partners"),
            least_headers,
            _least_engaged_rows(data, labels),
        ),
        AnalysisTable(
            "services",
            _("Services the Alliance provided"),
            [_("Service"), _("Records"), _("Partners served")],
            service_rows,
        ),
    ]


def _charts(
    tables: dict[str, AnalysisTable], data: dict[str, Any], labels: _Labels
) -> dict[str, SafeString | str]:
    """Records by type, organisation type and region (bars) and a year by type (lines)."""
    years = [str(year) for year in data["years"]]
    series = _year_series(data, labels)
    return {
        "by_kind": charts.bar_chart(
            [(r[0], r[1]) for r in tables["by_kind"].rows], title=_("Engagement records by type")
        ),
        "by_org_kind": charts.bar_chart(
            [(r[0], r[3]) for r in tables["by_org_kind"].rows],
            title=_("Engagement records by organisation type"),
        ),
        "by_region": charts.bar_chart(
            [(r[0], r[3]) for r in tables["by_region"].rows],
            title=_("Engagement records by region"),
        ),
        "over_time": charts.line_chart(years, series, title=_("Engagement records a year by type"))
        if years
        else "",
    }


def partner_analysis(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    kind: str = "",
    organisation_kind: str = "",
    region: str = "",
    least_engaged: int = 15,
) -> dict[str, Any]:
    """Engagement by type, organisation type, region and year; the least engaged partners; services.

    The figures are cached for these filters until governance or country data changes (every reader
    sees the same ones); the labels, in the reader's language, are added here.
    """
    data = _cached_figures(
        start=start,
        end=end,
        kind=kind,
        organisation_kind=organisation_kind,
        region=region,
        least_engaged=least_engaged,
    )
    labels = _labels()
    tables = _tables(data, labels)
    return {
        "tables": tables,
        "figures": data["figures"],
        "charts": _charts({table.key: table for table in tables}, data, labels),
    }
