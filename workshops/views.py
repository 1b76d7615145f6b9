from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance87 import fragments
from alliance87.access import AccessRefused, SignedInRequest
from alliance87.redirects import redirect_next

from . import selectors, services
from .access import (
    can_edit_events,
    can_view_follow_up_board,
    get_document_for_user,
    get_event_for_user,
    get_follow_up_for_user,
    get_output_for_user,
)
from .forms import (
    CarryForwardForm,
    DocumentForm,
    FollowUpForm,
    FollowUpStatusForm,
    MinutesApprovalForm,
    MinutesForm,
    OutputDecisionForm,
)
from .ics import event_to_ics
from .models import Event, FollowUpAction, Minutes


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field at fault, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status_choices() -> list[tuple[str, str]]:
    """The status choices of each row's select box (FollowUpStatusForm's), translated once for
    the whole table."""
    return [(value, str(label)) for value, label in FollowUpAction.Status.choices]


@login_required
def event_list(request: SignedInRequest) -> HttpResponse:
    context = selectors.event_list(user=request.user, params=request.GET)
    return render(request, "workshops/event_list.html", context)


@login_required
def event_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    def context(event: Event) -> dict:
        data = selectors.event_detail(event=event, user=request.user)
        data.update(selectors.event_sections(event=event, user=request.user))
        data["can_edit"] = can_edit_events(request.user)
        data["can_view_board"] = can_view_follow_up_board(request.user)
        if data["can_edit"]:
            data["status_choices"] = _status_choices()
        return data

    # Kept for the person (their registration, the Secretariat's forms) until the event's
    # data changes or the quarter hour turns; its forms carry the session's CSRF token.
    page = fragments.cached_page(
        request,
        "workshops/includes/event_page.html",
        areas=EVENT_PAGE_AREAS,
        part=str(pk),
        load=lambda: get_event_for_user(request.user, pk),
        title=lambda event: event.title,
        context=context,
        form=True,
    )
    return render(request, "workshops/event_detail.html", {"page": page})


# Co-leads, organisers and decisions name governance organisations and countries.
EVENT_PAGE_AREAS = ["workshops", "governance", "pathfinders"]


@login_required
def event_ics(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    url = request.build_absolute_uri(reverse("workshops:event_detail", args=[event.pk]))
    response = HttpResponse(
        event_to_ics(event, url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="alliance87-event-{event.pk}.ics"'
    return response


@login_required
def event_agenda_print(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    return render(
        request,
        "workshops/event_agenda_print.html",
        {"event": event, "agenda": selectors.event_agenda(event=event)},
    )


@login_required
def output_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    output = get_output_for_user(request.user, pk, write=True)
    form = OutputDecisionForm(request.POST or None, output=output)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {"output": output, "meeting": data["meeting"], "by": request.user}
        try:
            if data["decision"] == form.ADOPT:
                services.output_adopt(
                    **common,
                    adopted_on=data["decided_on"],
                    note=data["note"],
                    create_decision=data["create_decision"],
                    decision=data["gcg_decision"],
                )
            elif data["decision"] == form.REJECT:
                services.output_reject(**common, rejected_on=data["decided_on"], note=data["note"])
            else:
                services.output_defer(**common, deferred_on=data["decided_on"], note=data["note"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The decision on “%(title)s” is recorded.") % {"title": output.title}
            )
            return redirect(f"{reverse('workshops:event_detail', args=[output.event_id])}#outputs")
    return render(request, "workshops/output_decide.html", {"output": output, "form": form})


@login_required
def followup_board(request: SignedInRequest) -> HttpResponse:
    if not can_view_follow_up_board(request.user):
        raise AccessRefused

    def context() -> dict:
        data = selectors.follow_up_board(user=request.user, params=request.GET)
        data["can_edit"] = can_edit_events(request.user)
        data["status_choices"] = _status_choices()
        return data

    # Kept for the person (what they may see and change), the filters and page asked for,
    # until an event, action or organisation changes or the quarter hour turns (actions fall
    # overdue at midnight); each row's status form carries the session's CSRF token.
    content = fragments.cached_render(
        request,
        "workshops/includes/followup_board.html",
        areas=EVENT_PAGE_AREAS,
        context=context,
        part=request.GET.urlencode(),
        person=True,
        form=True,
    )
    return render(request, "workshops/followupaction_board.html", {"content": content})


@login_required
def followup_create(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk, write=True)
    form = FollowUpForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_create(
                event=event,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                output=form.cleaned_data["output"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The follow-up action is on the board."))
            return redirect(f"{reverse('workshops:event_detail', args=[event.pk])}#follow-ups")
    return render(request, "workshops/followupaction_form.html", {"event": event, "form": form})


@login_required
def followup_status(request: SignedInRequest, pk: int) -> HttpResponse:
    action = get_follow_up_for_user(request.user, pk, write=True)
    form = FollowUpStatusForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_set_status(
                action=action,
                status=form.cleaned_data["status"],
                completed_on=form.cleaned_data["completed_on"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The status of the follow-up action is updated."))
            return redirect_next(request, "workshops:followup_board")
    return render(request, "workshops/followupaction_status.html", {"action": action, "form": form})


@login_required
def followups_carry_forward(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk, write=True)
    initial = {"to_event": services.next_meeting_after(event)}
    form = CarryForwardForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.follow_ups_carry_forward(
                event=event, to_event=form.cleaned_data["to_event"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if item is None:
                to_event = form.cleaned_data["to_event"]
                if FollowUpAction.objects.open().filter(carried_to__event=to_event).exists():
                    messages.info(
                        request,
                        _("The open actions are already on the agenda of “%(title)s”.")
                        % {"title": to_event.title},
                    )
                    return redirect(
                        f"{reverse('workshops:event_detail', args=[to_event.pk])}#agenda"
                    )
                messages.info(request, _("There were no open actions left to carry forward."))
                return redirect("workshops:event_detail", pk=event.pk)
            messages.success(request, _("The open actions are on the next meeting's agenda."))
            return redirect(f"{reverse('workshops:event_detail', args=[item.event_id])}#agenda")
    return render(request, "workshops/followupaction_carry.html", {"event": event, "form": form})


@login_required
def document_upload(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                event=event,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect(f"{reverse('workshops:event_detail', args=[event.pk])}#documents")
    return render(request, "workshops/eventdocument_form.html", {"event": event, "form": form})


@login_required
def document_download(request: SignedInRequest, pk: int) -> FileResponse:
    document = get_document_for_user(request.user, pk)
    name = document.file.name.rsplit("/", 1)[-1]
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = document.content_type
    return response


@login_required
def my_registrations(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "workshops/participant_mine.html",
        {"registrations": selectors.my_registrations(user=request.user)},
    )


@login_required
def minutes_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk, write=True)
    minutes = Minutes.objects.filter(event=event).first()
    form = MinutesForm(request.POST or None, initial={"text": minutes.text if minutes else ""})
    if minutes is not None and minutes.status != Minutes.Status.DRAFT:
        messages.info(request, _("These minutes have been circulated and are no longer edited."))
        return redirect(f"{reverse('workshops:event_detail', args=[event.pk])}#minutes")
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save_draft(
                event=event, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The draft minutes are saved."))
            return redirect(f"{reverse('workshops:event_detail', args=[event.pk])}#minutes")
    return render(request, "workshops/minutes_form.html", {"event": event, "form": form})


@login_required
@require_POST
def minutes_circulate(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk, write=True)
    minutes = Minutes.objects.filter(event=event).first()
    if minutes is None:
        raise AccessRefused
    try:
        services.minutes_circulate(minutes=minutes)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes are circulated."))
    return redirect(f"{reverse('workshops:event_detail', args=[event.pk])}#minutes")


@login_required
def minutes_approve(request: SignedInRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk, write=True)
    minutes = Minutes.objects.filter(event=event).first()
    if minutes is None:
        raise AccessRefused
    form = MinutesApprovalForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_approve(
                minutes=minutes,
                meeting=form.cleaned_data["meeting"],
                approved_on=form.cleaned_data["approved_on"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The approval of the minutes is recorded."))
            return redirect(f"{reverse('workshops:event_detail', args=[event.pk])}#minutes")
    return render(
        request,
        "workshops/minutes_approve.html",
        {"event": event, "minutes": minutes, "form": form},
    )
