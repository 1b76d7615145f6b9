import datetime
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliance87 import charts, exports, fragments
from alliance87.access import can_read_everything, is_secretariat
from alliance87.accounts.models import User
from alliance87.texts import Text
from alliance87.translated import record_text
from governance.models import ActionGroup, Organisation

from .access import (
    check_import_access,
    check_sustainability_access,
    get_flow_history_for_user,
    get_funding_flows_for_user,
    get_import_for_user,
)
from .filters import GapFilter
from .forms import FundingFlowImportForm
from .importing import (
    COLUMNS,
    MAX_ERRORS_SHOWN,
    UPDATABLE,
    Action,
    change_text,
    flow_field_label,
    template_download,
)
from .models import FundingFlowImport, SecretariatFunction
from .rates import RateTable
from .selectors import (
    GapReport,
    Sustainability,
    Table,
    annotated_flows,
    conversion_rule,
    donor_ledger,
    flow_filter_for,
    flow_rows,
    flow_table,
    gap_page,
    gap_rule,
    gap_trend_chart,
    secretariat_sustainability,
)
from .services import (
    UndoRefused,
    funding_flow_import_confirm,
    funding_flow_import_start,
    funding_flow_import_undo,
    import_errors,
    import_undo_refusal,
)

# The gap page shows the financing figures with the names of countries, groups and donors.
GAP_PAGE_AREAS = ("financing", "pathfinders", "governance")


def _gap_page(request: HttpRequest) -> tuple[GapFilter, GapReport]:
    return gap_page(user=request.user, params=request.GET)


def _gap_charts(report: GapReport) -> dict:
    lines = report.lines[:20]
    labels = [line.label for line in lines]
    return {
        # The lines come largest gap first, and each bar is labelled with its gap.
        "breakdown": charts.stacked_bar_chart(
            labels,
            {
                _("Paid"): [float(line.paid) for line in lines],
                _("Committed"): [float(line.committed) for line in lines],
                _("Gap"): [float(max(line.gap, Decimal(0))) for line in lines],
            },
            title=_("Gap by %(dimension)s, after what is paid and committed (USD)")
            % {"dimension": report.dimension_label.lower()},
            roles=["paid", "committed", "gap"],
            label_series=_("Gap"),
        )
        if lines
        else None,
        "trends": gap_trend_chart(report.trends),
        "donors": charts.bar_chart(
            [(line.donor, float(line.share or 0)) for line in report.donors if line.rank],
            title=_("Share of funding of the top donors"),
            unit=charts.PERCENT,
            max_value=100,
            role="funded",
            name=_("Share of funding"),
        )
        if report.donors
        else None,
    }


@login_required
@require_safe
def gaps(request: HttpRequest) -> HttpResponse:
    # Kept for the person (the countries they may see, the Secretariat's links), the filters
    # and the language until the figures or the names they show change or the quarter hour turns;
    # computed only when it is not in the cache. Its PDF button carries the CSRF token.
    def context() -> dict:
        gap_filter, report = _gap_page(request)
        return {
            "filter": gap_filter,
            "report": report,
            "tables": report.tables,
            "charts": _gap_charts(report),
            "query": request.GET.urlencode(),
            "is_secretariat": is_secretariat(request.user),
            "can_read_everything": can_read_everything(request.user),
            "conversion_rule": conversion_rule(),
            "gap_rule": gap_rule(),
        }

    content = fragments.cached_render(
        request,
        "financing/_gap_page.html",
        areas=GAP_PAGE_AREAS,
        context=context,
        part=request.GET.urlencode(),
        person=True,
        form=True,
    )
    return render(request, "financing/gap_list.html", {"content": content})


@login_required
@require_safe
def gaps_export(request: HttpRequest, file_format: str) -> HttpResponse:
    gap_filter, report = _gap_page(request)
    return _export(
        request,
        report.tables,
        file_format,
        file_stem="financing-gaps",
        title=_("Financing gaps"),
        filters=exports.filters_applied(gap_filter.form),
        notes=[conversion_rule(), gap_rule()],
    )


NUMBER_FORMATS = {
    "usd": exports.WHOLE,
    "percent": exports.ONE_DECIMAL,
    "months": exports.ONE_DECIMAL,
    "amount": exports.DECIMAL,
}


def _export_table(table: Table) -> exports.Table:
    columns = [
        exports.Column(
            column.header,
            number_format=NUMBER_FORMATS.get(column.kind),
            width=32 if column.kind == "text" else 14,
        )
        for column in table.columns
    ]
    # Each sheet is named by the table's caption, in the reader's language.
    return exports.Table(table.caption, columns, table.rows, total=table.total)


def _export(
    request: HttpRequest,
    tables: list[Table],
    file_format: str,
    *,
    file_stem: str,
    title: str,
    filters: list[tuple[str, str]],
    notes: Sequence[str] = (),
) -> HttpResponse:
    if file_format == "csv":
        # One table a file: the one asked for, or the first.
        key = request.GET.get("table") or tables[0].key
        tables = [table for table in tables if table.key == key]
        if not tables:
            raise Http404("No such table on this page.")
        file_stem = f"{file_stem}-{key}"
        title = f"{title}: {tables[0].caption}"
    download = exports.Download(
        title=title,
        tables=[_export_table(table) for table in tables],
        file_stem=file_stem,
        filters=filters,
        notes=notes,
    )
    return exports.response(download, file_format)


def _signed_in(request: HttpRequest) -> User:
    """The person behind a request that login_required let through."""
    user = request.user
    assert isinstance(user, User)
    return user


def _today() -> datetime.date:
    return timezone.localdate()


def _sustainability_charts(report: Sustainability) -> dict:
    return {
        "projection": charts.stacked_bar_chart(
            [str(line.year) for line in report.projection],
            {
                _("Secured"): [float(min(line.secured, line.need)) for line in report.projection],
                _("Gap"): [float(max(line.gap, Decimal(0))) for line in report.projection],
            },
            title=_("Needs of the Secretariat: secured and missing (USD)"),
            roles=["funded", "gap"],
        ),
        "functions": charts.bar_chart(
            [(record_text(line.function, "name"), float(line.gap)) for line in report.functions],
            title=_("Missing over three years, by function (USD)"),
            role="gap",
            name=_("Missing (USD)"),
        )
        if report.functions
        else None,
        "months": charts.bar_chart(
            [
                (record_text(line.function, "name"), float(line.months or 0))
                for line in report.functions
            ],
            title=_("Months covered from January %(year)s, by function")
            % {"year": report.first_year},
            unit=" " + _("months"),
            role="funded",
            name=_("Months covered"),
        )
        if report.functions
        else None,
    }


@login_required
@require_safe
def sustainability(request: HttpRequest) -> HttpResponse:
    check_sustainability_access(request.user)
    report = secretariat_sustainability(today=_today(), cached=True)
    largest = max(report.functions, key=lambda line: line.gap, default=None)
    return render(
        request,
        "financing/sustainability_detail.html",
        {
            "report": report,
            "tables": report.tables,
            "charts": _sustainability_charts(report),
            "largest_gap": largest if largest and largest.gap > 0 else None,
            "first_year": report.projection[0].year,
            "last_year": report.projection[-1].year,
            "conversion_rule": conversion_rule(),
        },
    )


@login_required
@require_safe
def sustainability_export(request: HttpRequest, file_format: str) -> HttpResponse:
    check_sustainability_access(request.user)
    report = secretariat_sustainability(today=_today(), cached=True)
    return _export(
        request,
        report.tables,
        file_format,
        file_stem="secretariat-sustainability",
        title=_("Secretariat funding"),
        filters=[],
        notes=[conversion_rule(), report.earmarking_rule],
    )


# --- Flows, one by one ------------------------------------------------------------------------

FLOWS_PER_PAGE = 100


def _flow_filter(request: HttpRequest) -> GapFilter:
    return flow_filter_for(user=request.user, params=request.GET)


@login_required
@require_safe
def flow_list(request: HttpRequest) -> HttpResponse:
    flow_filter = _flow_filter(request)
    rates = RateTable.load()
    page = Paginator(annotated_flows(flow_filter.qs, rates=rates), FLOWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = flow_rows(page.object_list, rates=rates)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "financing/fundingflow_list.html",
        {
            "filter": flow_filter,
            "page_obj": page,
            "table": flow_table(rows),
            "notes": [row for row in rows if row.note],
            "query": query.urlencode(),
            "conversion_rule": conversion_rule(),
        },
    )


@login_required
@require_safe
def flow_list_export(request: HttpRequest, file_format: str) -> HttpResponse:
    flow_filter = _flow_filter(request)
    rates = RateTable.load()
    rows = flow_rows(annotated_flows(flow_filter.qs, rates=rates), rates=rates)
    return _export(
        request,
        [flow_table(rows)],
        file_format,
        file_stem="funding-flows",
        title=_("Funding flows"),
        filters=exports.filters_applied(flow_filter.form),
        notes=[conversion_rule()],
    )


def _ledger(request: HttpRequest, pk: int):
    flows = get_funding_flows_for_user(request.user)
    source = get_object_or_404(Organisation, pk=pk)
    return donor_ledger(source=source, flows=flows, history=get_flow_history_for_user(request.user))


@login_required
@require_safe
def donor_ledger_view(request: HttpRequest, pk: int) -> HttpResponse:
    ledger = _ledger(request, pk)
    return render(
        request,
        "financing/organisation_ledger.html",
        {"ledger": ledger, "conversion_rule": conversion_rule()},
    )


@login_required
@require_safe
def donor_ledger_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    ledger = _ledger(request, pk)
    return _export(
        request,
        ledger.tables,
        file_format,
        file_stem=f"ledger-{ledger.source.pk}",
        title=_("Ledger of %(source)s") % {"source": ledger.source.name},
        filters=[],
        notes=[conversion_rule()],
    )


def _import_context(form: FundingFlowImportForm) -> dict:
    return {
        "form": form,
        "columns": COLUMNS,
        "functions": SecretariatFunction.objects.values_list("code", flat=True),
        "action_groups": ActionGroup.objects.values_list("name", flat=True),
    }


@login_required
@require_http_methods(["GET", "POST"])
def flow_import(request: HttpRequest) -> HttpResponse:
    check_import_access(request.user)
    form = FundingFlowImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = funding_flow_import_start(
            file_name=upload.name,
            content=upload.read(),
            user=_signed_in(request),
            number_format=form.cleaned_data["number_format"],
            date_format=form.cleaned_data["date_format"],
        )
        return redirect("financing:import_detail", pk=job.pk)
    recent = FundingFlowImport.objects.select_related("uploaded_by").defer(
        "content", "errors", "rows"
    )[:10]
    return render(
        request,
        "financing/fundingflow_import.html",
        {**_import_context(form), "recent_imports": recent},
    )


IMPORT_ROWS_PER_PAGE = 200
ROW_FILTERS = [Action.ADDED, Action.UPDATED, Action.UNCHANGED, Action.NOT_PLACED]


def _import_rows(request: HttpRequest, job: FundingFlowImport) -> dict:
    """The rows of the summary, a page at a time, those of one kind if asked."""
    shown = request.GET.get("show", "")
    rows = job.rows
    if shown in ROW_FILTERS:
        rows = [row for row in rows if row["action"] == shown]
    else:
        shown = ""
    page = Paginator(rows, IMPORT_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    labels = {name: flow_field_label(name) for name in UPDATABLE}
    return {
        "rows": [
            {
                **row,
                **({"reason": Text.from_json(row["reason"])} if "reason" in row else {}),
                "changes": [
                    (labels[name], change_text(name, old), change_text(name, new))
                    for name, old, new in row.get("changes", [])
                ],
            }
            for row in page.object_list
        ],
        "page": page,
        "shown": shown,
        "page_query": urlencode({"show": shown}) if shown else "",
    }


@login_required
@require_safe
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_for_user(request.user, pk)
    errors = import_errors(job)
    return render(
        request,
        "financing/fundingflowimport_detail.html",
        {
            **_import_context(FundingFlowImportForm()),
            **_import_rows(request, job),
            "job": job,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "errors_hidden": max(job.error_count - MAX_ERRORS_SHOWN, 0),
            "error_lines": len({error.line for error in errors}),
            "undo_refusal": import_undo_refusal(job),
            "undo_days": settings.FUNDING_FLOW_IMPORT_UNDO_DAYS,
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_for_user(request.user, pk)
    if not funding_flow_import_confirm(job=job, user=_signed_in(request)):
        messages.error(request, _("This import is not waiting for confirmation."))
    return redirect("financing:import_detail", pk=job.pk)


@login_required
@require_POST
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_for_user(request.user, pk)
    try:
        count = funding_flow_import_undo(job=job, user=request.user)
    except UndoRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            ngettext(
                "The import is undone: %(count)s flow is back as it was before it.",
                "The import is undone: %(count)s flows are back as they were before it.",
                count,
            )
            % {"count": count},
        )
    return redirect("financing:import_detail", pk=job.pk)


@login_required
@require_safe
def import_template(request: HttpRequest, file_format: str) -> HttpResponse:
    check_import_access(request.user)
    return exports.response(template_download(), file_format)
