"""The Secretariat's review: the queue, accepting or returning a report, reopening one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance87 import fragments

from .. import quality, selectors, services
from ..access import (
    get_report_for_review,
    require_secretariat,
)
from ..forms import ReopenForm, ReviewForm
from ..models import Commitment, Indicator, ProgressReport, ReportStatus
from .common import _signed_in


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    require_secretariat(request.user)

    def context() -> dict:
        queue = selectors.review_queue()
        flags = selectors.review_queue_flags(reports=queue["submitted"])
        return {
            **queue,
            "submitted_rows": [(r, flags[r.pk]) for r in queue["submitted"]],
            "jump_rule": quality.jump_rule(),
        }

    # The same for every member of the Secretariat: rendered once while no report, focal
    # point or country changes, and at least once a minute (reminders fall due at midnight).
    content = fragments.cached_render(
        request, "pathfinders/includes/review_queue.html", areas=["pathfinders"], context=context
    )
    return render(request, "pathfinders/progressreport_queue.html", {"content": content})


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_review(request.user, pk)
    if report.status != ReportStatus.SUBMITTED:
        messages.info(request, _("Only submitted reports are reviewed."))
        return redirect("pathfinders:report_detail", pk=report.pk)
    report = selectors.report_with_parts(report=report)
    indicators, commitments = selectors.report_form_parts(report=report)
    form = ReviewForm(request.POST or None, indicators=indicators, commitments=commitments)
    if request.method == "POST" and form.is_valid():
        try:
            _record_review(request, report, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("pathfinders:review_queue")
    return _render_review(request, report, form, indicators=indicators, commitments=commitments)


def _record_review(request: HttpRequest, report: ProgressReport, form: ReviewForm) -> None:
    """The reviewer's decision through the workflow: accept the report, or return it with
    comments on the report and on its fields."""
    if form.cleaned_data["decision"] == ReviewForm.ACCEPT:
        services.report_accept(
            report=report,
            user=_signed_in(request),
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Report accepted; the focal points are told by email."))
    else:
        services.report_return(
            report=report,
            user=_signed_in(request),
            comment=form.cleaned_data["comment"],
            indicator_comments=form.indicator_comments(),
            commitment_comments=form.commitment_comments(),
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Report returned; the focal points are told by email."))


def _render_review(
    request: HttpRequest,
    report: ProgressReport,
    form: ReviewForm,
    *,
    indicators: list[Indicator],
    commitments: list[Commitment],
) -> HttpResponse:
    """The review page: each value beside its reference, previous value and comment field."""
    updates = {u.commitment_id: u for u in report.commitment_updates.all()}
    previous = selectors.previous_values(report=report)
    flags = selectors.report_flags(report=report, previous=previous)
    groups = selectors.report_value_rows(
        report=report, indicators=indicators, flags=flags, previous=previous
    )
    for _pillar, rows in groups:
        for row in rows:
            row["field"] = form.field_for_indicator(row["indicator"])
    return render(
        request,
        "pathfinders/progressreport_review.html",
        {
            "report": report,
            "form": form,
            "groups": groups,
            "commitment_rows": [
                {
                    "commitment": c,
                    "update": updates.get(c.pk),
                    "field": form.field_for_commitment(c),
                }
                for c in commitments
            ],
            "flag_count": len(flags),
            "jump_rule": quality.jump_rule(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """The Secretariat takes an accepted report back, with a reason (also the admin's way)."""
    report = get_report_for_review(request.user, pk)
    if report.status != ReportStatus.ACCEPTED:
        messages.info(
            request,
            _("Only an accepted report can be reopened; this one is %(status)s.")
            % {"status": report.get_status_display().lower()},
        )
        return redirect("pathfinders:report_detail", pk=report.pk)
    form = ReopenForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_reopen(
                report=report,
                user=_signed_in(request),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Report reopened; the focal points are told by email and may revise it."),
            )
            return redirect("pathfinders:report_detail", pk=report.pk)
    return render(
        request,
        "pathfinders/progressreport_reopen.html",
        {"report": report, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
