"""Demo data of the governance area (loaded by `manage.py seed_demo`).

Facts come from DOMAIN.md and the seed documents: the co-lead organisations, the numbered GCG
meetings of 2020, France and Argentina as Chair and Deputy Chair until May 2023, the post-2022
structure (5 Pathfinder Country seats, one per ILO region; 5 development-partner seats), the
four current action groups and their working groups. Everything else (term dates, later office
holders, later meetings, activities, the ~200 partners and their engagement) is invented and
marked `is_demo`. Every record has a natural key, so seeding twice changes nothing.
"""

import random
from datetime import date, timedelta

from alliance87.accounts.models import User
from alliance87.models import Country, IloRegion
from governance.models import (
    ActionGroup,
    CallForInterest,
    Candidate,
    Constituency,
    ContactPerson,
    Decision,
    Engagement,
    GCGMeeting,
    GroupActivity,
    GroupMembership,
    Membership,
    OfficeHolder,
    Organisation,
    Partner,
    PartnerService,
    Seat,
    Workplan,
)

K = Organisation.Kind

# name, acronym, kind, ISO country (None for international bodies)
ORGANISATIONS = [
    ("Argentina", "", K.GOVERNMENT, "AR"),
    ("Australia", "", K.GOVERNMENT, "AU"),
    ("France", "", K.GOVERNMENT, "FR"),
    ("Mexico", "", K.GOVERNMENT, "MX"),
    ("United States", "", K.GOVERNMENT, "US"),
    ("Netherlands", "", K.GOVERNMENT, "NL"),
    ("United Kingdom", "", K.GOVERNMENT, "GB"),
    ("Chile", "", K.GOVERNMENT, "CL"),
    ("Fiji", "", K.GOVERNMENT, "FJ"),
    ("Ghana", "", K.GOVERNMENT, "GH"),
    ("Côte d'Ivoire", "", K.GOVERNMENT, "CI"),
    ("Albania", "", K.GOVERNMENT, "AL"),
    ("International Organisation of Employers", "IOE", K.EMPLOYERS, None),
    ("International Trade Union Confederation", "ITUC", K.WORKERS, None),
    ("International Labour Organization", "ILO", K.UN_AGENCY, None),
    ("Food and Agriculture Organization of the United Nations", "FAO", K.UN_AGENCY, None),
    ("United Nations Office on Drugs and Crime", "UNODC", K.UN_AGENCY, None),
    ("United Nations Children's Fund", "UNICEF", K.UN_AGENCY, None),
    ("International Organization for Migration", "IOM", K.UN_AGENCY, None),
    ("Office of the United Nations High Commissioner for Human Rights", "OHCHR", K.UN_AGENCY, None),
    ("Free the Slaves", "", K.CIVIL_SOCIETY, None),
    ("Global March Against Child Labour", "Global March", K.CIVIL_SOCIETY, None),
    ("Walk Free", "", K.CIVIL_SOCIETY, None),
]

# code, name, quota, per region, order, description (who may hold the seats: HOLDER_KINDS)
CONSTITUENCIES = [
    (
        "pathfinder-countries",
        "Pathfinder Country representatives",
        5,
        1,
        1,
        "Five seats for Pathfinder Countries, in principle one per ILO region (strategy workshop, December 2022).",
    ),
    (
        "development-partners",
        "Development-partner governments",
        5,
        None,
        2,
        "Five seats for governments that support Target 8.7 through development cooperation.",
    ),
    ("workers", "Workers' organisations", 1, None, 3, ""),
    ("employers", "Employers' organisations", 1, None, 4, ""),
    ("un-agencies", "UN and intergovernmental agencies", 4, None, 5, ""),
    ("civil-society", "Civil society organisations", 2, None, 6, ""),
]

HOLDER_KINDS = {
    "pathfinder-countries": K.GOVERNMENT,
    "development-partners": K.GOVERNMENT,
    "workers": K.WORKERS,
    "employers": K.EMPLOYERS,
    "un-agencies": K.UN_AGENCY,
    "civil-society": K.CIVIL_SOCIETY,
}

PFC_SEAT_LABELS = [
    "Africa",
    "Americas",
    "Asia and the Pacific",
    "Europe and Central Asia",
    "Arab States",
]
PFC_SEAT_REGIONS = [
    IloRegion.AFRICA,
    IloRegion.AMERICAS,
    IloRegion.ASIA_PACIFIC,
    IloRegion.EUROPE_CENTRAL_ASIA,
    IloRegion.ARAB_STATES,
]

D = date
T1 = (D(2023, 6, 1), D(2026, 5, 31))
T1R = (D(2026, 6, 1), D(2029, 5, 31))
T2 = (D(2024, 6, 1), D(2027, 5, 31))
T3 = (D(2025, 6, 1), D(2028, 5, 31))

# constituency, seat number (None for observers), organisation, (start, end). Every term follows
# the seat rules (3 years, two in a row, one holder a seat, one per region on Pathfinder seats),
# and the Chair and Deputy Chair hold their office within a membership.
MEMBERSHIPS = [
    ("pathfinder-countries", 1, "Ghana", T1),
    ("pathfinder-countries", 1, "Côte d'Ivoire", T1R),
    ("pathfinder-countries", 2, "Argentina", (D(2024, 4, 1), D(2027, 3, 31))),
    ("pathfinder-countries", 3, "Fiji", T1),
    ("pathfinder-countries", 3, "Fiji", T1R),
    ("pathfinder-countries", 4, "Albania", T3),
    ("development-partners", 1, "France", T1),
    ("development-partners", 1, "Mexico", T1R),
    ("development-partners", 2, "Australia", T1),
    ("development-partners", 2, "Australia", T1R),
    ("development-partners", 3, "Netherlands", T2),
    ("development-partners", 3, "Netherlands", (D(2027, 6, 1), D(2030, 5, 31))),
    ("development-partners", 4, "United Kingdom", T2),
    ("development-partners", 5, "United States", T3),
    ("development-partners", None, "Mexico", (D(2023, 6, 1), D(2026, 5, 31))),
    ("development-partners", None, "Chile", (D(2023, 6, 1), None)),
    ("development-partners", None, "United Kingdom", (D(2023, 6, 1), D(2024, 5, 31))),
    ("workers", 1, "ITUC", T1),
    ("workers", 1, "ITUC", T1R),
    ("employers", 1, "IOE", T1),
    ("employers", 1, "IOE", T1R),
    ("un-agencies", 1, "ILO", T1),
    ("un-agencies", 1, "ILO", T1R),
    ("un-agencies", 2, "UNODC", T2),
    ("un-agencies", 3, "IOM", T2),
    ("un-agencies", 4, "UNICEF", T3),
    ("un-agencies", None, "FAO", (D(2023, 6, 1), None)),
    ("un-agencies", None, "OHCHR", (D(2023, 6, 1), None)),
    ("civil-society", 1, "Free the Slaves", T1),
    ("civil-society", 1, "Free the Slaves", T1R),
    ("civil-society", 2, "Global March", T2),
    ("civil-society", None, "Walk Free", (D(2023, 6, 1), None)),
    # Before the 2022 review: the earlier structure, recorded on the seats of today's rules.
    ("development-partners", 2, "Australia", (D(2017, 1, 1), D(2019, 12, 31))),
    ("development-partners", 1, "France", (D(2020, 6, 1), D(2023, 5, 31))),
    ("development-partners", 3, "United States", (D(2020, 6, 1), D(2023, 5, 31))),
    ("pathfinder-countries", 2, "Argentina", (D(2020, 6, 1), D(2023, 5, 31))),
]

# number, date, title, virtual, extraordinary, location, demo, decisions (reference, kind, text)
MEETINGS = [
    (
        7,
        D(2020, 5, 19),
        "7th meeting of the Global Coordinating Group",
        True,
        False,
        "",
        False,
        [
            (
                "GCG/7/1",
                Decision.Kind.OTHER,
                "The GCG took note of the Secretariat's progress report and workplan.",
            ),
        ],
    ),
    (
        8,
        D(2020, 7, 22),
        "8th (extraordinary) meeting of the Global Coordinating Group",
        True,
        True,
        "",
        False,
        [
            (
                "GCG/8/1",
                Decision.Kind.OTHER,
                "The GCG discussed the Alliance's response to the COVID-19 crisis.",
            ),
        ],
    ),
    (
        9,
        D(2020, 10, 28),
        "9th meeting of the Global Coordinating Group",
        True,
        False,
        "",
        False,
        [
            (
                "GCG/9/1",
                Decision.Kind.OTHER,
                "The GCG welcomed the Democratic Republic of the Congo as a candidate Pathfinder Country.",
            ),
            (
                "GCG/9/2",
                Decision.Kind.OTHER,
                "The GCG discussed the monitoring, evaluation and accountability framework for Pathfinder Countries.",
            ),
            (
                "GCG/9/3",
                Decision.Kind.OTHER,
                "The GCG discussed the resource mobilisation strategy and the Alliance's funding situation.",
            ),
        ],
    ),
    (
        15,
        D(2022, 12, 8),
        "GCG meeting following the strategy workshop",
        False,
        False,
        "Geneva",
        True,
        [
            (
                "GCG/15/1",
                Decision.Kind.ADOPT_OUTPUT,
                "The GCG adopted a revised structure: five seats for Pathfinder Country representatives, in principle "
                "one per region, and five seats for development-partner governments, with rotation.",
            ),
            (
                "GCG/15/2",
                Decision.Kind.ADOPT_OUTPUT,
                "The GCG agreed on the closure of inactive groups and on modalities for creating and running action "
                "and working groups: terms of reference, two sponsoring members and approval by the GCG.",
            ),
        ],
    ),
    (
        16,
        D(2023, 5, 16),
        "16th meeting of the Global Coordinating Group",
        True,
        False,
        "",
        True,
        [
            (
                "GCG/16/1",
                Decision.Kind.APPOINT,
                "The GCG appointed the Chair and Deputy Chair for three years from 1 June 2023.",
            ),
        ],
    ),
    (
        20,
        D(2026, 5, 12),
        "20th meeting of the Global Coordinating Group",
        True,
        False,
        "",
        True,
        [
            (
                "GCG/20/1",
                Decision.Kind.APPOINT,
                "The GCG appointed the Chair and Deputy Chair for three years from 1 June 2026.",
            ),
            (
                "GCG/20/2",
                Decision.Kind.GRANT_PATHFINDER_STATUS,
                "The GCG reviewed the roadmap submitted by Benin and granted it Pathfinder "
                "status (demo decision: the Secretariat records the new stage in the portal).",
            ),
        ],
    ),
]

# office, organisation, start, end, decision, demo
OFFICE_HOLDERS = [
    (OfficeHolder.Office.CHAIR, "Australia", D(2017, 1, 1), D(2017, 12, 31), None, True),
    (OfficeHolder.Office.CHAIR, "France", D(2020, 6, 1), D(2023, 5, 31), None, True),
    (OfficeHolder.Office.DEPUTY_CHAIR, "Argentina", D(2020, 6, 1), D(2023, 5, 31), None, True),
    (OfficeHolder.Office.CHAIR, "United Kingdom", D(2023, 6, 1), D(2026, 5, 31), "GCG/16/1", True),
    (OfficeHolder.Office.DEPUTY_CHAIR, "Chile", D(2023, 6, 1), D(2026, 5, 31), "GCG/16/1", True),
    (OfficeHolder.Office.CHAIR, "Netherlands", D(2026, 6, 1), D(2029, 5, 31), "GCG/20/1", True),
    (OfficeHolder.Office.DEPUTY_CHAIR, "Fiji", D(2026, 6, 1), D(2029, 5, 31), "GCG/20/1", True),
]

AG = ActionGroup.Kind.ACTION_GROUP
WG = ActionGroup.Kind.WORKING_GROUP

# name, kind, parent, theme, chair, launched, purpose
GROUPS = [
    (
        "Supply Chains",
        AG,
        None,
        "forced_labour",
        "ILO",
        D(2017, 2, 1),
        "Address child labour, forced labour, modern slavery and human trafficking in global supply chains.",
    ),
    (
        "Supply Chains: Knowledge Gaps and Research",
        WG,
        "Supply Chains",
        "",
        "ILO",
        D(2017, 6, 21),
        "Identify and fill knowledge gaps on Target 8.7 violations in supply chains.",
    ),
    (
        "Supply Chains: Capacity Building and Tools",
        WG,
        "Supply Chains",
        "",
        None,
        D(2017, 6, 21),
        "Share tools and build the capacity of governments, business and workers.",
    ),
    (
        "Supply Chains: Priority Countries and Supply Chains",
        WG,
        "Supply Chains",
        "",
        None,
        D(2017, 6, 21),
        "Focus joint action on priority countries and sectors.",
    ),
    (
        "Supply Chains: Advocacy and Partnerships",
        WG,
        "Supply Chains",
        "",
        None,
        D(2017, 6, 21),
        "Advocate for due diligence and build partnerships along supply chains.",
    ),
    (
        "Migration",
        AG,
        None,
        "human_trafficking",
        None,
        D(2018, 3, 1),
        "Protect migrants from forced labour, modern slavery and human trafficking.",
    ),
    (
        "Migration: Research and Knowledge",
        WG,
        "Migration",
        "",
        None,
        D(2018, 3, 1),
        "Research and knowledge on migration and Target 8.7.",
    ),
    (
        "Migration: Resource Mobilisation",
        WG,
        "Migration",
        "",
        None,
        D(2018, 3, 1),
        "Mobilise resources for the group's joint work.",
    ),
    (
        "Migration: Strategy and Policy",
        WG,
        "Migration",
        "",
        None,
        D(2018, 3, 1),
        "Policy advice and strategy on fair recruitment and safe migration.",
    ),
    (
        "Migration: Tools and Technical Cooperation",
        WG,
        "Migration",
        "",
        None,
        D(2018, 3, 1),
        "Tools and technical cooperation for partners and Pathfinder Countries.",
    ),
    (
        "Rule of Law and Governance",
        AG,
        None,
        "",
        None,
        D(2017, 2, 1),
        "Strengthen the rule of law, access to justice and governance against Target 8.7 violations.",
    ),
    (
        "Conflict and Humanitarian Settings",
        AG,
        None,
        "",
        None,
        D(2017, 2, 1),
        "Prevent and respond to child labour, forced labour and trafficking in conflict and humanitarian crises.",
    ),
    # Two older groups with no recent activity: candidates for closure.
    (
        "Rural Development",
        AG,
        None,
        "child_labour",
        None,
        D(2017, 2, 1),
        "Address child labour and forced labour in rural economies and agriculture.",
    ),
    (
        "Commercial Sexual Exploitation",
        AG,
        None,
        "human_trafficking",
        None,
        D(2017, 2, 1),
        "Address the commercial sexual exploitation of children and adults.",
    ),
]

# group, date, kind, title, demo
ACTIVITIES = [
    ("Supply Chains", D(2017, 6, 21), GroupActivity.Kind.MEETING, "First meeting, Berlin", False),
    (
        "Supply Chains",
        D(2019, 5, 15),
        GroupActivity.Kind.MEETING,
        "Second global meeting, Abidjan",
        True,
    ),
    (
        "Supply Chains",
        D(2025, 11, 18),
        GroupActivity.Kind.OUTPUT,
        "Guidance note on due diligence in supply chains",
        True,
    ),
    ("Supply Chains", D(2026, 9, 24), GroupActivity.Kind.MEETING, "Annual meeting (virtual)", True),
    ("Migration", D(2026, 3, 10), GroupActivity.Kind.MEETING, "Workplan review meeting", True),
    (
        "Migration",
        D(2025, 12, 18),
        GroupActivity.Kind.OUTPUT,
        "Brief on fair recruitment for International Migrants Day",
        True,
    ),
    (
        "Rule of Law and Governance",
        D(2026, 6, 4),
        GroupActivity.Kind.MEETING,
        "Meeting on access to justice",
        True,
    ),
    (
        "Conflict and Humanitarian Settings",
        D(2026, 2, 19),
        GroupActivity.Kind.OUTPUT,
        "Mapping of crisis-response tools",
        True,
    ),
    ("Rural Development", D(2020, 11, 5), GroupActivity.Kind.MEETING, "Virtual meeting", True),
    (
        "Commercial Sexual Exploitation",
        D(2019, 9, 12),
        GroupActivity.Kind.MEETING,
        "Group meeting",
        True,
    ),
]
WORKING_GROUP_ACTIVITY_DAYS = [40, 75, 110, 150, 190, 230, 260, 300]

WORKPLANS = [
    (
        "Supply Chains",
        "Workplan 2025–2026",
        D(2025, 1, 1),
        D(2026, 12, 31),
        "Research on forced labour in two priority supply chains\nDue diligence guidance for business partners\n"
        "Joint event at the High-Level Political Forum",
    ),
    (
        "Migration",
        "Workplan 2026",
        D(2026, 1, 1),
        D(2026, 12, 31),
        "Knowledge brief on fair recruitment\nResource mobilisation plan\nTechnical support to two Pathfinder Countries",
    ),
    (
        "Rule of Law and Governance",
        "Workplan 2026",
        D(2026, 1, 1),
        D(2026, 12, 31),
        "Peer exchange on labour inspection and justice\nCompendium of prosecution practice",
    ),
    (
        "Conflict and Humanitarian Settings",
        "Workplan 2026",
        D(2026, 1, 1),
        D(2026, 12, 31),
        "Crisis-response tool mapping\nCountry case studies",
    ),
    (
        "Rural Development",
        "Workplan 2019–2020",
        D(2019, 1, 1),
        D(2020, 12, 31),
        "Child labour in agriculture: good practice collection",
    ),
]

FIRST_NAMES = [
    "Amina",
    "Lucas",
    "Sofia",
    "Kwame",
    "Mei",
    "Jonas",
    "Leila",
    "Diego",
    "Anna",
    "Ravi",
    "Nadia",
    "Pierre",
    "Grace",
    "Tomás",
    "Ingrid",
    "Samuel",
    "Fatou",
    "Hugo",
    "Elena",
    "Joseph",
]
LAST_NAMES = [
    "Mensah",
    "Fernández",
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Haddad",
    "Moreau",
    "Singh",
    "Novak",
    "Ortega",
    "Banda",
    "Keller",
    "Silva",
    "Nguyen",
    "Ahmed",
    "Rossi",
    "Diallo",
    "Jansen",
    "Kowalski",
    "Lee",
]

PARTNER_WORDS = [
    "Fair",
    "Free",
    "Safe",
    "Bright",
    "Open",
    "Common",
    "United",
    "Decent",
    "Just",
    "Future",
    "Hope",
    "Rising",
    "Equal",
    "Solid",
    "Green",
    "New",
]
PARTNER_TOPICS = [
    "Harvest",
    "Futures",
    "Childhood",
    "Labour",
    "Work",
    "Routes",
    "Voices",
    "Horizons",
    "Rights",
    "Hands",
    "Passage",
    "Schools",
    "Fields",
    "Threads",
    "Seas",
    "Supply",
]
PARTNER_FORMS = {
    K.CIVIL_SOCIETY: ["Foundation", "Network", "Initiative", "Alliance", "Coalition"],
    K.ACADEMIA: ["Research Centre", "Institute", "Lab"],
    K.PRIVATE_SECTOR: ["Group", "Trading", "Textiles", "Cocoa Cooperative", "Logistics"],
    K.WORKERS: ["Workers' Union", "Federation of Labour"],
    K.EMPLOYERS: ["Employers' Federation", "Business Council"],
    K.OTHER: ["Trust", "Forum"],
}
PARTNER_KIND_WEIGHTS = [
    (K.CIVIL_SOCIETY, 45),
    (K.ACADEMIA, 15),
    (K.PRIVATE_SECTOR, 15),
    (K.WORKERS, 10),
    (K.EMPLOYERS, 8),
    (K.OTHER, 7),
]
PARTNER_COUNTRIES = [
    "GH",
    "CI",
    "KE",
    "NG",
    "UG",
    "MW",
    "BR",
    "AR",
    "CL",
    "GT",
    "HN",
    "MX",
    "US",
    "FJ",
    "NP",
    "IN",
    "PH",
    "TH",
    "FR",
    "DE",
    "NL",
    "GB",
    "AL",
    "UZ",
    "JO",
    "LB",
    "MA",
    "EG",
    None,
]
ENGAGEMENT_NOTES = {
    Engagement.Kind.EVENT: [
        "Took part in the Pathfinder event at the High-Level Political Forum",
        "Spoke at a regional consultation",
        "Attended the partners' webinar",
    ],
    Engagement.Kind.GROUP: [
        "Joined an action group's meeting",
        "Contributed to a working group's workplan",
    ],
    Engagement.Kind.KNOWLEDGE: [
        "Shared a research paper on the knowledge platform",
        "Submitted a good practice",
    ],
    Engagement.Kind.COMMUNICATIONS: [
        "Relayed the Alliance's campaign",
        "Wrote a blog post for the Alliance",
    ],
    Engagement.Kind.PLEDGE: ["Made a pledge towards Target 8.7", "Renewed its pledge"],
}
ENGAGEMENT_WEIGHTS = [
    (Engagement.Kind.EVENT, 35),
    (Engagement.Kind.GROUP, 15),
    (Engagement.Kind.KNOWLEDGE, 20),
    (Engagement.Kind.COMMUNICATIONS, 22),
    (Engagement.Kind.PLEDGE, 8),
]
SERVICE_NOTES = {
    PartnerService.Kind.TECHNICAL_SUPPORT: "Advice on a national action plan",
    PartnerService.Kind.CONVENING: "Introduced to partners working in the same country",
    PartnerService.Kind.KNOWLEDGE_PLATFORM: "Profile and resources published on the knowledge platform",
    PartnerService.Kind.COMMUNICATIONS: "News item in the Alliance newsletter",
    PartnerService.Kind.CAPACITY_BUILDING: "Place in a training on labour inspection",
}
GENERATED_PARTNERS = 200


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def seed(*, stdout=None) -> None:
    countries = {c.iso_code: c for c in Country.objects.all()}
    orgs = _seed_organisations(countries)
    _seed_contacts(orgs)
    decisions = _seed_meetings()
    _seed_gcg(orgs, decisions)
    partners = _seed_partners(orgs, countries)
    _seed_groups(orgs, partners)
    if stdout:
        stdout.write(
            f"Governance: {Organisation.objects.count()} organisations, {Membership.objects.count()} GCG memberships, "
            f"{ActionGroup.objects.count()} groups, {Partner.objects.count()} partners, "
            f"{Engagement.objects.count()} engagement records"
        )


def _seed_organisations(countries) -> dict[str, Organisation]:
    orgs = {}
    for name, acronym, kind, iso in ORGANISATIONS:
        org, _created = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "acronym": acronym,
                "kind": kind,
                "country": countries.get(iso) if iso else None,
            },
        )
        orgs[acronym or name] = org
    return orgs


def _seed_contacts(orgs) -> None:
    rng = random.Random(8701)
    users = {
        u.email: u
        for u in User.objects.filter(
            email__in=["gcg.member@alliance87.test", "gcg.observer@alliance87.test"]
        )
    }
    linked = {"France": "gcg.member@alliance87.test", "Walk Free": "gcg.observer@alliance87.test"}
    for key, org in orgs.items():
        email = linked.get(key)
        user = users.get(email) if email else None
        name = (
            user.get_full_name() if user else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        )
        ContactPerson.objects.get_or_create(
            organisation=org,
            name=name,
            defaults={
                "position": "GCG representative",
                "user": user,
                "email": email or "",
                "is_demo": True,
            },
        )


def _seed_meetings() -> dict[str, Decision]:
    decisions = {}
    from workshops.services import gcg_meeting_create

    for number, day, title, virtual, extraordinary, location, demo, items in MEETINGS:
        # One record per meeting: a GCG meeting is created with its event.
        meeting = GCGMeeting.objects.filter(number=number).first() or gcg_meeting_create(
            number=number,
            title=title,
            date=day,
            location=location,
            is_virtual=virtual,
            is_demo=demo,
        )
        GCGMeeting.objects.filter(pk=meeting.pk).update(
            is_extraordinary=extraordinary, is_demo=demo
        )
        for reference, kind, text in items:
            decisions[reference], _created = Decision.objects.update_or_create(
                reference=reference,
                defaults={
                    "meeting": meeting,
                    "number": int(reference.rsplit("/", 1)[1]),
                    "date": day,
                    "kind": kind,
                    "text": text,
                    "is_demo": demo,
                },
            )
    return decisions


# Calls for expressions of interest: the 2026 offices (closed, appointed) and the vacant Arab
# States seat (open). Office, vacancy, opens, closes, candidates (organisation, selected).
OFFICE_CALLS = [
    (
        OfficeHolder.Office.CHAIR,
        D(2026, 6, 1),
        D(2026, 1, 15),
        D(2026, 3, 31),
        [("Netherlands", True), ("Chile", False)],
    ),
    (
        OfficeHolder.Office.DEPUTY_CHAIR,
        D(2026, 6, 1),
        D(2026, 1, 15),
        D(2026, 3, 31),
        [("Fiji", True), ("Ghana", False)],
    ),
]
# Constituency, seat number, vacancy, opens, closes, notes.
SEAT_CALLS = [
    (
        "pathfinder-countries",
        5,
        D(2027, 1, 1),
        D(2026, 10, 1),
        D(2026, 12, 15),
        "Open to Pathfinder Countries of the Arab States region.",
    ),
]


def _seed_gcg(orgs, decisions) -> None:
    constituencies, seats = _seed_seats()
    _seed_memberships(orgs, constituencies, seats)
    office_holders = _seed_office_holders(orgs, decisions)
    _seed_calls(orgs, seats, office_holders)


def _seed_seats() -> tuple[dict, dict]:
    constituencies = {}
    for code, name, quota, per_region, order, description in CONSTITUENCIES:
        constituencies[code], _created = Constituency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "seat_quota": quota,
                "max_per_region": per_region,
                "order": order,
                "description": description,
                "term_years": 3,
                "max_consecutive_terms": 2,
                "holder_kind": HOLDER_KINDS[code],
            },
        )
    seats = {}
    for code, constituency in constituencies.items():
        for number in range(1, constituency.seat_quota + 1):
            label, region = f"{constituency.name} – seat {number}", ""
            if code == "pathfinder-countries":
                label = f"Pathfinder Country seat – {PFC_SEAT_LABELS[number - 1]}"
                region = PFC_SEAT_REGIONS[number - 1]
            seats[code, number], _created = Seat.objects.update_or_create(
                constituency=constituency,
                number=number,
                defaults={"label": label, "region": region},
            )
    return constituencies, seats


def _seed_memberships(orgs, constituencies, seats) -> None:
    # Terms of an earlier version of the demo that are no longer listed go first, so that the
    # listed ones are checked against the seat rules alone.
    keys = {(orgs[org_key].pk, code, start) for code, _n, org_key, (start, _end) in MEMBERSHIPS}
    for stale in Membership.objects.filter(is_demo=True).select_related("constituency"):
        if (stale.organisation_id, stale.constituency.code, stale.term_start) not in keys:
            stale.delete()
    # Earliest first: a term that an office relies on exists before the later ones are checked.
    for code, number, org_key, (start, end) in sorted(MEMBERSHIPS, key=lambda row: row[3][0]):
        membership = Membership.objects.filter(
            organisation=orgs[org_key], constituency=constituencies[code], term_start=start
        ).first() or Membership(
            organisation=orgs[org_key], constituency=constituencies[code], term_start=start
        )
        membership.seat = seats[code, number] if number else None
        membership.role = Membership.Role.MEMBER if number else Membership.Role.OBSERVER
        membership.term_end = end
        membership.is_demo = True
        membership.full_clean()  # the demo obeys the seat rules like any other record
        membership.save()
        membership.representatives.set(orgs[org_key].contacts.all()[:1])


def _seed_office_holders(orgs, decisions) -> dict:
    office_holders = {}
    for office, org_key, start, end, reference, demo in OFFICE_HOLDERS:
        holder = OfficeHolder.objects.filter(office=office, term_start=start).first()
        holder = holder or OfficeHolder(office=office, term_start=start)
        holder.organisation = orgs[org_key]
        holder.term_end = end
        holder.is_demo = demo
        holder.appointed_by_decision = decisions.get(reference) if reference else None
        holder.representative = orgs[org_key].contacts.first()
        holder.full_clean()
        holder.save()
        office_holders[office, start] = holder
    return office_holders


def _seed_calls(orgs, seats, office_holders) -> None:
    for office, vacancy, opens, closes, candidates in OFFICE_CALLS:
        call, _created = CallForInterest.objects.update_or_create(
            office=office,
            vacancy_on=vacancy,
            defaults={
                "opens_on": opens,
                "closes_on": closes,
                "status": CallForInterest.Status.CLOSED,
                "appointed_office_holder": office_holders[office, vacancy],
                "is_demo": True,
            },
        )
        for org_key, selected in candidates:
            Candidate.objects.update_or_create(
                call=call,
                organisation=orgs[org_key],
                defaults={
                    "received_on": D(2026, 3, 1),
                    "status": Candidate.Status.SELECTED if selected else Candidate.Status.RECEIVED,
                },
            )
    for code, number, vacancy, opens, closes, notes in SEAT_CALLS:
        CallForInterest.objects.update_or_create(
            seat=seats[code, number],
            vacancy_on=vacancy,
            defaults={
                "opens_on": opens,
                "closes_on": closes,
                "status": CallForInterest.Status.OPEN,
                "notes": notes,
                "is_demo": True,
            },
        )


def _seed_partners(orgs, countries) -> list[Partner]:
    rng = random.Random(87)
    partners = []
    # The named organisations are partners too (join dates invented).
    for org in orgs.values():
        partner, _created = Partner.objects.get_or_create(
            organisation=org,
            defaults={
                "joined_on": D(2016, 9, 21) + timedelta(days=rng.randint(0, 500)),
                "is_demo": True,
            },
        )
        partners.append(partner)
    used = set()
    for index in range(GENERATED_PARTNERS):
        kind = _weighted(rng, PARTNER_KIND_WEIGHTS)
        iso = rng.choice(PARTNER_COUNTRIES)
        country = countries.get(iso) if iso else None
        while True:
            name = f"{rng.choice(PARTNER_WORDS)} {rng.choice(PARTNER_TOPICS)} {rng.choice(PARTNER_FORMS[kind])}"
            if country:
                name = f"{name} {country.name}"
            if name not in used:
                break
        used.add(name)
        org, _created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "country": country, "is_demo": True}
        )
        joined = D(2016, 9, 21) + timedelta(days=rng.randint(0, 3500))
        partner, _created = Partner.objects.get_or_create(
            organisation=org, defaults={"joined_on": joined, "is_demo": True}
        )
        partners.append(partner)
        _seed_engagement(rng, partner, index)
    for partner in partners[: len(orgs)]:
        _seed_engagement(rng, partner, -1)
    return partners


def _seed_engagement(rng: random.Random, partner: Partner, index: int) -> None:
    # Draw the same numbers whether or not the records exist, so later partners stay the same.
    activity = rng.choice([0, 0, 1, 2, 3, 4, 6, 8, 10, 14]) if index >= 0 else rng.randint(6, 16)
    today = date.today()
    span = max((today - partner.joined_on).days, 1)
    records = []
    for _ in range(activity):
        kind = _weighted(rng, ENGAGEMENT_WEIGHTS)
        day = partner.joined_on + timedelta(days=rng.randint(0, span))
        records.append(
            Engagement(
                partner=partner,
                kind=kind,
                date=day,
                notes=rng.choice(ENGAGEMENT_NOTES[kind]),
                is_demo=True,
            )
        )
    services = []
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        kind = rng.choice(list(PartnerService.Kind))
        day = partner.joined_on + timedelta(days=rng.randint(0, span))
        services.append(
            PartnerService(
                partner=partner, kind=kind, date=day, notes=SERVICE_NOTES[kind], is_demo=True
            )
        )
    if not partner.engagements.exists():
        Engagement.objects.bulk_create(records)
    if not partner.services.exists():
        PartnerService.objects.bulk_create(services)


def _seed_groups(orgs, partners) -> None:
    groups: dict[str, ActionGroup] = {}
    for name, kind, parent, theme, chair, launched, purpose in GROUPS:
        groups[name], _created = ActionGroup.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "parent": groups[parent] if parent else None,
                "theme": theme,
                "purpose": purpose,
                "chair": orgs.get(chair) if chair else None,
                "launched_on": launched,
            },
        )
    # The two old groups are inactive since the inactivity check first ran (demo date).
    for name in ("Rural Development", "Commercial Sexual Exploitation"):
        group = groups[name]
        if group.status == ActionGroup.Status.ACTIVE:
            group.status = ActionGroup.Status.INACTIVE
            group.flagged_inactive_on = D(2022, 1, 10)
            group.save()
    for group_name, day, activity_kind, title, demo in ACTIVITIES:
        GroupActivity.objects.get_or_create(
            group=groups[group_name],
            date=day,
            title=title,
            defaults={"kind": activity_kind, "is_demo": demo},
        )
    for name, group in groups.items():
        if group.kind == WG:
            for offset in WORKING_GROUP_ACTIVITY_DAYS[:3]:
                day = D(2026, 1, 1) + timedelta(days=offset + len(name) % 9)
                GroupActivity.objects.get_or_create(
                    group=group,
                    date=day,
                    title="Working group call",
                    defaults={"kind": GroupActivity.Kind.MEETING, "is_demo": True},
                )
    for group_name, title, start, end, outcomes in WORKPLANS:
        Workplan.objects.update_or_create(
            group=groups[group_name],
            title=title,
            defaults={"period_start": start, "period_end": end, "outcomes": outcomes},
        )
    # Members: co-lead organisations and generated partners, with join dates after the launch.
    rng = random.Random(8787)
    sizes = {
        "Migration": 42,
        "Supply Chains": 30,
        "Rule of Law and Governance": 18,
        "Conflict and Humanitarian Settings": 16,
        "Rural Development": 9,
        "Commercial Sexual Exploitation": 7,
    }
    pool = [p.organisation for p in partners]
    for name, group in groups.items():
        size = sizes.get(name, 8)
        chosen = rng.sample(pool, size)
        launched_on = group.launched_on
        assert launched_on is not None  # every demo group has its launch date
        for org in chosen:
            GroupMembership.objects.get_or_create(
                group=group,
                organisation=org,
                defaults={"joined_on": launched_on + timedelta(days=rng.randint(0, 900))},
            )
