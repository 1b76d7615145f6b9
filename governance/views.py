from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance87 import exports, fragments
from alliance87.access import SignedInRequest, can_read_everything, is_secretariat
from alliance87.aggregates import AREAS
from alliance87.filters import database_id

from . import selectors, services
from .access import (
    check_composition_access,
    check_group_list_access,
    check_meeting_list_access,
    check_partner_access,
    check_rotation_access,
    get_call_for_user,
    get_group_for_user,
    get_meeting_for_user,
    visible_groups,
)
from .filters import GroupFilter
from .forms import (
    ActivityForm,
    AppointmentForm,
    CallForInterestForm,
    CandidateForm,
    ClosureProposalForm,
    DecisionForm,
    GroupProposalForm,
    PartnerAnalysisForm,
)
from .models import ActionGroup, GroupClosureProposal, OfficeHolder, Seat

MAX_ROTATION_YEARS = 10


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- GCG composition and rotation ------------------------------------------------------------


@login_required
def composition(request: SignedInRequest) -> HttpResponse:
    check_composition_access(request.user)
    can_see_rotation = _can_see_rotation(request.user)
    # The same for every reader but the rotation's links: kept until the governance data (or
    # a country's name) changes or the quarter hour turns (terms end, rotations come due); its PDF
    # button carries the session's CSRF token.
    content = fragments.cached_render(
        request,
        "governance/includes/composition_page.html",
        areas=["governance"],
        context=lambda: {
            **selectors.composition(today=timezone.localdate()),
            "can_see_rotation": can_see_rotation,
        },
        part=f"rotation={can_see_rotation}",
        form=True,
    )
    return render(request, "governance/gcg_composition.html", {"content": content})


def _can_see_rotation(user) -> bool:
    return can_read_everything(user)


@login_required
def composition_csv(request: SignedInRequest) -> HttpResponse:
    check_composition_access(request.user)
    download = exports.Download(
        title=_("GCG composition"),
        tables=[selectors.composition_table(selectors.composition())],
        file_stem=f"gcg-composition-{timezone.localdate():%Y-%m-%d}",
    )
    return exports.csv_response(download)


@login_required
def rotation(request: SignedInRequest) -> HttpResponse:
    check_rotation_access(request.user)
    try:
        years = min(max(int(request.GET.get("years", 3)), 1), MAX_ROTATION_YEARS)
    except ValueError:
        years = 3
    data = selectors.rotation_page(years=years)
    return render(
        request,
        "governance/gcg_rotation.html",
        {
            **data,
            "can_edit": is_secretariat(request.user),
            "year_choices": range(1, MAX_ROTATION_YEARS + 1),
        },
    )


@login_required
def call_create(request: SignedInRequest) -> HttpResponse:
    check_rotation_access(request.user, write=True)
    if request.method == "POST":
        form = CallForInterestForm(request.POST)
        if form.is_valid():
            try:
                call = services.call_for_interest_open(**form.cleaned_data, opened_by=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The call for expressions of interest is open."))
                return redirect("governance:call_detail", pk=call.pk)
    else:
        initial: dict[str, Any] = {}
        seat = database_id(request.GET.get("seat", ""))
        if seat is not None and Seat.objects.filter(pk=seat).exists():
            initial["seat"] = seat
        if request.GET.get("office") in OfficeHolder.Office.values:
            initial["office"] = request.GET["office"]
        if request.GET.get("vacancy"):
            initial["vacancy_on"] = request.GET["vacancy"]
        form = CallForInterestForm(initial=initial)
    return render(request, "governance/callforinterest_form.html", {"form": form})


@login_required
def call_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    call = get_call_for_user(request.user, pk, write=request.method == "POST")
    form = None
    if is_secretariat(request.user):
        form = CandidateForm(request.POST or None, call=call)
        if request.method == "POST" and form.is_valid():
            try:
                services.candidate_record(call=call, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The candidate is recorded."))
                return redirect("governance:call_detail", pk=call.pk)
    return render(
        request,
        "governance/callforinterest_detail.html",
        {"call": call, "form": form, **selectors.call_detail(call)},
    )


@login_required
def call_appoint(request: SignedInRequest, pk: int) -> HttpResponse:
    call = get_call_for_user(request.user, pk, write=True)
    if call.appointment is not None:
        messages.error(request, _("This call already led to an appointment."))
        return redirect("governance:call_detail", pk=call.pk)
    form = AppointmentForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_for_interest_appoint(call=call, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s is appointed; the call is closed.")
                % {"organisation": form.cleaned_data["candidate"].organisation},
            )
            return redirect("governance:call_detail", pk=call.pk)
    return render(request, "governance/callforinterest_appoint.html", {"call": call, "form": form})


@login_required
@require_POST
def call_close(request: SignedInRequest, pk: int) -> HttpResponse:
    call = get_call_for_user(request.user, pk, write=True)
    try:
        services.call_for_interest_close(call=call)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The call is closed."))
    return redirect("governance:call_detail", pk=call.pk)


# --- Action and working groups ---------------------------------------------------------------


@login_required
def group_list(request: SignedInRequest) -> HttpResponse:
    check_group_list_access(request.user)
    filterset = GroupFilter(request.GET or None, queryset=visible_groups(request.user))
    queryset = (
        filterset.qs
        if filterset.is_bound and filterset.is_valid()
        else visible_groups(request.user)
    )
    groups = selectors.group_list(user=request.user, filterset_queryset=queryset)
    return render(
        request,
        "governance/actiongroup_list.html",
        {
            "filter": filterset,
            "action_groups": [g for g in groups if g.status != ActionGroup.Status.CLOSED],
            "closed_groups": [g for g in groups if g.status == ActionGroup.Status.CLOSED],
            "can_edit": is_secretariat(request.user),
        },
    )


@login_required
def group_propose(request: SignedInRequest) -> HttpResponse:
    check_group_list_access(request.user, write=True)
    form = GroupProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_propose(**form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The proposal is recorded; a GCG decision will approve it.")
            )
            return redirect("governance:group_detail", pk=group.pk)
    return render(request, "governance/actiongroup_form.html", {"form": form})


def _render_group(
    request: HttpRequest, group: ActionGroup, status: int = 200, **forms
) -> HttpResponse:
    data = selectors.group_detail(user=request.user, group=group)
    can_edit = is_secretariat(request.user)
    if can_edit:
        if group.status in (ActionGroup.Status.ACTIVE, ActionGroup.Status.INACTIVE):
            forms.setdefault("activity_form", ActivityForm(prefix="activity"))
        if group.status == ActionGroup.Status.INACTIVE and data["open_proposal"] is None:
            forms.setdefault("closure_form", ClosureProposalForm(prefix="closure"))
        if data["open_proposal"] is not None:
            forms.setdefault(
                "decision_form",
                DecisionForm(prefix="decision", raised_on=data["open_proposal"].proposed_on),
            )
        if group.status == ActionGroup.Status.PROPOSED:
            forms.setdefault(
                "approval_form", DecisionForm(prefix="approval", raised_on=group.proposed_on)
            )
    return render(
        request,
        "governance/actiongroup_detail.html",
        {"group": group, "can_edit": can_edit, **data, **forms},
        status=status,
    )


@login_required
def group_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk)
    return _render_group(request, group)


@login_required
@require_POST
def activity_create(request: SignedInRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    form = ActivityForm(request.POST, prefix="activity")
    if form.is_valid():
        try:
            services.group_activity_log(group=group, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The activity is logged."))
            return redirect("governance:group_detail", pk=group.pk)
    return _render_group(request, group, status=400, activity_form=form)


@login_required
@require_POST
def closure_propose(request: SignedInRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    form = ClosureProposalForm(request.POST, prefix="closure")
    if form.is_valid():
        try:
            services.group_propose_closure(
                group=group, reason=form.cleaned_data["reason"], proposed_by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The closure is proposed; record the GCG decision once it is taken.")
            )
            return redirect("governance:group_detail", pk=group.pk)
    return _render_group(request, group, status=400, closure_form=form)


def _open_proposal(group: ActionGroup) -> GroupClosureProposal:
    proposal = group.closure_proposals.filter(status=GroupClosureProposal.Status.OPEN).first()
    if proposal is None:
        raise Http404
    return proposal


@login_required
@require_POST
def group_close(request: SignedInRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    proposal = _open_proposal(group)
    form = DecisionForm(request.POST, prefix="decision", raised_on=proposal.proposed_on)
    if form.is_valid():
        try:
            services.group_close(proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded and the group is closed."))
            return redirect("governance:group_detail", pk=group.pk)
    return _render_group(request, group, status=400, decision_form=form)


@login_required
@require_POST
def closure_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    try:
        services.group_closure_withdraw(proposal=_open_proposal(group))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The closure proposal is withdrawn."))
    return redirect("governance:group_detail", pk=group.pk)


@login_required
@require_POST
def group_approve(request: SignedInRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST, prefix="approval", raised_on=group.proposed_on)
    if form.is_valid():
        try:
            services.group_approve(group=group, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded and the group is active."))
            return redirect("governance:group_detail", pk=group.pk)
    return _render_group(request, group, status=400, approval_form=form)


# --- Meetings and decisions ------------------------------------------------------------------


@login_required
def meeting_list(request: SignedInRequest) -> HttpResponse:
    check_meeting_list_access(request.user)
    return render(
        request, "governance/gcgmeeting_list.html", {"meetings": selectors.meeting_list()}
    )


@login_required
def meeting_detail(request: SignedInRequest, number: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, number)
    return render(
        request,
        "governance/gcgmeeting_detail.html",
        {"meeting": meeting, **selectors.meeting_detail(meeting)},
    )


# --- Partners --------------------------------------------------------------------------------


def _analysis(request: HttpRequest) -> tuple[PartnerAnalysisForm, dict]:
    form = PartnerAnalysisForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, selectors.partner_analysis(**filters)


@login_required
def partner_analysis(request: SignedInRequest) -> HttpResponse:
    check_partner_access(request.user)

    def context() -> dict:
        form, data = _analysis(request)
        query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
        return {"form": form, "query": query, **data}

    # The same for everyone who may read it: kept for the filters asked for until any area's
    # data changes (engagements name organisations, countries, events and funding).
    content = fragments.cached_render(
        request,
        "governance/includes/partner_analysis.html",
        areas=AREAS,
        context=context,
        part=request.GET.urlencode(),
    )
    return render(request, "governance/partner_analysis.html", {"content": content})


@login_required
def partner_analysis_export(request: SignedInRequest, fmt: str) -> HttpResponse:
    check_partner_access(request.user)
    form, data = _analysis(request)
    download = exports.Download(
        title=_("Partner engagement"),
        tables=[
            exports.Table(table.title, table.headers, table.rows, sheet_name=table.title)
            for table in data["tables"]
        ],
        file_stem=f"partner-engagement-{timezone.localdate():%Y-%m-%d}",
        filters=exports.filters_applied(form),
    )
    return exports.response(download, fmt)
