from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance87.access import SignedInRequest
from alliance87.redirects import redirect_next

from .access import get_report_request_for_user
from .forms import ReportRequestForm
from .kinds import KINDS
from .selectors import reports_for_user
from .services import ReportRateLimited, UnknownReport, report_request


@login_required
@require_POST
def request_report(request: SignedInRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        report, joined = report_request(
            user=request.user,
            kind=form.cleaned_data["kind"],
            parameters=form.parameters(),
            language=get_language(),
        )
    except UnknownReport as error:
        raise Http404 from error
    except ReportRateLimited:
        messages.error(
            request, _("You have asked for many reports in the last hour. Please wait a little.")
        )
        return redirect_next(request, "reports:my_reports")
    if joined:
        messages.info(request, _("The same report is already being produced: you will get it too."))
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_request_for_user(request.user, pk)
    return render(
        request,
        "reports/reportrequest_detail.html",
        {"report": report, "kind": KINDS[report.kind]},
    )


@login_required
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    report = get_report_request_for_user(request.user, pk)
    return JsonResponse({"status": report.status, "label": report.get_status_display()})


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = get_report_request_for_user(request.user, pk)
    if report.status != report.Status.DONE or not report.file:
        raise Http404
    if not report.file.storage.exists(report.file.name):
        raise Http404
    filename = f"{report.subject_key.replace(':', '-')}-{report.language}.pdf"
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/reportrequest_list.html",
        {"reports": reports_for_user(request.user)[:100], "kinds": KINDS},
    )
