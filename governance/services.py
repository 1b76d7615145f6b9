"""Every write of the governance area and the workflow rules it follows."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from alliance87.accounts.models import User
from alliance87.aggregates import aggregates_changed

from .models import (
    GROUP_TEXTS,
    ActionGroup,
    CallForInterest,
    Candidate,
    Constituency,
    Decision,
    GCGMeeting,
    GroupActivity,
    GroupClosureProposal,
    Membership,
    OfficeHolder,
    Organisation,
    Seat,
    covered,
    decision_reference,
)
from .rotation import add_months, term_end_for

# New Chair and Deputy Chair terms last three years (GCG practice since 2023).
OFFICE_TERM_YEARS = 3

MIN_SPONSORS = 2


def current_member_organisations(*, today: datetime.date | None = None) -> QuerySet[Organisation]:
    """Organisations holding a GCG member seat today: the ones that may sponsor a new group."""
    today = today or timezone.localdate()
    current = (
        Membership.objects.filter(role=Membership.Role.MEMBER, term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    )
    return Organisation.objects.filter(pk__in=current.values("organisation_id"))


def meetings_deciding_on(
    day: datetime.date, *, today: datetime.date | None = None
) -> QuerySet[GCGMeeting]:
    """The GCG meetings that can take a decision on a matter raised on ``day``: held on or after
    it, and not in the future (a decision is recorded once taken)."""
    today = today or timezone.localdate()
    return GCGMeeting.objects.filter(date__gte=day, date__lte=today)


def _check_meeting_decides(meeting: GCGMeeting, *, raised_on: datetime.date, what: str) -> None:
    if meeting.date < raised_on:
        raise ValidationError(
            {
                "meeting": _(
                    "%(what)s is decided at a GCG meeting held on or after %(date)s; "
                    "meeting %(number)s was held before."
                )
                % {"what": what, "date": raised_on, "number": meeting.number}
            }
        )
    if meeting.date > timezone.localdate():
        raise ValidationError(
            {"meeting": _("A decision is recorded once its meeting has been held.")}
        )


@transaction.atomic
def decision_record(*, meeting: GCGMeeting, kind: str, text: str) -> Decision:
    """Record a decision taken at a meeting; its number, reference and date follow the meeting."""
    meeting = GCGMeeting.objects.select_for_update().get(pk=meeting.pk)
    number = (meeting.decisions.aggregate(last=Max("number"))["last"] or 0) + 1
    decision = Decision(
        meeting=meeting,
        number=number,
        reference=decision_reference(meeting.number, number),
        date=meeting.date,
        kind=kind,
        text=text.strip(),
    )
    decision.full_clean()
    decision.save()
    return decision


# --- Memberships and office holders ----------------------------------------------------------


@transaction.atomic
def membership_save(*, membership: Membership) -> Membership:
    """Record or change a GCG membership; the seat rules of Membership.clean() decide.

    The constituency's row is locked first, so two terms recorded at once for its seats are
    checked one after the other (PostgreSQL also refuses two holders of one seat).
    """
    if membership.constituency_id:
        Constituency.objects.select_for_update().filter(pk=membership.constituency_id).first()
    membership.full_clean()
    membership.save()
    return membership


def office_terms_relying_on(memberships: Iterable[Membership]) -> list[OfficeHolder]:
    """Office terms that the given memberships cover and no other membership would: deleting
    those memberships would leave a Chair or Deputy Chair outside the GCG."""
    memberships = list(memberships)
    ids = [m.pk for m in memberships]
    relying = []
    for organisation_id in {m.organisation_id for m in memberships}:
        spans = [
            (m.term_start, m.ends_on)
            for m in Membership.objects.filter(organisation_id=organisation_id).exclude(pk__in=ids)
        ]
        relying += [
            holder
            for holder in OfficeHolder.objects.filter(organisation_id=organisation_id)
            if not covered(spans, holder.term_start, holder.term_end)
        ]
    return relying


@transaction.atomic
def office_holder_save(*, holder: OfficeHolder) -> OfficeHolder:
    """Record or change a Chair or Deputy Chair term, one holder an office at a time."""
    list(OfficeHolder.objects.select_for_update().filter(office=holder.office))
    holder.full_clean()
    holder.save()
    return holder


# --- Calls for expressions of interest -------------------------------------------------------


@transaction.atomic
def call_for_interest_open(
    *,
    seat: Seat | None,
    office: str,
    vacancy_on: datetime.date,
    opens_on: datetime.date,
    closes_on: datetime.date,
    notes: str = "",
    opened_by: User | None = None,
) -> CallForInterest:
    call = CallForInterest(
        seat=seat,
        office=office or "",
        vacancy_on=vacancy_on,
        opens_on=opens_on,
        closes_on=closes_on,
        notes=notes,
        opened_by=opened_by,
    )
    call.full_clean()
    if closes_on > vacancy_on:
        raise ValidationError({"closes_on": _("The call must close before the vacancy starts.")})
    same_target = CallForInterest.objects.filter(
        status=CallForInterest.Status.OPEN, vacancy_on=vacancy_on
    )
    same_target = same_target.filter(seat=seat) if seat else same_target.filter(office=office)
    if same_target.exists():
        raise ValidationError(_("A call for this vacancy is already open."))
    call.save()
    return call


@transaction.atomic
def call_for_interest_close(*, call: CallForInterest) -> CallForInterest:
    changed = CallForInterest.objects.filter(pk=call.pk, status=CallForInterest.Status.OPEN).update(
        status=CallForInterest.Status.CLOSED
    )
    if not changed:
        raise ValidationError(_("This call is already closed."))
    aggregates_changed("governance")  # an UPDATE sends no model signal
    call.refresh_from_db()
    return call


@transaction.atomic
def call_for_interest_appoint(
    *,
    call: CallForInterest,
    candidate: Candidate,
    term_end: datetime.date | None = None,
    decision: Decision | None = None,
) -> Membership | OfficeHolder:
    """Appoint a candidate: the membership (or office term) starts on the vacancy date.

    The term lasts as the seat rule says (three years for an office) unless `term_end` is
    earlier, e.g. the remainder of a term after an early departure. The same rules as every
    other write check it; the call then closes with its appointee.
    """
    locked = CallForInterest.objects.select_for_update().get(pk=call.pk)
    if locked.appointment is not None:
        raise ValidationError(_("This call already led to an appointment."))
    if candidate.call_id != locked.pk:
        raise ValidationError({"candidate": _("This organisation did not answer this call.")})
    if candidate.status == Candidate.Status.WITHDRAWN:
        raise ValidationError({"candidate": _("This candidate withdrew.")})
    start = locked.vacancy_on
    appointment: Membership | OfficeHolder
    try:
        if locked.seat is not None:
            seat = locked.seat
            longest = term_end_for(start, seat.constituency.term_years)
            appointment = membership_save(
                membership=Membership(
                    organisation=candidate.organisation,
                    constituency=seat.constituency,
                    seat=seat,
                    role=Membership.Role.MEMBER,
                    term_start=start,
                    term_end=term_end or longest,
                    appointed_by_decision=decision,
                )
            )
            locked.appointed_membership = appointment
        else:
            appointment = office_holder_save(
                holder=OfficeHolder(
                    office=locked.office,
                    organisation=candidate.organisation,
                    representative=candidate.organisation.contacts.first(),
                    term_start=start,
                    term_end=term_end or term_end_for(start, OFFICE_TERM_YEARS),
                    appointed_by_decision=decision,
                )
            )
            locked.appointed_office_holder = appointment
    except ValidationError as error:
        # The appointment form has the candidate and the term end: a rule on the organisation,
        # the seat or the start date speaks of the candidate chosen.
        errors: dict[str, list[str]] = {}
        for field, messages in error.message_dict.items():
            errors.setdefault("term_end" if field == "term_end" else "candidate", []).extend(
                messages
            )
        raise ValidationError(errors) from error
    locked.status = CallForInterest.Status.CLOSED
    locked.full_clean()
    locked.save()
    Candidate.objects.filter(pk=candidate.pk).update(status=Candidate.Status.SELECTED)
    aggregates_changed("governance")  # an UPDATE sends no model signal
    call.refresh_from_db()
    return appointment


@transaction.atomic
def candidate_record(
    *,
    call: CallForInterest,
    organisation: Organisation,
    received_on: datetime.date,
    statement: str = "",
) -> Candidate:
    if call.status != CallForInterest.Status.OPEN:
        raise ValidationError(_("Candidates can only be recorded while the call is open."))
    candidate = Candidate(
        call=call, organisation=organisation, received_on=received_on, statement=statement
    )
    candidate.full_clean()
    candidate.save()
    return candidate


# --- Action and working groups ---------------------------------------------------------------


@transaction.atomic
def group_propose(
    *,
    name: str,
    kind: str,
    purpose: str,
    terms_of_reference: str,
    sponsors: Iterable[Organisation],
    parent: ActionGroup | None = None,
    theme: str = "",
    chair: Organisation | None = None,
    co_chair: Organisation | None = None,
    today: datetime.date | None = None,
) -> ActionGroup:
    """A proposed group: terms of reference and at least two sponsoring GCG member organisations."""
    today = today or timezone.localdate()
    sponsors = list(sponsors)
    errors: dict[str, list[str]] = {}
    if not terms_of_reference.strip():
        errors["terms_of_reference"] = [_("A proposal needs its terms of reference.")]
    if len({s.pk for s in sponsors}) < MIN_SPONSORS:
        errors["sponsors"] = [_("At least two GCG member organisations must sponsor the proposal.")]
    else:
        members = set(current_member_organisations(today=today).values_list("pk", flat=True))
        outsiders = [s.name for s in sponsors if s.pk not in members]
        if outsiders:
            errors["sponsors"] = [
                _("Only current GCG member organisations can sponsor a group: %(names)s are not.")
                % {"names": ", ".join(outsiders)}
            ]
    if kind == ActionGroup.Kind.ACTION_GROUP and parent is not None:
        errors["parent"] = [_("An action group does not sit under another group.")]
    if parent is not None and parent.status == ActionGroup.Status.CLOSED:
        errors["parent"] = [_("A working group cannot sit under a closed action group.")]
    # The texts given are the English (alliance87.translated), whatever the language of the
    # person proposing: the Secretariat adds the French and Spanish in the admin.
    with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        group = ActionGroup(
            name=name.strip(),
            kind=kind,
            parent=parent,
            theme=theme,
            purpose=purpose,
            terms_of_reference=terms_of_reference,
            chair=chair,
            co_chair=co_chair,
            status=ActionGroup.Status.PROPOSED,
            proposed_on=today,
        )
    try:
        group.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            shown = errors.setdefault(_shown_field(field), [])
            shown.extend(message for message in messages if message not in shown)
    if errors:
        raise ValidationError(errors)
    _save_in_english(group)
    group.sponsors.set(sponsors)
    return group


def _shown_field(field: str) -> str:
    """The form's field for an error on a text's language column (`name_en` -> `name`)."""
    original, _dash, language = field.rpartition("_")
    if original in GROUP_TEXTS and language in dict(settings.LANGUAGES):
        return original
    return field


def _save_in_english(group: ActionGroup) -> None:
    """Save with English active: modeltranslation writes the active language's text into the
    original columns, which lists, exports and the history read as the English one."""
    with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        group.save()


@transaction.atomic
def group_approve(*, group: ActionGroup, meeting: GCGMeeting, text: str) -> ActionGroup:
    """The GCG decision that creates a proposed group; the group starts active on that date."""
    locked = ActionGroup.objects.select_for_update().get(pk=group.pk)
    if locked.status != ActionGroup.Status.PROPOSED:
        raise ValidationError(_("Only a proposed group can be approved."))
    if locked.proposed_on:
        _check_meeting_decides(meeting, raised_on=locked.proposed_on, what=_("A proposed group"))
    decision = decision_record(meeting=meeting, kind=Decision.Kind.CREATE_GROUP, text=text)
    date = decision.date
    locked.status = ActionGroup.Status.ACTIVE
    locked.created_by_decision = decision
    locked.launched_on = date
    locked.full_clean()
    _save_in_english(locked)
    return locked


@transaction.atomic
def group_activity_log(
    *,
    group: ActionGroup,
    kind: str,
    date: datetime.date,
    title: str,
    notes: str = "",
    link: str = "",
    recorded_by: User | None = None,
) -> GroupActivity:
    """A meeting or output of a group; logging one brings an inactive group back to active."""
    if group.status in (ActionGroup.Status.CLOSED, ActionGroup.Status.PROPOSED):
        raise ValidationError(_("Activity can only be logged for an active or inactive group."))
    if date > timezone.localdate():
        raise ValidationError(
            {"date": _("An activity is logged once it happened; the date is in the future.")}
        )
    activity = GroupActivity(
        group=group,
        kind=kind,
        date=date,
        title=title.strip(),
        notes=notes,
        link=link,
        recorded_by=recorded_by,
    )
    activity.full_clean()
    activity.save()
    cutoff = add_months(timezone.localdate(), -inactivity_months())
    if group.status == ActionGroup.Status.INACTIVE and date >= cutoff:
        has_open_proposal = group.closure_proposals.filter(
            status=GroupClosureProposal.Status.OPEN
        ).exists()
        if not has_open_proposal:
            ActionGroup.objects.filter(pk=group.pk, status=ActionGroup.Status.INACTIVE).update(
                status=ActionGroup.Status.ACTIVE, flagged_inactive_on=None
            )
            aggregates_changed("governance")
            group.refresh_from_db()
    return activity


def inactivity_months() -> int:
    return int(getattr(settings, "GROUP_INACTIVITY_MONTHS", 12))


def groups_due_for_inactivity(*, today: datetime.date | None = None) -> QuerySet[ActionGroup]:
    """Active groups with nothing logged since the cutoff (their launch counts when nothing was)."""
    today = today or timezone.localdate()
    cutoff = add_months(today, -inactivity_months())
    groups = ActionGroup.objects.filter(status=ActionGroup.Status.ACTIVE).annotate(
        last_logged=Max("activities__date")
    )
    return groups.filter(
        Q(last_logged__lt=cutoff)
        | Q(last_logged__isnull=True, launched_on__lt=cutoff)
        | Q(last_logged__isnull=True, launched_on__isnull=True)
    )


def group_flag_inactive(*, group_id: int, today: datetime.date | None = None) -> bool:
    """Flag one group inactive; safe to run twice (a conditional UPDATE claims the row)."""
    today = today or timezone.localdate()
    if not groups_due_for_inactivity(today=today).filter(pk=group_id).exists():
        return False
    changed = ActionGroup.objects.filter(pk=group_id, status=ActionGroup.Status.ACTIVE).update(
        status=ActionGroup.Status.INACTIVE, flagged_inactive_on=today
    )
    if changed:
        aggregates_changed("governance")
    return bool(changed)


def groups_flag_inactive(*, today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    flagged = []
    for group_id in groups_due_for_inactivity(today=today).values_list("pk", flat=True):
        with transaction.atomic():
            if group_flag_inactive(group_id=group_id, today=today):
                flagged.append(group_id)
    return flagged


@transaction.atomic
def group_propose_closure(
    *,
    group: ActionGroup,
    reason: str,
    proposed_by: User | None = None,
    today: datetime.date | None = None,
) -> GroupClosureProposal:
    if group.status != ActionGroup.Status.INACTIVE:
        raise ValidationError(_("Only an inactive group can be proposed for closure."))
    if group.closure_proposals.filter(status=GroupClosureProposal.Status.OPEN).exists():
        raise ValidationError(
            _("A closure proposal for this group is already awaiting a decision.")
        )
    proposal = GroupClosureProposal(
        group=group,
        reason=reason.strip(),
        proposed_by=proposed_by,
        proposed_on=today or timezone.localdate(),
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def group_closure_withdraw(*, proposal: GroupClosureProposal) -> GroupClosureProposal:
    changed = GroupClosureProposal.objects.filter(
        pk=proposal.pk, status=GroupClosureProposal.Status.OPEN
    ).update(status=GroupClosureProposal.Status.WITHDRAWN)
    if not changed:
        raise ValidationError(_("This proposal is no longer awaiting a decision."))
    aggregates_changed("governance")
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def group_close(*, proposal: GroupClosureProposal, meeting: GCGMeeting, text: str) -> ActionGroup:
    """Record the GCG decision on a closure proposal and close the group.

    Its open working groups close with it, by the same decision: they cannot outlive it.
    """
    _check_meeting_decides(meeting, raised_on=proposal.proposed_on, what=_("A closure proposal"))
    decision = decision_record(meeting=meeting, kind=Decision.Kind.CLOSE_GROUP, text=text)
    # Claim the proposal: of two Secretariat members recording at once, one succeeds; the
    # other's decision is rolled back with its transaction.
    claimed = GroupClosureProposal.objects.filter(
        pk=proposal.pk, status=GroupClosureProposal.Status.OPEN
    ).update(status=GroupClosureProposal.Status.DECIDED, decision=decision)
    if not claimed:
        raise ValidationError(_("This proposal is no longer awaiting a decision."))
    aggregates_changed("governance")
    group = proposal.group
    closing = ActionGroup.objects.filter(Q(pk=group.pk) | Q(parent=group)).exclude(
        status=ActionGroup.Status.CLOSED
    )
    for item in closing:
        item.status = ActionGroup.Status.CLOSED
        item.closed_by_decision = decision
        item.full_clean()
        _save_in_english(item)
    proposal.refresh_from_db()
    group.refresh_from_db()
    return group
