"""Reading an IATI activity file (XML, versions 2.01 to 2.03) as rows of funding flows.

Each transaction that is a pledge, a commitment or a payment becomes one row with the same
columns as a CSV file, so it is checked and planned by the same code (financing.importing).
A transaction that cannot be placed (another type, no provider, a region rather than a
country) is listed with the reason instead.

The file comes from outside: it is parsed with expat directly, a document type (and with it
any entity declaration) is refused, and external entities are never fetched, so neither
entity expansion nor external references can be used against the server.
"""

from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from alliance87.choices import Theme
from alliance87.texts import Text

from .models import FlowStatus, iati_identity, name_key

# The reasons are kept with the import and shown in each reader's language.
_ = Text

VERSIONS = ("2.01", "2.02", "2.03")

# IATI TransactionType codes (and the letter codes of version 1, still found in old files).
STATUS_OF_TYPE = {
    "1": FlowStatus.PAID,  # incoming funds
    "2": FlowStatus.COMMITTED,  # outgoing commitment
    "3": FlowStatus.PAID,  # disbursement
    "4": FlowStatus.PAID,  # expenditure
    "11": FlowStatus.COMMITTED,  # incoming commitment
    "12": FlowStatus.PLEDGED,  # outgoing pledge
    "13": FlowStatus.PLEDGED,  # incoming pledge
    "IF": FlowStatus.PAID,
    "C": FlowStatus.COMMITTED,
    "D": FlowStatus.PAID,
    "E": FlowStatus.PAID,
}
# Money the reporting organisation gives: without a provider-org, it is the provider.
OUTGOING = {"2", "3", "4", "12", "C", "D", "E"}
# Money the reporting organisation receives: without a receiver-org, it is the receiver.
INCOMING = {"1", "11", "13", "IF"}
# Sector vocabularies of the reporting organisation, whose codes may name a theme.
OWN_VOCABULARIES = {"98", "99"}

_THEMES = {value: value for value in Theme.values} | {
    name_key(str(label)): value for value, label in Theme.choices
}


class _Refused(Exception):
    pass


def looks_like_xml(content: bytes) -> bool:
    return content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def parse(content: bytes) -> tuple[Element, dict[int, int]]:
    """The document's root element, and the line of each activity and transaction element
    (by id). FileUnreadable names the line of the first fault."""
    from .importing import FileUnreadable

    parser = expat.ParserCreate()
    builder = TreeBuilder()
    lines: dict[int, int] = {}

    def start(tag: str, attributes: dict) -> None:
        element = builder.start(tag, attributes)
        if tag in ("transaction", "iati-activity"):
            lines[id(element)] = parser.CurrentLineNumber

    def refuse_doctype(*args) -> None:
        raise _Refused(
            _(
                "Line %(line)s: the file declares a document type (DOCTYPE). IATI files have "
                "none; it is refused, for the server's safety."
            )
            % {"line": parser.CurrentLineNumber}
        )

    def refuse_external(*args) -> int:
        raise _Refused(
            _("Line %(line)s: the file refers to an external entity; it is refused.")
            % {"line": parser.CurrentLineNumber}
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.ExternalEntityRefHandler = refuse_external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(content, True)
    except _Refused as refusal:
        raise FileUnreadable(refusal.args[0], parser.CurrentLineNumber) from refusal
    except expat.ExpatError as error:
        raise FileUnreadable(
            _(
                "The file is not well-formed XML: %(problem)s at line %(line)s, column "
                "%(column)s (an “&” in a text must be written “&amp;”). Nothing was read."
            )
            % {
                "problem": expat.ErrorString(error.code),
                "line": error.lineno,
                "column": error.offset + 1,
            },
            error.lineno,
        ) from error
    return builder.close(), lines


def _narrative(element: Element | None) -> str:
    if element is None:
        return ""
    narrative = element.find("narrative")
    text = narrative.text if narrative is not None else element.text
    return " ".join((text or "").split())


def _organisation(element: Element | None) -> tuple[str, str]:
    """(IATI identifier, name) of a participating, provider or receiver organisation."""
    if element is None:
        return "", ""
    return (element.get("ref") or "").strip(), _narrative(element)


def _theme(sectors: list[Element]) -> str:
    for sector in sectors:
        vocabulary = sector.get("vocabulary") or "1"
        candidates = [_narrative(sector)]
        if vocabulary in OWN_VOCABULARIES:
            candidates.insert(0, sector.get("code") or "")
        for candidate in candidates:
            key = name_key(candidate)
            theme = _THEMES.get(key.replace(" ", "_")) or _THEMES.get(key)
            if theme:
                return theme
    return ""


def read_activities(content: bytes) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """(line, row) for each transaction to check, and (line, reason) for each one that
    cannot be placed."""
    from .importing import FileUnreadable

    root, lines = parse(content)
    if root.tag != "iati-activities":
        raise FileUnreadable(
            _(
                "This XML file is not an IATI activity file: its first element is <%(tag)s>, "
                "not <iati-activities>."
            )
            % {"tag": root.tag}
        )
    version = (root.get("version") or "").strip()
    if version not in VERSIONS:
        raise FileUnreadable(
            _("IATI version “%(version)s” is not read here; versions 2.01, 2.02 and 2.03 are.")
            % {"version": version}
        )
    rows: list[tuple[int, dict]] = []
    not_placed: list[tuple[int, str]] = []
    for activity in root.iter("iati-activity"):
        _read_activity(activity, lines, rows, not_placed)
    return rows, not_placed


def _read_activity(
    activity: Element,
    lines: dict[int, int],
    rows: list[tuple[int, dict]],
    not_placed: list[tuple[int, str]],
) -> None:
    identifier = " ".join((activity.findtext("iati-identifier") or "").split())
    default_currency = (activity.get("default-currency") or "").strip()
    title = _narrative(activity.find("title"))
    reporting = _organisation(activity.find("reporting-org"))
    countries = [
        (element.get("code") or "").strip().upper()
        for element in activity.findall("recipient-country")
    ]
    regions = [
        (element.get("code") or "").strip() for element in activity.findall("recipient-region")
    ]
    sectors = activity.findall("sector")
    rank: dict[tuple[str, str, str], int] = {}
    for transaction in activity.findall("transaction"):
        line = lines.get(id(transaction), lines.get(id(activity), 1))

        def skip(reason: str, line: int = line) -> None:
            not_placed.append((line, reason))

        if not identifier:
            skip(_("Its activity has no iati-identifier."))
            continue
        type_element = transaction.find("transaction-type")
        code = (type_element.get("code") if type_element is not None else "") or ""
        status = STATUS_OF_TYPE.get(code.strip().upper())
        if status is None:
            skip(
                _(
                    "Transaction type %(code)s is not a pledge (12, 13), a commitment (2, 11) or a payment (1, 3, 4)."
                )
                % {"code": code or "—"}
            )
            continue
        value = transaction.find("value")
        text = " ".join((value.text or "").split()) if value is not None else ""
        if text.startswith("-"):
            skip(
                _(
                    "A negative value (%(value)s) corrects an earlier transaction; correct that flow instead."
                )
                % {"value": text}
            )
            continue
        date = (value.get("value-date") if value is not None else "") or ""
        if not date:
            date_element = transaction.find("transaction-date")
            date = (date_element.get("iso-date") if date_element is not None else "") or ""
        date = date.strip()
        provider_ref, provider_name = _organisation(transaction.find("provider-org"))
        if not (provider_ref or provider_name):
            if code.strip().upper() in OUTGOING:
                provider_ref, provider_name = reporting
            else:
                skip(_("Incoming money without a provider-org: its source is unknown."))
                continue
        receiver_ref, receiver_name = _organisation(transaction.find("receiver-org"))
        if not (receiver_ref or receiver_name) and code.strip().upper() in INCOMING:
            receiver_ref, receiver_name = reporting
        country_elements = transaction.findall("recipient-country")
        region_elements = transaction.findall("recipient-region")
        transaction_countries = [
            (element.get("code") or "").strip().upper() for element in country_elements
        ]
        country_codes = transaction_countries or ([] if region_elements else countries)
        if not country_codes:
            region = region_elements[0].get("code") if region_elements else (regions[:1] or [""])[0]
            if region:
                skip(
                    _(
                        "The recipient is a region (code %(code)s), not a country: it has no country programme."
                    )
                    % {"code": region}
                )
            else:
                skip(_("No recipient country, neither on the transaction nor on its activity."))
            continue
        if len(country_codes) > 1:
            skip(
                _(
                    "The activity shares its money among several countries (%(codes)s) and the transaction names none."
                )
                % {"codes": ", ".join(country_codes)}
            )
            continue
        reference = (transaction.get("ref") or "").strip()
        currency = (
            (value.get("currency") if value is not None else "") or default_currency
        ).strip()
        if reference:
            key = reference
        else:
            # No transaction reference: its type, date and provider, and its rank among the
            # activity's transactions alike, identify it. Not its value, so a corrected value
            # in a later file updates the flow instead of adding a second one.
            unnamed = (code.strip().upper(), date, provider_ref or provider_name)
            rank[unnamed] = rank.get(unnamed, 0) + 1
            key = "/".join((*unnamed, str(rank[unnamed])))
        rows.append(
            (
                line,
                {
                    "source": provider_name or provider_ref,
                    "source_iati_identifier": provider_ref,
                    "receiver": receiver_name or receiver_ref,
                    "receiver_iati_identifier": receiver_ref,
                    "recipient_type": "country",
                    "country": country_codes[0],
                    "theme": _theme(transaction.findall("sector") or sectors),
                    "amount": text,
                    "currency": currency,
                    "decision_date": date,
                    "year_from": date[:4] if date[:4].isdigit() else "",
                    "status": status,
                    "reference": (reference or identifier)[:100],
                    "description": title[:300],
                    "identity": iati_identity(activity=identifier, transaction=key),
                },
            )
        )
