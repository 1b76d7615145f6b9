"""Every write of the workshops area, and the rules of its workflows.

Callers check who may write (workshops.access); these functions check what may be written.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from alliance87.accounts.models import User
from alliance87.aggregates import aggregates_changed
from alliance87.links import absolute_url
from alliance87.outbox.services import email_render_and_queue
from alliance87.timezones import time_zone_for
from governance.models import Decision, GCGMeeting, Organisation
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


def meetings_deciding_output(output: Output) -> QuerySet[Event]:
    """The meetings that may adopt, reject or defer an output: GCG meetings held on or after its
    event (and after the meeting that deferred it), up to today."""
    after = output.event.start_date
    deferred_at = _deferring_meeting(output)
    if deferred_at is not None:
        after = max(after, deferred_at.start_date)
    return (
        Event.objects.filter(gcg_meeting__isnull=False, start_date__gte=after)
        .filter(start_date__lte=timezone.localdate())
        .exclude(status=Event.Status.CANCELLED)
        .select_related("gcg_meeting")
        .order_by("start_date", "title")
    )


def _deferring_meeting(output: Output) -> Event | None:
    """The meeting that deferred the output, if it is deferred (a decided output names the
    meeting that decided it: constraint workshops_output_decision_recorded)."""
    if output.status == Output.Status.DEFERRED and output.decided_at_id:
        return output.decided_at
    return None


def _check_decision_meeting(*, output: Output, meeting: Event, on: datetime.date) -> None:
    if not meeting.is_gcg_meeting:
        raise ValidationError(
            {
                "meeting": _(
                    "Outputs are adopted, rejected or deferred only at a GCG meeting; "
                    "“%(title)s” is not a GCG meeting."
                )
                % {"title": meeting.title}
            }
        )
    if meeting.status == Event.Status.CANCELLED:
        raise ValidationError({"meeting": _("A cancelled meeting decides nothing.")})
    if meeting.start_date < output.event.start_date:
        raise ValidationError(
            {
                "meeting": _(
                    "Outputs are decided only at a GCG meeting held on or after the event that "
                    "produced them (%(date)s)."
                )
                % {"date": date_format(output.event.start_date)}
            }
        )
    deferred_at = _deferring_meeting(output)
    if deferred_at is not None and meeting.start_date < deferred_at.start_date:
        raise ValidationError(
            {
                "meeting": _(
                    "A deferred output is decided at a meeting held after the one that deferred "
                    "it (%(date)s)."
                )
                % {"date": date_format(deferred_at.start_date)}
            }
        )
    if not meeting.start_date <= on <= meeting.end_date:
        raise ValidationError(
            {
                "decided_on": _("The date must fall within the meeting (%(start)s to %(end)s).")
                % {"start": date_format(meeting.start_date), "end": date_format(meeting.end_date)}
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


@transaction.atomic
def output_adopt(
    *,
    output: Output,
    meeting: Event,
    adopted_on: datetime.date,
    by: User | None,
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
        decision = decision_record(
            meeting=meeting.gcg_meeting,
            kind=Decision.Kind.ADOPT_OUTPUT,
            text=f"{output.title}\n\n{output.text}",
        )
    elif decision is not None:
        if decision.meeting_id != meeting.gcg_meeting.pk:
            raise ValidationError(
                {
                    "decision": _(
                        "An output's GCG decision is one taken at the meeting that adopted it; "
                        "%(reference)s was taken at GCG meeting %(number)s."
                    )
                    % {"reference": decision.reference, "number": decision.meeting.number}
                }
            )
        if Output.objects.filter(gcg_decision=decision).exists():
            raise ValidationError(
                {"decision": _("This GCG decision already records another output.")}
            )
    output.status = Output.Status.ADOPTED
    output.decided_at = meeting
    output.decided_on = adopted_on
    output.decision_note = note
    output.decided_by = by
    output.gcg_decision = decision
    _save_decision(output)
    return output


def _save_decision(output: Output) -> None:
    """Saved with English active: the output's title and text columns (and its history) keep
    their English, whatever the language of the person recording the decision."""
    with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        output.full_clean()
        output.save()


@transaction.atomic
def output_reject(
    *, output: Output, meeting: Event, rejected_on: datetime.date, by: User | None, note: str = ""
) -> Output:
    output = Output.objects.select_for_update().select_related("event").get(pk=output.pk)
    _check_undecided(output)
    _check_decision_meeting(output=output, meeting=meeting, on=rejected_on)
    output.status = Output.Status.REJECTED
    output.decided_at, output.decided_on = meeting, rejected_on
    output.decision_note, output.decided_by = note, by
    _save_decision(output)
    return output


@transaction.atomic
def output_defer(
    *, output: Output, meeting: Event, deferred_on: datetime.date, by: User | None, note: str
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
    _save_decision(output)
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
    # The title and text given are the English (alliance87.translated), whatever the language
    # of the person recording it.
    with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        output = Output(event=event, agenda_item=agenda_item, kind=kind, title=title, text=text)
        output.full_clean()
        output.save()
    return output


# --- GCG meetings: an event that carries its GCG meeting number ----------------------------


def _copy_event_to_gcg_meeting(meeting: GCGMeeting, event: Event) -> None:
    # The English (alliance87.translated): the column modeltranslation adds for it.
    meeting.title = str(getattr(event, "title_en", None) or event.title)[:200]
    meeting.date = event.start_date
    meeting.location = (event.place or event.city)[:200]
    meeting.is_virtual = event.is_online


@transaction.atomic
def event_set_gcg_number(*, event: Event, number: int) -> GCGMeeting:
    """Make a GCG meeting event carry its meeting number (creating its GCG record once), and keep
    the record's title, date and place those of the event; its decisions follow the date."""
    if event.kind != Event.Kind.GCG_MEETING:
        raise ValidationError({"gcg_number": _("Only a GCG meeting carries a GCG meeting number.")})
    event = Event.objects.select_for_update().get(pk=event.pk)
    meeting = GCGMeeting.objects.select_for_update().filter(event=event).first()
    holder = GCGMeeting.objects.filter(number=number).select_related("event").first()
    if holder is not None and holder != meeting:
        raise ValidationError(
            {
                "gcg_number": _("GCG meeting %(number)s is already recorded (%(title)s).")
                % {"number": number, "title": holder.event.title}
            }
        )
    if meeting is None:
        meeting = GCGMeeting(event=event, number=number, is_demo=event.is_demo)
    elif meeting.number != number:
        if meeting.decisions.exists():
            raise ValidationError(
                {
                    "gcg_number": _(
                        "The number names the meeting's decisions (GCG/%(number)s/…); it cannot "
                        "change once decisions are recorded."
                    )
                    % {"number": meeting.number}
                }
            )
        meeting.number = number
    _copy_event_to_gcg_meeting(meeting, event)
    try:
        meeting.full_clean()
    except ValidationError as error:
        # The number is given on the event, and the date is the event's first day.
        raise ValidationError(
            {
                "gcg_number" if name in ("number", NON_FIELD_ERRORS) else name: messages
                for name, messages in error.message_dict.items()
            }
        ) from error
    meeting.save()
    meeting.decisions.exclude(date=meeting.date).update(date=meeting.date)
    aggregates_changed("governance")  # the UPDATE sends no model signal
    return meeting


@transaction.atomic
def gcg_meeting_create(
    *,
    number: int,
    title: str,
    date: datetime.date,
    location: str = "",
    is_virtual: bool = False,
    is_demo: bool = False,
) -> GCGMeeting:
    """Record a GCG meeting as one record: its event, carrying its number. The title given is
    the English (alliance87.translated), whatever the language of the person recording it."""
    with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        event = Event(
            kind=Event.Kind.GCG_MEETING,
            title=title,
            start_date=date,
            end_date=date,
            city=location[:100],
            is_online=is_virtual,
            status=Event.Status.HELD if date < timezone.localdate() else Event.Status.PLANNED,
            is_demo=is_demo,
        )
        event.full_clean()
        event.save()
    return event_set_gcg_number(event=event, number=number)


# --- Follow-up actions --------------------------------------------------------------------


@transaction.atomic
def follow_up_create(
    *,
    event: Event,
    description: str,
    owner: Organisation,
    due_date: datetime.date,
    by: User | None,
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


def meetings_reviewing_actions(event: Event) -> QuerySet[Event]:
    """The meetings that may review an event's open actions: later meetings of the same body (the
    next GCG meetings for a GCG meeting), or, for another event, the event it feeds into or the
    next GCG meeting."""
    later = (
        Event.objects.exclude(status=Event.Status.CANCELLED)
        .filter(start_date__gt=event.end_date)
        .order_by("start_date", "title")
    )
    if event.kind == Event.Kind.GCG_MEETING:
        return later.filter(gcg_meeting__isnull=False)
    return later.filter(
        Q(kind=event.kind) | Q(fed_by=event) | Q(gcg_meeting__isnull=False)
    ).distinct()


def next_meeting_after(event: Event) -> Event | None:
    """Where open actions are reviewed: the event this one feeds into, else the next GCG meeting
    (for a GCG meeting, the next GCG meeting)."""
    meetings = meetings_reviewing_actions(event)
    fed = meetings.filter(fed_by=event).first()
    if fed is not None:
        return fed
    return meetings.filter(gcg_meeting__isnull=False).first()


@transaction.atomic
def follow_ups_carry_forward(*, event: Event, to_event: Event | None = None) -> AgendaItem | None:
    """Put the event's open actions on the next meeting's agenda, in one review item.

    Every open action of an earlier meeting of the same body comes along, whatever meeting it
    was last carried to, so an overdue action never stops at an old agenda.
    Safe to repeat: the review item is created once and actions already carried stay put.
    Returns the agenda item, or None when there is nothing to carry or nowhere to carry it.
    """
    to_event = to_event or next_meeting_after(event)
    if to_event is None:
        return None
    if to_event.start_date <= event.end_date or to_event.status == Event.Status.CANCELLED:
        raise ValidationError(
            {"to_event": _("Open actions can only be carried into a later meeting.")}
        )
    if not meetings_reviewing_actions(event).filter(pk=to_event.pk).exists():
        rule = (
            _("The open actions of a GCG meeting are reviewed at a later GCG meeting")
            if event.kind == Event.Kind.GCG_MEETING
            else _(
                "Open actions are reviewed at a later meeting of the same kind, the event this "
                "one feeds into or a GCG meeting"
            )
        )
        raise ValidationError(
            {
                "to_event": _("%(rule)s; “%(title)s” is not one (%(kind)s).")
                % {"rule": rule, "title": to_event.title, "kind": to_event.get_kind_display()}
            }
        )
    # Every open action of the body's earlier meetings, wherever it was last carried: agreed
    # here and not carried yet, carried into this meeting, or left behind in an earlier one.
    same_body = (
        Q(gcg_meeting__isnull=False)
        if to_event.kind == Event.Kind.GCG_MEETING
        else Q(kind=to_event.kind)
    )
    # A meeting recorded late may come before one the actions were already carried to: they
    # come back to it, as the next meeting of the body reviews everything still open.
    body = Event.objects.filter(same_body)
    earlier = body.filter(start_date__lt=to_event.start_date)
    actions = list(
        FollowUpAction.objects.select_for_update(of=("self",))
        .open()
        .filter(
            Q(event=event)
            | Q(event__in=earlier)
            | Q(carried_to__event=event)
            | Q(carried_to__event__in=body)
        )
        .exclude(carried_to__event=to_event)
        .order_by("pk")
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
    *, event: Event, kind: str, title: str, upload: UploadedFile, by: User | None
) -> EventDocument:
    upload.name = _safe_name(upload.name or "")
    # full_clean checks the file (workshops.models.DOCUMENT_UPLOAD) and records its type.
    document = EventDocument(event=event, kind=kind, title=title, file=upload, uploaded_by=by)
    document.full_clean()
    document.save()
    return document


# --- Minutes ------------------------------------------------------------------------------


@transaction.atomic
def minutes_save_draft(*, event: Event, text: str, by: User | None) -> Minutes:
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
    from .tasks import notify_minutes_circulated  # the task imports this module

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
        notify_minutes_circulated.delay_on_commit(minutes.pk)
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
    url = absolute_url(reverse("workshops:event_detail", args=[event.pk]))
    recipients = (
        Participant.objects.filter(event=event, user__is_active=True)
        .exclude(invitation=Participant.Invitation.DECLINED)
        .select_related("user")
        .order_by("pk")
    )
    queued = 0
    for participant in recipients:
        user = participant.user
        assert user is not None  # the query follows the participant's user
        if email_render_and_queue(
            purpose="workshops.minutes_circulated",
            object_id=minutes.pk,
            to=user.email,
            language=user.language,
            time_zone=time_zone_for(user),
            template="workshops/email/minutes_circulated",
            context={"user": user, "event": event, "minutes": minutes, "url": url},
        ):
            queued += 1
    return queued


def meetings_approving_minutes(event: Event) -> QuerySet[Event]:
    """The meetings that may approve an event's minutes: later meetings of the same body, held."""
    later = (
        Event.objects.exclude(status=Event.Status.CANCELLED)
        .filter(start_date__gt=event.end_date, start_date__lte=timezone.localdate())
        .order_by("start_date", "title")
    )
    if event.kind == Event.Kind.GCG_MEETING:
        return later.filter(gcg_meeting__isnull=False)
    return later.filter(Q(kind=event.kind) | Q(fed_by=event)).distinct()


@transaction.atomic
def minutes_approve(
    *, minutes: Minutes, meeting: Event, approved_on: datetime.date, by: User | None
) -> Minutes:
    """Record that the next meeting approved the minutes."""
    minutes = Minutes.objects.select_for_update().select_related("event").get(pk=minutes.pk)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Only circulated minutes can be approved."))
    if meeting.pk == minutes.event_id or meeting.start_date <= minutes.event.end_date:
        raise ValidationError(
            {"meeting": _("Minutes are approved at a later meeting than the one they record.")}
        )
    if not minutes.event.is_same_body_as(meeting):
        raise ValidationError(
            {
                "meeting": _(
                    "Minutes are approved at a later meeting of the same body: the minutes of a "
                    "%(kind)s are not approved at “%(title)s” (%(other)s)."
                )
                % {
                    "kind": minutes.event.get_kind_display(),
                    "title": meeting.title,
                    "other": meeting.get_kind_display(),
                }
            }
        )
    if meeting.status == Event.Status.CANCELLED:
        raise ValidationError({"meeting": _("A cancelled meeting approves nothing.")})
    if not meeting.start_date <= approved_on <= meeting.end_date:
        raise ValidationError(
            {
                "approved_on": _("The date must fall within the meeting (%(start)s to %(end)s).")
                % {"start": date_format(meeting.start_date), "end": date_format(meeting.end_date)}
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
