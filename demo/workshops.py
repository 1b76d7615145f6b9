"""Demo data of the workshops area (loaded by `manage.py seed_demo`).

The strategy workshop of December 2022 and the Pacific Islands consultation of October 2017
follow the two source documents (copies in demo/data/) word for word: agenda items,
co-leads, expected outputs, objectives. Whatever those documents do not say (exact days,
time slots, venues, what each item produced, follow-ups, participants) is invented, and
those events are flagged as demo data.

Idempotent: every record is found by its natural key before it is created.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from alliance87.choices import DurbanArea
from alliance87.models import Country
from governance.models import Decision, GCGMeeting, Organisation
from workshops import services
from workshops.models import (
    AgendaItem,
    CoLead,
    Event,
    EventDocument,
    EventObjective,
    FollowUpAction,
    Minutes,
    Output,
    Participant,
    office_holders_on,
)

DATA_DIR = Path(__file__).parent / "data"

# --- Organisations: the same natural keys as the governance seed --------------------------

AGENCIES = {
    "ILO": ("International Labour Organization", Organisation.Kind.UN_AGENCY),
    "IOE": ("International Organisation of Employers", Organisation.Kind.EMPLOYERS),
    "ITUC": ("International Trade Union Confederation", Organisation.Kind.WORKERS),
    "FAO": ("Food and Agriculture Organization of the United Nations", Organisation.Kind.UN_AGENCY),
    "UNODC": ("United Nations Office on Drugs and Crime", Organisation.Kind.UN_AGENCY),
}
CIVIL_SOCIETY = ["Free the Slaves", "Global March Against Child Labour"]


def organisation(key: str) -> Organisation:
    """ILO, IOE…: by acronym; a government: by its country's name; civil society: by name."""
    if key in AGENCIES:
        found = Organisation.objects.filter(acronym=key).order_by("pk").first()
        if found:
            return found
        name, kind = AGENCIES[key]
        org, _created = Organisation.objects.get_or_create(
            name=name, defaults={"acronym": key, "kind": kind}
        )
        return org
    if key in CIVIL_SOCIETY:
        org, _created = Organisation.objects.get_or_create(
            name=key, defaults={"kind": Organisation.Kind.CIVIL_SOCIETY}
        )
        return org
    country = Country.objects.get(name=key)
    org, _created = Organisation.objects.get_or_create(
        name=key, defaults={"kind": Organisation.Kind.GOVERNMENT, "country": country}
    )
    return org


# --- The strategy workshop agenda, as written in strategy-workshop-agenda.txt --------------

STRATEGY_PURPOSE = (
    "Alliance 8.7 has been very successful in building partnerships and has made significant "
    "steps toward national implementation. However, much remains to be done. We need more "
    "multi-stakeholder engagement and coordination at the national level to accelerate progress, "
    "particularly in Pathfinder Countries. In addition, we must mobilize greater technical and "
    "financial support to support the implementation of Pathfinder initiatives and ensure the "
    "sustainability of services provided by the Secretariat. Other areas for improvement include: "
    "establishing robust monitoring systems to ensure the accountability of Pathfinder Countries "
    "and the credibility of the Alliance, as well as reviewing our governance structure and making "
    "any changes needed to ensure it is “fit for purpose” and future challenges.\n\n"
    "The strategy workshop provides an opportunity to discuss these issues with the members and "
    "observers of the Alliance 8.7’s Global Coordinating Group and Pathfinder Country focal points."
)
STRATEGY_OBJECTIVES = [
    "More multi-stakeholder engagement and coordination at the national level to accelerate "
    "progress, particularly in Pathfinder Countries.",
    "Mobilize greater technical and financial support for the implementation of Pathfinder "
    "initiatives and the sustainability of services provided by the Secretariat.",
    "Establish robust monitoring systems to ensure the accountability of Pathfinder Countries "
    "and the credibility of the Alliance.",
    "Review the governance structure and make any changes needed to ensure it is “fit for "
    "purpose” and future challenges.",
]

# A co-lead: ("org", key) for an organisation or a government, ("office", role, holder key).
DEPUTY_CHAIR_ARGENTINA = ("office", "deputy_chair", "Argentina")
CHAIR_FRANCE = ("office", "chair", "France")
# The Chair of the day, as the office-holder records give it (for events dated from today).
CHAIR_OF_THE_DAY = ("office", "chair", None)


@dataclass(frozen=True)
class Item:
    title: str
    co_leads: tuple
    description: str
    expected_output: str
    slot: tuple[int, str, str] | None  # day of the workshop (0 or 1), start, end: invented


STRATEGY_AGENDA = [
    Item(
        "Vision and progress",
        (
            DEPUTY_CHAIR_ARGENTINA,
            ("org", "Australia"),
            ("org", "IOE"),
            ("org", "ITUC"),
            ("org", "ILO"),
        ),
        "Discussion of the Alliance 8.7’s vision and objectives, particularly in view of the "
        "Durban Call to Action and the upcoming SDG 8.7 deadline to end child labour in all its "
        "forms by 2025.",
        "",
        (0, "09:30", "11:00"),
    ),
    Item(
        "Pathfinder Country Accountability Framework",
        (CHAIR_FRANCE, ("org", "Mexico"), ("org", "Free the Slaves"), ("org", "ILO")),
        "As the number of Pathfinder Countries steadily increases, discussion on the current "
        "situation, the implications on becoming a Pathfinder Country, and the associated "
        "opportunities and responsibilities. Discussion of the Pathfinder Country monitoring and "
        "accountability framework and agreement on the key steps going forward.",
        "Agreed accountability framework and discussion on the implementation plan.",
        (0, "11:15", "12:45"),
    ),
    Item(
        "Financing SDG Target 8.7",
        (("org", "United States"), ("org", "ILO")),
        "Discussion of current financing gaps for the achievement of SDG Target 8.7 and the "
        "potential Alliance 8.7 role in helping to fill them.",
        "Collective analysis of target 8.7 development finance gaps",
        (0, "14:00", "15:30"),
    ),
    Item(
        "Partnership model: Action/working groups, how to move forward?",
        (("org", "Netherlands"), ("org", "FAO"), ("org", "ILO")),
        "Constructive discussion on rethinking the action groups and working groups.",
        "Agreement on closure of inactive groups and on modalities for creation and functioning "
        "of current and future action/working groups.",
        (0, "15:45", "17:15"),
    ),
    Item(
        "Governance: Optimising the structure of the GCG",
        (
            CHAIR_FRANCE,
            ("org", "United Kingdom"),
            ("org", "Chile"),
            ("org", "IOE"),
            ("org", "ITUC"),
            ("org", "Global March Against Child Labour"),
        ),
        "Review of and agreement on the governance structure of the GCG and rotation mechanisms.",
        "Agreement on a revised GCG structure and rotation mechanisms.",
        (1, "09:30", "11:00"),
    ),
    Item(
        "Partnership model: Refining partner engagement in Alliance 8.7",
        (("org", "UNODC"), ("org", "Global March Against Child Labour")),
        "Review of partner engagement and expectations. Analysis of how opportunities for "
        "partner engagement could be maximised.",
        "Collective analysis of partner engagement and services provided by the Alliance.",
        (1, "11:15", "12:30"),
    ),
    Item(
        "Sustaining Alliance 8.7 operations",
        (("org", "United States"), ("org", "ILO")),
        "Review of the funding needed to maintain Alliance’s technical support mechanisms and an "
        "analysis of the main gaps.",
        "Review of current functions of the Alliance 8.7 Secretariat and funding needs for "
        "mid-term sustainability.",
        (1, "14:00", "15:15"),
    ),
    Item("Conclusions and next steps", (), "", "", (1, "15:30", "16:30")),
]

# --- The Pacific consultation, as written in pacific-consultation-2017.txt -----------------

PACIFIC_TITLE = "Pacific Consultation on Alliance 8.7"
PACIFIC_PURPOSE = (
    "Ending child labour, forced labour, modern slavery and human trafficking and preparing for "
    "the 4th Global Conference on the Sustained Eradication of Child Labour.\n\n"
    "The consultation meeting will contribute to accelerating the pace towards achieving SDG "
    "target 8.7 taking into account the important role of governments, social partners and "
    "other organizations. It will offer stakeholders the opportunity to exchange and share "
    "knowledge, to develop innovative intervention models, including strategic labour "
    "inspection, and collaborating methods needed to achieve target 8.7 of the 2030 Agenda. It "
    "will promote tripartite and public-private cooperation on this SDG Target as well as put "
    "forward clear priority actions to support the achievements of SDG 8.7 in the region."
)
PACIFIC_OBJECTIVES = [
    "Identify common challenges, priorities and good practices in eliminating child labour and "
    "forced labour in the Pacific Islands,",
    "Further consolidate regional commitments in the Pacific to accelerate the pace for "
    "achieving the elimination of child labour by 2025 and of forced labour by 2030, as required "
    "in Target 8.7 of the 2030 Agenda on Sustainable Development.",
    "Develop strategic compliance through labour inspection",
    "Prepare for the IV Global Conference on the Sustained Eradication of Child Labour (and "
    "forced labour) in Argentina in November 2017",
    "Provide a tripartite+ forum to discuss the operationalization of Alliance 8.7 in the "
    "Pacific Islands and to provide concrete recommendations on the way forward.",
    "Strengthen the capacity of participants, by fostering exchanges of experience between "
    "countries.",
]
PACIFIC_OUTCOMES = (
    "The outcomes of the regional consultation are expected to feed into the IV Global "
    "Conference on the Sustained Eradication of Child Labour in Buenos Aires, Argentina, 14-16 "
    "November 2017 through the key priority areas for action by a multi-stakeholder alliance on "
    "Target 8.7. Most importantly, the outcomes are expected to feed into country level "
    "initiatives to accelerate the realization of Target 8.7 in the 11 member states of the ILO "
    "in the Pacific Islands."
)
GLOBAL_CONFERENCE_TITLE = "IV Global Conference on the Sustained Eradication of Child Labour"

STRATEGY_TITLE = "Alliance 8.7 strategy workshop"
STRATEGY_GCG_TITLE = "GCG meeting on the outcomes of the strategy workshop"
MAY_2023_GCG_TITLE = "GCG meeting, May 2023"


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _event(*, title: str, start: datetime.date, by_title_only: bool = False, **fields) -> Event:
    """Find an event by title (and first day, for the dated historical ones), then update it."""
    organisers = fields.pop("organisers", [])
    lookup: dict[str, Any] = {"title": title}
    if not by_title_only:
        lookup["start_date"] = start
    defaults = {"start_date": start, **fields}
    event, _created = Event.objects.update_or_create(**lookup, defaults=defaults)
    if organisers:
        event.organisers.set(organisers)
    return event


def _gcg_event(meeting: GCGMeeting, *, title: str, start: datetime.date, **fields) -> Event:
    """The event of a numbered GCG meeting: the one it already has, else found by title."""
    event = meeting.event
    for name, value in {"title": title, "start_date": start, **fields}.items():
        setattr(event, name, value)
    event.save()
    services.event_set_gcg_number(event=event, number=meeting.number)
    event.refresh_from_db()
    return event


def _objectives(event: Event, texts: list[str]) -> None:
    for order, text in enumerate(texts, start=1):
        EventObjective.objects.update_or_create(event=event, order=order, defaults={"text": text})
    EventObjective.objects.filter(event=event, order__gt=len(texts)).delete()


def _agenda(event: Event, items: list[Item]) -> list[AgendaItem]:
    saved = []
    for order, spec in enumerate(items, start=1):
        day = starts = ends = None
        if spec.slot:
            offset, start, end = spec.slot
            day = event.start_date + datetime.timedelta(days=offset)
            starts, ends = _time(start), _time(end)
        item, _created = AgendaItem.objects.update_or_create(
            event=event,
            order=order,
            defaults={
                "title": spec.title,
                "description": spec.description,
                "expected_output": spec.expected_output,
                "day": day,
                "starts_at": starts,
                "ends_at": ends,
            },
        )
        CoLead.objects.filter(agenda_item=item).delete()
        for position, co_lead in enumerate(spec.co_leads, start=1):
            if co_lead[0] == "office":
                if co_lead[2] is None:
                    record = office_holders_on(day or event.start_date).get(co_lead[1])
                    holder = record.organisation if record else organisation("France")
                else:
                    holder = organisation(co_lead[2])
                CoLead.objects.create(
                    agenda_item=item,
                    order=position,
                    kind=CoLead.Kind.OFFICE,
                    role=co_lead[1],
                    holder_organisation=holder,
                )
            else:
                CoLead.objects.create(
                    agenda_item=item,
                    order=position,
                    kind=CoLead.Kind.ORGANISATION,
                    organisation=organisation(co_lead[1]),
                )
        saved.append(item)
    return saved


def _gcg_meeting(*, month_start: datetime.date, day: datetime.date, title: str) -> GCGMeeting:
    """The governance record of a GCG meeting: the governance seed's own when it has one."""
    month_end = (month_start + datetime.timedelta(days=32)).replace(day=1)
    existing = (
        GCGMeeting.objects.filter(date__gte=month_start, date__lt=month_end)
        .order_by("date")
        .first()
    )
    if existing:
        return existing
    number = max(GCGMeeting.objects.aggregate(top=Max("number"))["top"] or 0, 9) + 1
    return services.gcg_meeting_create(number=number, title=title, date=day, is_demo=True)


def _output(event: Event, item: AgendaItem | None, kind: str, title: str, text: str) -> Output:
    existing = Output.objects.filter(event=event, title=title).first()
    if existing:
        return existing
    return services.output_record(event=event, agenda_item=item, kind=kind, title=title, text=text)


def _follow_up(
    event: Event,
    description: str,
    owner: Organisation,
    due: datetime.date,
    *,
    status: str = FollowUpAction.Status.OPEN,
    completed_on: datetime.date | None = None,
    output: Output | None = None,
) -> FollowUpAction:
    action = FollowUpAction.objects.filter(event=event, description=description).first()
    if action is None:
        action = services.follow_up_create(
            event=event, description=description, owner=owner, due_date=due, by=None, output=output
        )
        if status != FollowUpAction.Status.OPEN:
            services.follow_up_set_status(action=action, status=status, completed_on=completed_on)
    elif action.due_date != due:
        # Dates relative to today move between runs; keep the row, move its date.
        FollowUpAction.objects.filter(pk=action.pk).update(due_date=due)
    return action


def _participant(event: Event, *, role: str, user=None, name: str = "", org=None, **fields) -> None:
    if user is not None:
        Participant.objects.update_or_create(
            event=event, user=user, defaults={"role": role, "organisation": org, **fields}
        )
    else:
        Participant.objects.update_or_create(
            event=event, name=name, organisation=org, defaults={"role": role, **fields}
        )


def _simple_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid one-page PDF (Helvetica, WinAnsi text), enough for a demo download."""

    def escape(text: str) -> str:
        text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("–", "-")
        text = text.encode("cp1252", "replace").decode("cp1252")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    rows = ["BT", "/F1 15 Tf", "50 790 Td", f"({escape(title)}) Tj", "/F1 10 Tf", "0 -24 Td"]
    for line in lines:
        rows += [f"({escape(line)}) Tj", "0 -14 Td"]
    rows.append("ET")
    stream = "\n".join(rows).encode("cp1252", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _wrap(text: str, width: int = 95) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words, line = paragraph.split(), ""
        for word in words:
            if len(line) + len(word) + 1 > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return lines


def _document(event: Event, *, kind: str, title: str, filename: str, lines: list[str]) -> None:
    if EventDocument.objects.filter(event=event, title=title).exists():
        return
    upload = SimpleUploadedFile(filename, _simple_pdf(title, lines), "application/pdf")
    services.document_upload(event=event, kind=kind, title=title, upload=upload, by=None)


def _adopt(
    output: Output,
    meeting: Event,
    on: datetime.date,
    *,
    decision: bool,
    note: str = "",
    same_as: str = "",
) -> None:
    """Adopt once; link the governance seed's decision on the same matter when it has one."""
    if output.status not in (Output.Status.PROPOSED, Output.Status.DEFERRED):
        return
    existing = None
    if decision and same_as and meeting.is_gcg_meeting:
        existing = Decision.objects.filter(
            meeting=meeting.gcg_meeting,
            kind=Decision.Kind.ADOPT_OUTPUT,
            text__icontains=same_as,
            workshop_output__isnull=True,
        ).first()
    services.output_adopt(
        output=output,
        meeting=meeting,
        adopted_on=on,
        by=None,
        note=note,
        create_decision=decision and existing is None,
        decision=existing,
    )


# --- The events, outputs, decisions, follow-ups, minutes and registrations, as data --------
#
# A date is a datetime.date, or a number of days from today (events dated from today so the
# demo always has recent and coming events; those are found by title alone between runs).
# Organisations are named by the keys `organisation` takes; people by their demo email.

When = datetime.date | int


@dataclass(frozen=True)
class EventSpec:
    key: str
    title: str
    start: When
    end: When
    kind: str = Event.Kind.GCG_MEETING
    country: str = ""  # ISO code
    organisers: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    agenda: tuple[Item, ...] = ()
    # A numbered GCG meeting: the first day of its month, the governance seed's own record of
    # that month being reused when it has one.
    gcg_month: datetime.date | None = None
    numbered: bool = False  # a dated-from-today GCG meeting, numbered after the last one
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentSpec:
    event: str
    kind: str
    title: str
    filename: str
    source: str  # a text file of demo/data/


@dataclass(frozen=True)
class OutputSpec:
    key: str
    event: str
    agenda_item: str | None  # the title of the agenda item that produced it
    kind: str
    title: str
    text: str


@dataclass(frozen=True)
class OutcomeSpec:
    """What a meeting did with an output, on the meeting's day."""

    output: str
    meeting: str
    action: str  # "adopt", "defer" or "reject"
    decision: bool = False  # adopting records a decision of the GCG meeting
    note: str = ""
    same_as: str = ""  # text of the governance seed's decision on the same matter


@dataclass(frozen=True)
class FollowUpSpec:
    event: str
    description: str
    owner: str
    due: When
    status: str = FollowUpAction.Status.OPEN
    completed_on: datetime.date | None = None
    output: str | None = None


@dataclass(frozen=True)
class MinutesSpec:
    event: str
    text: str
    circulated_on: datetime.date
    approved_at: str | None = None  # the meeting that approved them, on its day


@dataclass(frozen=True)
class ParticipantSpec:
    event: str
    role: str
    user: str = ""  # a demo email; the registration is skipped if that person is missing
    name: str = ""
    organisation: str | None = None
    fields: dict = field(default_factory=dict)


SECRETARIAT = "secretariat@alliance87.test"
ATTENDED = {
    "invitation": Participant.Invitation.ACCEPTED,
    "attendance": Participant.Attendance.ATTENDED,
}

EVENTS = [
    # 1. The IV Global Conference and the Pacific consultation that fed it (October 2017).
    EventSpec(
        key="conference",
        title=GLOBAL_CONFERENCE_TITLE,
        start=datetime.date(2017, 11, 14),
        end=datetime.date(2017, 11, 16),
        kind=Event.Kind.GLOBAL_CONFERENCE,
        country="AR",
        organisers=("Argentina", "ILO"),
        fields={
            "city": "Buenos Aires",
            "organised_by": "The Government of Argentina with the ILO",
            "purpose": "The IV Global Conference on the Sustained Eradication of Child Labour "
            "(and forced labour), Buenos Aires, 14-16 November 2017.",
            "status": Event.Status.HELD,
            "is_public": True,
        },
    ),
    EventSpec(
        key="pacific",
        title=PACIFIC_TITLE,
        start=datetime.date(2017, 10, 3),
        end=datetime.date(2017, 10, 5),
        kind=Event.Kind.REGIONAL_CONSULTATION,
        country="FJ",
        organisers=("ILO",),
        objectives=tuple(PACIFIC_OBJECTIVES),
        fields={
            "city": "Nadi",
            "organised_by": "The ILO with the support of ILO Constituents in Fiji",
            "purpose": PACIFIC_PURPOSE,
            "expected_outcomes": PACIFIC_OUTCOMES,
            "status": Event.Status.HELD,
            "is_public": True,
        },
    ),
    # 2. The strategy workshop (December 2022) and the GCG meeting right after it.
    EventSpec(
        key="workshop",
        title=STRATEGY_TITLE,
        start=datetime.date(2022, 12, 6),
        end=datetime.date(2022, 12, 7),
        kind=Event.Kind.STRATEGY_WORKSHOP,
        country="CH",
        objectives=tuple(STRATEGY_OBJECTIVES),
        agenda=tuple(STRATEGY_AGENDA),
        fields={
            "venue": "International Labour Office",
            "city": "Geneva",
            "organised_by": "GCG members and Pathfinder Countries",
            "led_by": "Alliance Chair (France)",
            "supported_by": "Alliance 8.7 Secretariat",
            "purpose": STRATEGY_PURPOSE,
            "expected_outcomes": "The outcomes of the workshop will be considered for adoption "
            "during a separate GCG meeting immediately following the workshop.",
            "status": Event.Status.HELD,
            "is_demo": True,
        },
    ),
    EventSpec(
        key="gcg_dec",
        title=STRATEGY_GCG_TITLE,
        start=datetime.date(2022, 12, 8),
        end=datetime.date(2022, 12, 8),
        gcg_month=datetime.date(2022, 12, 1),
        country="CH",
        agenda=(
            Item(
                "Outcomes of the strategy workshop",
                (CHAIR_FRANCE,),
                "The co-leads of each agenda item present its output for adoption.",
                "Decisions on the outputs of the strategy workshop",
                (0, "09:30", "12:30"),
            ),
            Item("Any other business", (), "", "", (0, "12:30", "13:00")),
        ),
        fields={
            "venue": "International Labour Office",
            "city": "Geneva",
            "led_by": "Alliance Chair (France)",
            "supported_by": "Alliance 8.7 Secretariat",
            "purpose": "Consider the outcomes of the strategy workshop for adoption.",
            "status": Event.Status.HELD,
            "is_demo": True,
        },
    ),
    # 3. The next GCG meeting (May 2023): deferred outputs decided, minutes approved.
    EventSpec(
        key="gcg_may",
        title=MAY_2023_GCG_TITLE,
        start=datetime.date(2023, 5, 16),
        end=datetime.date(2023, 5, 16),
        gcg_month=datetime.date(2023, 5, 1),
        agenda=(
            Item("Approval of the minutes of the meeting of December 2022", (), "", "", None),
            Item(
                "Partner engagement: the deferred analysis",
                (("org", "UNODC"), ("org", "Global March Against Child Labour")),
                "",
                "Decision on the analysis of partner engagement",
                None,
            ),
            Item("Resource mobilisation", (("org", "ILO"),), "", "", None),
        ),
        fields={
            "is_online": True,
            "led_by": "Alliance Chair (France)",
            "supported_by": "Alliance 8.7 Secretariat",
            "purpose": "Regular meeting of the Global Coordinating Group (demo).",
            "status": Event.Status.HELD,
            "is_demo": True,
        },
    ),
    # 4. Recent and coming events, dated from today so the demo always has both.
    EventSpec(
        key="peer_exchange",
        title="Asia and the Pacific Pathfinder peer exchange",
        start=-21,
        end=-20,
        kind=Event.Kind.REGIONAL_CONSULTATION,
        country="TH",
        organisers=("ILO",),
        objectives=(
            "Share progress on the national roadmaps.",
            "Agree on common indicators for the regional progress report.",
        ),
        agenda=(
            Item(
                "Progress on national roadmaps",
                (("org", "ILO"),),
                "Tour de table of Pathfinder Countries.",
                "Shared picture of progress",
                (0, "09:30", "12:00"),
            ),
            Item(
                "Common regional indicators",
                (CHAIR_OF_THE_DAY, ("org", "Australia")),
                "Proposal of a common set of indicators.",
                "Agreed indicator set",
                (1, "09:30", "12:00"),
            ),
        ),
        fields={
            "venue": "United Nations Conference Centre",
            "city": "Bangkok",
            "organised_by": "The ILO Regional Office for Asia and the Pacific",
            "purpose": "Pathfinder Countries of the region compare their roadmaps and progress "
            "reports (demo event).",
            "status": Event.Status.HELD,
            "is_demo": True,
        },
    ),
    EventSpec(
        key="next_gcg",
        title="GCG meeting (next regular meeting)",
        start=45,
        end=45,
        numbered=True,
        agenda=(
            Item("Approval of the minutes of the previous meeting", (), "", "", None),
            Item("Pathfinder Country progress", (("org", "ILO"),), "", "", None),
        ),
        fields={
            "is_online": True,
            "led_by": "Alliance Chair",
            "supported_by": "Alliance 8.7 Secretariat",
            "purpose": "Regular meeting of the Global Coordinating Group (demo).",
            "status": Event.Status.PLANNED,
            "is_demo": True,
        },
    ),
    EventSpec(
        key="webinar",
        title="Reporting under the accountability framework (webinar)",
        start=14,
        end=14,
        kind=Event.Kind.WEBINAR,
        organisers=("ILO",),
        fields={
            "is_online": True,
            "supported_by": "Alliance 8.7 Secretariat",
            "purpose": "How Pathfinder Countries report progress under the accountability "
            "framework (demo event).",
            "status": Event.Status.PLANNED,
            "is_public": True,
            "is_demo": True,
        },
    ),
    EventSpec(
        key="civ_workshop",
        title="National multi-stakeholder planning workshop, Côte d'Ivoire",
        start=75,
        end=76,
        kind=Event.Kind.NATIONAL_WORKSHOP,
        country="CI",
        organisers=("ILO",),
        fields={
            "city": "Abidjan",
            "organised_by": "The Government of Côte d'Ivoire with the ILO",
            "purpose": "Review the national roadmap and the child labour monitoring system in "
            "two regions (demo event).",
            "status": Event.Status.PLANNED,
            "is_demo": True,
        },
    ),
    EventSpec(
        key="americas",
        title="Regional consultation for the Americas",
        start=datetime.date(2020, 4, 21),
        end=datetime.date(2020, 4, 22),
        kind=Event.Kind.REGIONAL_CONSULTATION,
        country="CL",
        organisers=("ILO", "Chile"),
        fields={
            "city": "Santiago",
            "purpose": "Cancelled because of the COVID-19 pandemic (demo event).",
            "status": Event.Status.CANCELLED,
            "is_demo": True,
        },
    ),
]

# Which event's outcomes feed into which.
FEEDS_INTO = [("pacific", "conference"), ("workshop", "gcg_dec"), ("peer_exchange", "next_gcg")]

DOCUMENTS = [
    DocumentSpec(
        "pacific",
        EventDocument.Kind.CONCEPT_NOTE,
        "Concept note: Pacific Consultation on Alliance 8.7",
        "pacific-consultation-concept-note.pdf",
        "pacific-consultation-2017.txt",
    ),
    DocumentSpec(
        "workshop",
        EventDocument.Kind.AGENDA,
        "Strategy workshop: key agenda items",
        "strategy-workshop-agenda.pdf",
        "strategy-workshop-agenda.txt",
    ),
]

OUTPUTS = [
    OutputSpec(
        "framework",
        "workshop",
        "Pathfinder Country Accountability Framework",
        Output.Kind.AGREEMENT,
        "Pathfinder Country accountability framework",
        "The Pathfinder Country monitoring and accountability framework is agreed: annual "
        "progress reports against the roadmap's indicators, a review by the GCG's Target 8.7 "
        "monitoring working group, and an implementation plan to be prepared by the Secretariat.",
    ),
    OutputSpec(
        "finance",
        "workshop",
        "Financing SDG Target 8.7",
        Output.Kind.ANALYSIS,
        "Collective analysis of Target 8.7 development finance gaps",
        "Participants mapped the main development finance gaps for Target 8.7 and the role "
        "the Alliance can play in helping to fill them (demo text).",
    ),
    OutputSpec(
        "groups",
        "workshop",
        "Partnership model: Action/working groups, how to move forward?",
        Output.Kind.AGREEMENT,
        "Closure of inactive groups and modalities for action and working groups",
        "Inactive action and working groups are closed; new groups are created by the GCG on "
        "terms of reference with at least two sponsoring members and report yearly (demo text).",
    ),
    OutputSpec(
        "structure",
        "workshop",
        "Governance: Optimising the structure of the GCG",
        Output.Kind.AGREEMENT,
        "Revised GCG structure and rotation mechanisms",
        "The GCG gains five seats for Pathfinder Country representatives (in principle one per "
        "region) and five seats for development-partner governments, with rotation.",
    ),
    OutputSpec(
        "partners",
        "workshop",
        "Partnership model: Refining partner engagement in Alliance 8.7",
        Output.Kind.ANALYSIS,
        "Collective analysis of partner engagement and services",
        "An analysis of partner engagement and expectations, and of how the services the "
        "Alliance provides to partners could be maximised (demo text).",
    ),
    OutputSpec(
        "secretariat",
        "workshop",
        "Sustaining Alliance 8.7 operations",
        Output.Kind.ANALYSIS,
        "Review of the Secretariat's functions and funding needs",
        "The Secretariat's functions (Pathfinder support, the knowledge platform, "
        "communications, convening, partner services) and the funding they need for mid-term "
        "sustainability (demo text).",
    ),
    OutputSpec(
        "virtual",
        "gcg_may",
        None,
        Output.Kind.DECISION,
        "Hold every GCG meeting online",
        "Proposal that all GCG meetings be held online to save travel costs (demo).",
    ),
    OutputSpec(
        "resource_strategy",
        "gcg_may",
        None,
        Output.Kind.DECISION,
        "Drafting of a resource mobilisation strategy",
        "The Secretariat drafts a resource mobilisation strategy for the Alliance (demo).",
    ),
    OutputSpec(
        "indicators",
        "peer_exchange",
        "Common regional indicators",
        Output.Kind.AGREEMENT,
        "Common indicators for the regional progress report",
        "Six common indicators proposed for the Asia and the Pacific progress report (demo).",
    ),
    OutputSpec(
        "overview",
        "peer_exchange",
        "Progress on national roadmaps",
        Output.Kind.ANALYSIS,
        "Regional overview of roadmap implementation",
        "Overview of where each Pathfinder Country of the region stands (demo).",
    ),
]

OUTCOMES = [
    OutcomeSpec("framework", "gcg_dec", "adopt", decision=True),
    OutcomeSpec("finance", "gcg_dec", "adopt"),
    OutcomeSpec("groups", "gcg_dec", "adopt", decision=True, same_as="closure of inactive"),
    OutcomeSpec("structure", "gcg_dec", "adopt", decision=True, same_as="revised structure"),
    OutcomeSpec(
        "partners",
        "gcg_dec",
        "defer",
        note="Deferred to the next GCG meeting, after a consultation of partners.",
    ),
    OutcomeSpec(
        "secretariat",
        "gcg_dec",
        "defer",
        note="Deferred until the resource mobilisation strategy is drafted.",
    ),
    OutcomeSpec(
        "partners",
        "gcg_may",
        "adopt",
        decision=True,
        note="Adopted after the consultation of partners.",
    ),
    OutcomeSpec(
        "virtual",
        "gcg_may",
        "reject",
        note="Members asked to keep at least one meeting a year in person.",
    ),
    OutcomeSpec("resource_strategy", "gcg_may", "adopt", decision=True),
]

DONE = FollowUpAction.Status.DONE
FOLLOW_UPS = [
    FollowUpSpec(
        "workshop",
        "Circulate the agreed accountability framework to Pathfinder Country focal points.",
        "ILO",
        datetime.date(2023, 1, 31),
        status=DONE,
        completed_on=datetime.date(2023, 1, 20),
        output="framework",
    ),
    FollowUpSpec(
        "workshop",
        "Prepare the implementation plan of the accountability framework.",
        "France",
        datetime.date(2023, 4, 30),
        status=FollowUpAction.Status.IN_PROGRESS,
        output="framework",
    ),
    FollowUpSpec(
        "workshop",
        "Close the inactive action and working groups and publish the modalities for new groups.",
        "ILO",
        datetime.date(2023, 3, 31),
        status=DONE,
        completed_on=datetime.date(2023, 3, 28),
        output="groups",
    ),
    FollowUpSpec(
        "workshop",
        "Launch the calls for expressions of interest for the new GCG seats.",
        "ILO",
        datetime.date(2023, 3, 15),
        status=DONE,
        completed_on=datetime.date(2023, 3, 1),
        output="structure",
    ),
    FollowUpSpec(
        "workshop",
        "Consult partners on the analysis of partner engagement.",
        "UNODC",
        datetime.date(2023, 4, 15),
        status=DONE,
        completed_on=datetime.date(2023, 4, 12),
        output="partners",
    ),
    FollowUpSpec(
        "workshop",
        "Update the Secretariat's funding needs for mid-term sustainability.",
        "United States",
        datetime.date(2023, 6, 30),
        output="secretariat",
    ),
    FollowUpSpec(
        "gcg_may",
        "Draft the resource mobilisation strategy and share it with the GCG.",
        "ILO",
        datetime.date(2023, 12, 31),
        status=FollowUpAction.Status.IN_PROGRESS,
        output="resource_strategy",
    ),
    FollowUpSpec(
        "gcg_may",
        "Circulate the list of candidates for the new GCG seats.",
        "ILO",
        datetime.date(2023, 7, 15),
        status=FollowUpAction.Status.DROPPED,
    ),
    FollowUpSpec(
        "peer_exchange",
        "Send the draft indicator set to the GCG monitoring working group.",
        "ILO",
        10,
    ),
    FollowUpSpec(
        "peer_exchange",
        "Share Fiji's national coordination mechanism terms of reference "
        "with the other Pathfinder Countries.",
        "Australia",
        -3,
    ),
]

# Open follow-ups carried to a later meeting's agenda: (from, to).
CARRIED_FORWARD = [("workshop", "gcg_may"), ("gcg_may", "next_gcg"), ("peer_exchange", "next_gcg")]

MINUTES = [
    MinutesSpec(
        "gcg_dec",
        "The GCG considered the outcomes of the strategy workshop. It adopted the "
        "accountability framework, the analysis of finance gaps, the agreement on action and "
        "working groups and the revised GCG structure; it deferred the analysis of partner "
        "engagement and the review of the Secretariat's functions (demo minutes).",
        circulated_on=datetime.date(2022, 12, 20),
        approved_at="gcg_may",
    ),
    MinutesSpec(
        "gcg_may",
        "The GCG approved the minutes of its December 2022 meeting, adopted the analysis "
        "of partner engagement, rejected holding every meeting online and asked the "
        "Secretariat to draft a resource mobilisation strategy (demo minutes).",
        circulated_on=datetime.date(2023, 5, 30),
    ),
]

# 5. Registrations of the demo people, with notes only the Secretariat sees.
PARTICIPANTS = [
    *(
        spec
        for event in ("workshop", "gcg_dec")
        for spec in (
            ParticipantSpec(
                event,
                Participant.Role.GCG_MEMBER,
                user="gcg.member@alliance87.test",
                organisation="France",
                fields={"dietary_requirements": "Vegetarian (demo).", **ATTENDED},
            ),
            ParticipantSpec(
                event,
                Participant.Role.OBSERVER,
                user="gcg.observer@alliance87.test",
                fields=ATTENDED,
            ),
            ParticipantSpec(
                event,
                Participant.Role.SECRETARIAT,
                user=SECRETARIAT,
                organisation="ILO",
                fields=ATTENDED,
            ),
        )
    ),
    ParticipantSpec(
        "workshop",
        Participant.Role.GCG_MEMBER,
        name="Representative of the IOE",
        organisation="IOE",
        fields={"accessibility_needs": "Step-free access to the room (demo).", **ATTENDED},
    ),
    ParticipantSpec(
        "workshop",
        Participant.Role.PARTNER,
        name="Representative of Free the Slaves",
        organisation="Free the Slaves",
        fields={
            "invitation": Participant.Invitation.ACCEPTED,
            "attendance": Participant.Attendance.ABSENT,
        },
    ),
    ParticipantSpec(
        "peer_exchange",
        Participant.Role.FOCAL_POINT,
        user="focal.point@alliance87.test",
        organisation="Fiji",
        fields=ATTENDED,
    ),
    ParticipantSpec(
        "pacific", Participant.Role.FOCAL_POINT, user="focal.point@alliance87.test", fields=ATTENDED
    ),
    ParticipantSpec(
        "civ_workshop",
        Participant.Role.FOCAL_POINT,
        user="focal.point.ci@alliance87.test",
        organisation="Côte d'Ivoire",
        fields={
            "invitation": Participant.Invitation.INVITED,
            "accessibility_needs": "Documents in French, please (demo).",
        },
    ),
    ParticipantSpec(
        "next_gcg",
        Participant.Role.GCG_MEMBER,
        user="gcg.member@alliance87.test",
        organisation="France",
        fields={"invitation": Participant.Invitation.INVITED},
    ),
    ParticipantSpec(
        "webinar",
        Participant.Role.GCG_MEMBER,
        user="gcg.member@alliance87.test",
        fields={"invitation": Participant.Invitation.ACCEPTED},
    ),
]


# --- Loaders ---------------------------------------------------------------------------------


def _day(when: When, today: datetime.date) -> datetime.date:
    return when if isinstance(when, datetime.date) else today + datetime.timedelta(days=when)


def _load_event(spec: EventSpec, today: datetime.date) -> Event:
    fields = dict(spec.fields)
    if spec.country:
        fields["country"] = Country.objects.get(iso_code=spec.country)
    start, end = _day(spec.start, today), _day(spec.end, today)
    if spec.gcg_month is not None:
        meeting = _gcg_meeting(month_start=spec.gcg_month, day=start, title=spec.title)
        event = _gcg_event(
            meeting, title=spec.title, start=meeting.date, end_date=meeting.date, **fields
        )
    else:
        event = _event(
            title=spec.title,
            start=start,
            end_date=end,
            kind=spec.kind,
            by_title_only=not isinstance(spec.start, datetime.date),
            organisers=[organisation(key) for key in spec.organisers],
            **fields,
        )
    if spec.objectives:
        _objectives(event, list(spec.objectives))
    if spec.agenda:
        _agenda(event, list(spec.agenda))
    if spec.numbered and not event.is_gcg_meeting:
        top = GCGMeeting.objects.aggregate(top=Max("number"))["top"] or 0
        services.event_set_gcg_number(event=event, number=top + 1)
        event.refresh_from_db()
    return event


def _load_output(spec: OutputSpec, events: dict[str, Event]) -> Output:
    event = events[spec.event]
    item = None
    if spec.agenda_item is not None:
        item = AgendaItem.objects.get(event=event, title=spec.agenda_item)
    return _output(event, item, spec.kind, spec.title, spec.text)


def _load_outcome(spec: OutcomeSpec, outputs: dict[str, Output], events: dict[str, Event]):
    output, meeting = outputs[spec.output], events[spec.meeting]
    output.refresh_from_db()
    on = meeting.start_date
    if spec.action == "adopt":
        _adopt(output, meeting, on, decision=spec.decision, note=spec.note, same_as=spec.same_as)
    elif output.status == Output.Status.PROPOSED and spec.action == "defer":
        services.output_defer(
            output=output, meeting=meeting, deferred_on=on, by=None, note=spec.note
        )
    elif output.status == Output.Status.PROPOSED and spec.action == "reject":
        services.output_reject(
            output=output, meeting=meeting, rejected_on=on, by=None, note=spec.note
        )


def _load_minutes(spec: MinutesSpec, events: dict[str, Event], secretariat) -> None:
    event = events[spec.event]
    minutes = Minutes.objects.filter(event=event).first()
    if minutes is None:
        minutes = services.minutes_save_draft(event=event, by=secretariat, text=spec.text)
    if minutes.status == Minutes.Status.DRAFT:
        services.minutes_circulate(minutes=minutes, on=spec.circulated_on, notify=False)
        minutes.refresh_from_db()
    if spec.approved_at and minutes.status == Minutes.Status.CIRCULATED:
        meeting = events[spec.approved_at]
        services.minutes_approve(
            minutes=minutes, meeting=meeting, approved_on=meeting.start_date, by=secretariat
        )


def seed(*, stdout=None) -> None:
    today = timezone.localdate()
    User = get_user_model()
    people = {u.email: u for u in User.objects.filter(email__endswith="@alliance87.test")}

    events = {spec.key: _load_event(spec, today) for spec in EVENTS}
    for source, target in FEEDS_INTO:
        events[source].feeds_into.add(events[target])
    for doc in DOCUMENTS:
        text = (DATA_DIR / doc.source).read_text(encoding="utf-8")
        _document(
            events[doc.event],
            kind=doc.kind,
            title=doc.title,
            filename=doc.filename,
            lines=_wrap(text),
        )
    outputs = {spec.key: _load_output(spec, events) for spec in OUTPUTS}
    for outcome in OUTCOMES:
        _load_outcome(outcome, outputs, events)
    for action in FOLLOW_UPS:
        _follow_up(
            events[action.event],
            action.description,
            organisation(action.owner),
            _day(action.due, today),
            status=action.status,
            completed_on=action.completed_on,
            output=outputs[action.output] if action.output else None,
        )
    for source, target in CARRIED_FORWARD:
        services.follow_ups_carry_forward(event=events[source], to_event=events[target])
    for minutes in MINUTES:
        _load_minutes(minutes, events, people.get(SECRETARIAT))
    for person in PARTICIPANTS:
        user = people.get(person.user) if person.user else None
        if person.user and user is None:
            continue
        _participant(
            events[person.event],
            role=person.role,
            user=user,
            name=person.name,
            org=organisation(person.organisation) if person.organisation else None,
            **person.fields,
        )

    _tag_durban_areas()

    if stdout:
        stdout.write(
            f"Events: {Event.objects.count()}, outputs: {Output.objects.count()}, "
            f"follow-up actions: {FollowUpAction.objects.count()} "
            f"({FollowUpAction.objects.overdue(today).count()} overdue)"
        )


# The Durban Call to Action areas the events after its adoption (20 May 2022) worked on
# (demo tags); an event the Secretariat tagged already keeps its own.
EVENT_DURBAN_AREAS = {
    STRATEGY_TITLE: [DurbanArea.DECENT_WORK, DurbanArea.PREVENTION, DurbanArea.FINANCING],
    STRATEGY_GCG_TITLE: [DurbanArea.FINANCING],
    "Asia and the Pacific Pathfinder peer exchange": [
        DurbanArea.PREVENTION,
        DurbanArea.EDUCATION,
    ],
    "Reporting under the accountability framework (webinar)": [DurbanArea.PREVENTION],
    "National multi-stakeholder planning workshop, Côte d'Ivoire": [
        DurbanArea.AGRICULTURE,
        DurbanArea.EDUCATION,
        DurbanArea.SOCIAL_PROTECTION,
    ],
    "Regional consultation for the Americas": [
        DurbanArea.DECENT_WORK,
        DurbanArea.SOCIAL_PROTECTION,
    ],
}


def _tag_durban_areas() -> None:
    for title, areas in EVENT_DURBAN_AREAS.items():
        Event.objects.filter(title=title, durban_areas="").update(
            durban_areas=[str(area) for area in areas]
        )
