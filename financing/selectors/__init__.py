"""Reads of the financing area: the gap analysis, the flows and donor ledgers, and the
Secretariat's sustainability.

Every amount is converted to US dollars with the yearly rate table and rounded half up to
the whole dollar once, in the database, one flow or requirement at a time (UsdWhole); a flow
covering several years is split evenly in whole dollars, the odd dollars going to its first
years. Every figure shown is a sum of these whole dollars, so each table adds up as shown and
a figure is the same in every table, page, export and PDF that shows it.

The modules, by what they read:
- sums: the gap figures' whole-dollar sums, computed in the database;
- labels: the names and labels they are shown with, and the amounts converted at another
  year's rate;
- gaps: the gap report (by country, region, theme, recipient or year; trends; donors);
- flows: the flows one by one, a donor's ledger and what changed in each flow;
- sustainability: the Secretariat's functions, their funding and runway;
- summaries: the dashboard, the PDF report, a country's dossier and the Durban areas;
- pages: the pages' filtered reads, shared with their downloads and the API;
- tables: the tables pages and exports share.
"""

from .flows import (
    FlowRow,
    HistoryEntry,
    Ledger,
    annotated_flows,
    annotated_requirements,
    donor_ledger,
    flow_history,
    flow_rows,
    flow_table,
    ledger_totals,
)
from .gaps import (
    GAP_COLUMNS,
    DonorLine,
    GapLine,
    GapReport,
    conversion_rule,
    donor_table,
    gap_report,
    gap_rule,
    gap_table,
    report_from_sums,
)
from .labels import Names, conversion_table, rate_note
from .pages import flow_filter_for, gap_page
from .summaries import (
    country_funding_summary,
    dashboard_summary,
    durban_area_funding,
    financing_gap_report,
    gap_trend_chart,
)
from .sums import (
    TOP_DONORS,
    ConversionNote,
    DonorSum,
    GapSums,
    flow_usd,
    gap_sums,
    requirement_usd,
)
from .sustainability import (
    PROJECTION_YEARS,
    FunctionLine,
    FunctionYear,
    ProjectionYear,
    SecretariatSums,
    Sustainability,
    earmarking_rule,
    months_covered,
    secretariat_sums,
    secretariat_sustainability,
)
from .tables import ONE, TENTH, Table, TableColumn, coverage_percent, ledger_url, usd

# Names cached before the selectors became a package were pickled as this module's _Names.
_Names = Names

__all__ = [
    "GAP_COLUMNS",
    "ONE",
    "PROJECTION_YEARS",
    "TENTH",
    "TOP_DONORS",
    "ConversionNote",
    "DonorLine",
    "DonorSum",
    "FlowRow",
    "FunctionLine",
    "FunctionYear",
    "GapLine",
    "GapReport",
    "GapSums",
    "HistoryEntry",
    "Ledger",
    "Names",
    "ProjectionYear",
    "SecretariatSums",
    "Sustainability",
    "Table",
    "TableColumn",
    "annotated_flows",
    "annotated_requirements",
    "conversion_rule",
    "conversion_table",
    "country_funding_summary",
    "coverage_percent",
    "dashboard_summary",
    "donor_ledger",
    "donor_table",
    "durban_area_funding",
    "earmarking_rule",
    "financing_gap_report",
    "gap_trend_chart",
    "flow_filter_for",
    "flow_history",
    "flow_rows",
    "flow_table",
    "flow_usd",
    "gap_page",
    "gap_report",
    "gap_rule",
    "gap_sums",
    "gap_table",
    "ledger_totals",
    "ledger_url",
    "months_covered",
    "rate_note",
    "report_from_sums",
    "requirement_usd",
    "secretariat_sums",
    "secretariat_sustainability",
    "usd",
]
