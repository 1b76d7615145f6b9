"""One record per meeting: every GCG meeting gets its event, every decision its number.

- A GCG meeting without an event is linked to the unlinked GCG-meeting event held on its date,
  or gets a new event (title, date, place and format from the meeting).
- A linked meeting takes its event's date; a different date it had is kept in its summary.
- A decision keeps its number when its reference names its own meeting (GCG/<meeting>/<n>). One
  whose reference names another meeting moves there when that meeting exists and the number is
  free; otherwise it stays, gets the next free number of its meeting, and is flagged. Every
  decision is dated on its meeting's date. Whatever changed is written in the decision's
  review_note for the Secretariat: nothing is dropped.
- An output whose GCG decision was taken at another meeting than the one that decided the output
  is flagged on that decision.
"""

import datetime
import re

from django.db import migrations

REFERENCE = re.compile(r"^\s*GCG/(\d+)/(\d+)\s*$", re.IGNORECASE)


def _note(decision, text: str) -> None:
    decision.review_note = f"{decision.review_note}\n{text}".strip()


def link_meetings_and_number_decisions(apps, schema_editor) -> None:
    Event = apps.get_model("workshops", "Event")
    GCGMeeting = apps.get_model("governance", "GCGMeeting")
    Decision = apps.get_model("governance", "Decision")
    Output = apps.get_model("workshops", "Output")
    today = datetime.date.today()

    # 1. Every GCG meeting is an event.
    for meeting in GCGMeeting.objects.order_by("number"):
        event = Event.objects.filter(gcg_meeting=meeting).first()
        if event is None:
            event = (
                Event.objects.filter(
                    kind="gcg_meeting", gcg_meeting__isnull=True, start_date=meeting.date
                )
                .order_by("pk")
                .first()
            )
        if event is None:
            title = meeting.title or f"GCG meeting {meeting.number}"
            if Event.objects.filter(title=title, start_date=meeting.date).exists():
                title = f"{title} (GCG meeting {meeting.number})"
            event = Event.objects.create(
                kind="gcg_meeting",
                title=title[:250],
                start_date=meeting.date,
                end_date=meeting.date,
                city=meeting.location[:100],
                is_online=meeting.is_virtual,
                status="held" if meeting.date < today else "planned",
                is_demo=meeting.is_demo,
            )
        if event.gcg_meeting_id != meeting.pk:
            event.gcg_meeting = meeting
            event.kind = "gcg_meeting"
            event.save(update_fields=["gcg_meeting", "kind"])
        if meeting.date != event.start_date:
            meeting.summary = (
                f"{meeting.summary}\n\nThe governance record gave the date {meeting.date}; "
                f"the meeting's event gives {event.start_date}, which is kept."
            ).strip()
            meeting.date = event.start_date
        meeting.title = meeting.title or event.title[:200]
        meeting.save(update_fields=["summary", "date", "title"])

    # 2. Every decision is numbered within its meeting and dated on its date.
    meetings = {m.number: m for m in GCGMeeting.objects.all()}
    by_pk = {m.pk: m for m in meetings.values()}
    decisions = list(Decision.objects.order_by("meeting__number", "date", "pk"))
    taken: dict[int, set[int]] = {}
    plan = []
    leftovers = []
    for decision in decisions:
        own = by_pk[decision.meeting_id]
        match = REFERENCE.match(decision.reference)
        if match:
            target = meetings.get(int(match.group(1)))
            number = int(match.group(2))
            if target is not None and number not in taken.setdefault(target.pk, set()):
                taken[target.pk].add(number)
                if target.pk != own.pk:
                    _note(
                        decision,
                        f"Was filed under GCG meeting {own.number}; its reference "
                        f"{decision.reference} names meeting {target.number}, where it now is.",
                    )
                plan.append((decision, target, number))
                continue
        leftovers.append(decision)
    for decision in leftovers:
        own = by_pk[decision.meeting_id]
        used = taken.setdefault(own.pk, set())
        number = max(used, default=0) + 1
        used.add(number)
        _note(
            decision,
            f"Recorded as {decision.reference!r}, which does not name an existing meeting's "
            f"free number; kept under GCG meeting {own.number} as GCG/{own.number}/{number}.",
        )
        plan.append((decision, own, number))

    # Free every number and reference first, so that moves cannot collide.
    Decision.objects.update(number=None)
    for decision in decisions:
        Decision.objects.filter(pk=decision.pk).update(reference=f"~migrating-{decision.pk}")
    for decision, meeting, number in plan:
        if decision.date != meeting.date:
            _note(
                decision,
                f"Was dated {decision.date}; a decision is dated on its meeting's date "
                f"({meeting.date}).",
            )
        decision.meeting = meeting
        decision.number = number
        decision.reference = f"GCG/{meeting.number}/{number}"
        decision.date = meeting.date
        decision.save()

    History = apps.get_model("governance", "HistoricalDecision")
    for decision, _meeting, number in plan:
        History.objects.filter(id=decision.pk, number__isnull=True).update(number=number)
    History.objects.filter(number__isnull=True).update(number=0)  # decisions deleted before

    # 3. An output's GCG decision belongs to the meeting that adopted it.
    for output in Output.objects.filter(gcg_decision__isnull=False).select_related(
        "gcg_decision__meeting", "decided_at"
    ):
        decision = output.gcg_decision
        if output.decided_at is None or output.decided_at.gcg_meeting_id != decision.meeting_id:
            where = output.decided_at.title if output.decided_at else "no meeting"
            _note(
                decision,
                f"Linked to the output “{output.title}”, which was decided at {where}, not at "
                f"GCG meeting {decision.meeting.number}: check the link.",
            )
            decision.save(update_fields=["review_note"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_decision_numbered_by_meeting"),
        ("workshops", "0003_file_links_lead_to_the_download_page"),
    ]

    operations = [
        migrations.RunPython(link_meetings_and_number_decisions, migrations.RunPython.noop),
    ]
