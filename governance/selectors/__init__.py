"""Reads of the governance area: query shapes, the rotation inputs and the partner analysis.

Split by sub-domain; the names other modules use are importable from here.
"""

from .composition import (
    call_detail,
    composition,
    composition_table,
    gcg_composition_report,
    rotation_page,
)
from .dashboard import dashboard_summary
from .engagement import GLOBAL_REGION
from .gcg import REASON_LABELS, GCGState, change_rows, flag_rows, gcg_state
from .groups import group_detail, group_list
from .meetings import meeting_detail, meeting_list
from .partners import AnalysisTable, partner_analysis

__all__ = [
    "GLOBAL_REGION",
    "REASON_LABELS",
    "AnalysisTable",
    "GCGState",
    "call_detail",
    "change_rows",
    "composition",
    "composition_table",
    "dashboard_summary",
    "flag_rows",
    "gcg_composition_report",
    "gcg_state",
    "group_detail",
    "group_list",
    "meeting_detail",
    "meeting_list",
    "partner_analysis",
    "rotation_page",
]
