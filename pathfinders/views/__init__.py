"""The Pathfinder pages, by sub-domain: countries (overview, country page, journey stage,
public profiles), reports (the progress form and a report's page) and review (the
Secretariat's queue and decisions)."""

from .countries import (
    country_detail,
    country_stage,
    overview,
    overview_export,
    public_detail,
    public_list,
)
from .reports import (
    evidence_download,
    report_confirm,
    report_detail,
    report_draft,
    report_edit,
    report_start,
)
from .review import report_reopen, report_review, review_queue

__all__ = [
    "country_detail",
    "country_stage",
    "evidence_download",
    "overview",
    "overview_export",
    "public_detail",
    "public_list",
    "report_confirm",
    "report_detail",
    "report_draft",
    "report_edit",
    "report_reopen",
    "report_review",
    "report_start",
    "review_queue",
]
