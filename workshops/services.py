"""Every write of the workshops area, and the rules of its workflows.

Callers check who may write (workshops.access); these functions check what may be written.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance87.aggregates import aggregates_changed
from alliance87.outbox.services import email_render_and_queue
from governance.models import Decision, Organisation
from governance.services import decision_record

from .models import (
    AgendaItem,
    Event,
    EventDocument,
    FollowUpAction,
    Minutes,
    Output,
    Participant,
)

FOLLOW_UP_REVIEW_TITLE = "Review of follow-up actions"


# --- Outputs: the adoption workflow -------------------------------------------------------


def _check_decision_meeting(*, output: Output, meeting: Event, on: datetime.date) -> None:
    if meeting.status == Event.Status.CANCELLED:
        raise ValidationError({"meeting": _("A cancelled meeting decides nothing.")})
    if meeting.start_date < output.event.start_date:
        raise ValidationError(
            {
                "meeting": _(
                    "The meeting must take place at or after the event that produced the output."
                )
            }
        )
    if not meeting.start_date <= on <= meeting.end_date:
        raise ValidationError(
            {
                "decided_on": _("The date must fall within the meeting (%(start)s to %(end)s).")
                % {"start": meeting.start_date, "end": meeting.end_date}
            }
        )
    if on > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision cannot be recorded in advance.")})


def _check_undecided(output: Output) -> None:
    if output.status not in (Output.Status.PROPOSED, Output.Status.DEFERRED):
        raise ValidationError(
            _("This output is already %(status)s; its decision cannot be changed here.")
            % {"status": output.get_status_display().lower()}
        )


def _next_decision_reference(meeting_number: int) -> str:
    # The governance records' own style: GCG/15/1 is the first decision of the 15th meeting.
    prefix = f"GCG/{meeting_number}/"
    taken = set(
        Decision.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    )
    number = len(taken) + 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


@transaction.atomic
def output_adopt(
    *,
    output: Output,
    meeting: Event,
    adopted_on: datetime.date,
    by,
    note: str = "",
    create_decision: bool = False,
    decision: Decision | None = None,
) -> Output:
    """Adopt an output at a meeting; optionally file it as a GCG decision, new or existing."""
    output = Output.objects.select_for_update().select_related("event").get(pk=output.pk)
    _check_undecided(output)
    _check_decision_meeting(output=output, meeting=meeting, on=adopted_on)
    if create_decision and decision is not None:
        raise ValidationError(_("Either link an existing GCG decision or create one, not both."))
    if create_decision:
        if meeting.gcg_meeting_id is None:
            raise ValidationError(
                {
                    "meeting": _(
                        "Only a meeting linked to a numbered GCG meeting can record a GCG decision."
                    )
                }
            )
        gcg_meeting = meeting.gcg_meeting
        decision = decision_record(
            meeting=gcg_meeting,
            reference=_next_decision_reference(gcg_meeting.number),
            date=adopted_on,
            kind=Decision.Kind.ADOPT_OUTPUT,
            text=f"{output.title}\n\n{output.text}",
        )
    elif decision is not None and Output.objects.filter(gcg_decision=decision).exists():
        raise ValidationError({"decision": _("This GCG decision already records another output.")})
    output.status = Output.Status.ADOPTED
    output.decided_at = meeting
    output.decided_on = adopted_on
    output.decision_note = note
    output.decided_by = by
    output.gcg_decision = decision
    output.full_clean()
    output.save()
    return output


@transaction.atomic
def output_reject(
    *, output: Output, meeting: Event, rejected_on: datetime.date, by, note: str = ""
) -> Output:
    output = Output.objects.select_for_update().select_related("event").get(pk=output.pk)
    _check_undecided(output)
    _check_decision_meeting(output=output, meeting=meeting, on=rejected_on)
    output.status = Output.Status.REJECTED
    output.decided_at, output.decided_on = meeting, rejected_on
    output.decision_note, output.decided_by = note, by
    output.full_clean()
    output.save()
    return output


@transaction.atomic
def output_defer(
    *, output: Output, meeting: Event, deferred_on: datetime.date, by, note: str
) -> Output:
    """Put off the decision to a later meeting; the reason is required."""
    output = Output.objects.select_for_update().select_related("event").get(pk=output.pk)
    _check_undecided(output)
    _check_decision_meeting(output=output, meeting=meeting, on=deferred_on)
    if not note.strip():
        raise ValidationError({"note": _("Say why the decision is deferred.")})
    output.status = Output.Status.DEFERRED
    output.decided_at, output.decided_on = meeting, deferred_on
    output.decision_note, output.decided_by = note, by
    output.full_clean()
    output.save()
    return output


@transaction.atomic
def output_record(
    *,
    event: Event,
    kind: str,
    title: str,
    text: str,
    agenda_item: AgendaItem | None = None,
) -> Output:
    if agenda_item is not None and agenda_item.event_id != event.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this event's agenda.")})
    output = Output(event=event, agenda_item=agenda_item, kind=kind, title=title, text=text)
    output.full_clean()
    output.save()
    return output


# --- Follow-up actions --------------------------------------------------------------------


@transaction.atomic
def follow_up_create(
    *,
    event: Event,
    description: str,
    owner: Organisation,
    due_date: datetime.date,
    by,
    output: Output | None = None,
) -> FollowUpAction:
    if output is not None and output.event_id != event.pk:
        raise ValidationError({"output": _("Choose an output of this event.")})
    if due_date < event.start_date:
        raise ValidationError({"due_date": _("The due date cannot be before the event.")})
    action = FollowUpAction(
        event=event,
        output=output,
        description=description,
        owner=owner,
        due_date=due_date,
        created_by=by,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def follow_up_set_status(
    *, action: FollowUpAction, status: str, completed_on: datetime.date | None = None
) -> FollowUpAction:
    action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    if status not in FollowUpAction.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    action.status = status
    if status == FollowUpAction.Status.DONE:
        completed_on = completed_on or timezone.localdate()
        if completed_on > timezone.localdate():
            raise ValidationError(
                {"completed_on": _("An action cannot be completed in the future.")}
            )
        action.completed_on = completed_on
    else:
        action.completed_on = None
    action.full_clean()
    action.save()
    return action


def next_meeting_after(event: Event) -> Event | None:
    """Where open actions are reviewed: the event this one feeds into, else the next GCG meeting."""
    later = Event.objects.exclude(status=Event.Status.CANCELLED).filter(
        start_date__gt=event.end_date
    )
    fed = later.filter(fed_by=event).order_by("start_date").first()
    if fed is not None:
        return fed
    return later.filter(kind=Event.Kind.GCG_MEETING).order_by("start_date").first()


@transaction.atomic
def follow_ups_carry_forward(*, event: Event, to_event: Event | None = None) -> AgendaItem | None:
    """Put the event's open actions on the next meeting's agenda, in one review item.

    Safe to repeat: the review item is created once and actions already carried stay put.
    Returns the agenda item, or None when there is nothing to carry or nowhere to carry it.
    """
    to_event = to_event or next_meeting_after(event)
    if to_event is None:
        return None
    if to_event.start_date <= event.end_date or to_event.status == Event.Status.CANCELLED:
        raise ValidationError(_("Open actions can only be carried into a later meeting."))
    actions = list(
        FollowUpAction.objects.select_for_update()
        .open()
        .filter(event=event, carried_to__isnull=True)
    )
    if not actions:
        return None
    item = AgendaItem.objects.filter(event=to_event, title=FOLLOW_UP_REVIEW_TITLE).first()
    if item is None:
        last = to_event.agenda_items.aggregate(last=Max("order"))["last"] or 0
        item = AgendaItem(
            event=to_event,
            order=last + 1,
            title=FOLLOW_UP_REVIEW_TITLE,
            description=_("Progress on the open follow-up actions of earlier meetings."),
        )
        item.full_clean()
        item.save()
    for action in actions:
        action.carried_to = item
    FollowUpAction.objects.bulk_update(actions, ["carried_to"])
    aggregates_changed("workshops")  # a bulk update sends no model signal
    return item


# --- Documents ----------------------------------------------------------------------------


def _safe_name(name: str) -> str:
    stem, _dot, extension = name.rpartition(".")
    stem = re.sub(r"[^\w.-]+", "-", stem or extension).strip("-.")[:80] or "document"
    return f"{stem}.{extension.lower()}" if stem != extension else stem


@transaction.atomic
def document_upload(
    *, event: Event, kind: str, title: str, upload: UploadedFile, by
) -> EventDocument:
    upload.name = _safe_name(upload.name)
    # full_clean checks the file (workshops.models.DOCUMENT_UPLOAD) and records its type.
    document = EventDocument(event=event, kind=kind, title=title, file=upload, uploaded_by=by)
    document.full_clean()
    document.save()
    return document


# --- Minutes ------------------------------------------------------------------------------


@transaction.atomic
def minutes_save_draft(*, event: Event, text: str, by) -> Minutes:
    minutes = Minutes.objects.select_for_update().filter(event=event).first()
    if minutes is None:
        minutes = Minutes(event=event, drafted_by=by)
    elif minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Circulated minutes are not edited; they are approved or not."))
    minutes.text = text
    minutes.drafted_by = minutes.drafted_by or by
    minutes.full_clean()
    minutes.save()
    return minutes


@transaction.atomic
def minutes_circulate(
    *, minutes: Minutes, on: datetime.date | None = None, notify: bool = True
) -> Minutes:
    """Circulate draft minutes; the participants with an account get an email after commit."""
    from .tasks import notify_minutes_circulated

    minutes = Minutes.objects.select_for_update().select_related("event").get(pk=minutes.pk)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Only draft minutes can be circulated."))
    if minutes.event.status != Event.Status.HELD:
        raise ValidationError(_("Minutes are circulated once the event has been held."))
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_on = on or timezone.localdate()
    minutes.full_clean()
    minutes.save()
    if notify:
        minutes_id = minutes.pk
        transaction.on_commit(lambda: notify_minutes_circulated.delay(minutes_id))
    return minutes


@transaction.atomic
def minutes_notify_participants(*, minutes_id: int) -> int:
    """Queue an email to each participant with an account that the minutes are out; safe to
    run twice.

    The row is claimed with a conditional UPDATE, in the transaction that queues the emails
    (alliance87.outbox), so a repeated or interrupted job never emails anyone twice.
    """
    claimed = Minutes.objects.filter(
        pk=minutes_id, status=Minutes.Status.CIRCULATED, participants_notified_at__isnull=True
    ).update(participants_notified_at=timezone.now())
    if not claimed:
        return 0
    aggregates_changed("workshops")  # an UPDATE sends no model signal
    minutes = Minutes.objects.select_related("event").get(pk=minutes_id)
    event = minutes.event
    url = settings.SITE_URL.rstrip("/") + reverse("workshops:event_detail", args=[event.pk])
    recipients = (
        Participant.objects.filter(event=event, user__is_active=True)
        .exclude(invitation=Participant.Invitation.DECLINED)
        .select_related("user")
        .order_by("pk")
    )
    queued = 0
    for participant in recipients:
        user = participant.user
        if email_render_and_queue(
            purpose="workshops.minutes_circulated",
            object_id=minutes.pk,
            to=user.email,
            language=user.language,
            template="workshops/email/minutes_circulated",
            context={"user": user, "event": event, "minutes": minutes, "url": url},
        ):
            queued += 1
    return queued


@transaction.atomic
def minutes_approve(*, minutes: Minutes, meeting: Event, approved_on: datetime.date, by) -> Minutes:
    """Record that the next meeting approved the minutes."""
    minutes = Minutes.objects.select_for_update().select_related("event").get(pk=minutes.pk)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Only circulated minutes can be approved."))
    if meeting.pk == minutes.event_id or meeting.start_date <= minutes.event.end_date:
        raise ValidationError({"meeting": _("Minutes are approved at a later meeting.")})
    if meeting.status == Event.Status.CANCELLED:
        raise ValidationError({"meeting": _("A cancelled meeting approves nothing.")})
    if not meeting.start_date <= approved_on <= meeting.end_date:
        raise ValidationError(
            {
                "approved_on": _("The date must fall within the meeting (%(start)s to %(end)s).")
                % {"start": meeting.start_date, "end": meeting.end_date}
            }
        )
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": _("An approval cannot be recorded in advance.")})
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at, minutes.approved_on = meeting, approved_on
    minutes.approval_recorded_by = by
    minutes.full_clean()
    minutes.save()
    return minutes
