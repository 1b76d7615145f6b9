"""Reading and checking a file of funding flows (CSV, XLSX or IATI XML) before anything is
written, and planning what it does: which rows add a flow, which update one (and what
changes), which change nothing.

Nothing is guessed. Numbers and dates written as text are read in the format chosen on the
upload form, strictly: a value that does not fit it, or that it would read otherwise than
another format would (250.000 under 1,234.50), is a row error naming the row and column.
Names are compared after Unicode NFC normalisation with typographic quotes and dashes folded.

Every row is checked against lookups loaded once (organisations, countries, action groups,
Secretariat functions, exchange rates, the flows already recorded), so a file of 10,000
rows needs a handful of queries whatever its size.
"""

import csv
import datetime
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Field
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext

from alliance87 import exports
from alliance87.choices import Theme
from alliance87.models import Country
from alliance87.texts import Text, as_json
from governance.models import ActionGroup, Organisation

from .currencies import ISO_4217_CODES
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_FLOW_USD,
    DateFormat,
    ExchangeRate,
    FlowStatus,
    FundingFlow,
    ImportFileKind,
    NumberFormat,
    RecipientKind,
    SecretariatFunction,
    flow_identity,
    name_key,
)
from .rates import RateTable

# The messages of a check are kept with the import and shown in each reader's language.
_ = Text

MAX_ROWS = 50_000
MAX_ERRORS_SHOWN = 200


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: Promise
    example: str


COLUMNS = [
    Column(
        "source",
        True,
        gettext_lazy(
            "The organisation giving the money: its name or acronym as recorded in the portal."
        ),
        "United Kingdom",
    ),
    Column(
        "recipient_type",
        True,
        gettext_lazy("country, action_group or secretariat."),
        "country",
    ),
    Column(
        "country",
        False,
        gettext_lazy(
            "For a country programme: the ISO 3166 two-letter code (e.g. FJ) or the country's name."
        ),
        "FJ",
    ),
    Column(
        "action_group",
        False,
        gettext_lazy("For a global programme: the name of the action group that runs it."),
        "",
    ),
    Column(
        "secretariat_function",
        False,
        gettext_lazy(
            "For the Secretariat, optional: the code of the function the money is earmarked for."
        ),
        "",
    ),
    Column(
        "theme",
        False,
        gettext_lazy(
            "child_labour, forced_labour, modern_slavery or human_trafficking; empty for cross-cutting."
        ),
        "child_labour",
    ),
    Column(
        "amount",
        True,
        gettext_lazy(
            "In the original currency, more than zero, at most two decimals, written in the number format chosen on the upload form (or a number cell)."
        ),
        "250000.00",
    ),
    Column("currency", True, gettext_lazy("ISO 4217 code, e.g. USD, EUR, GBP, CHF, AUD."), "GBP"),
    Column(
        "decision_date",
        True,
        gettext_lazy(
            "The date of the pledge or decision, in the date format chosen on the upload form (or a date cell)."
        ),
        "2024-03-15",
    ),
    Column("year_from", True, gettext_lazy("The first year the money covers, e.g. 2024."), "2024"),
    Column(
        "year_to", False, gettext_lazy("The last year it covers; empty for a single year."), "2025"
    ),
    Column("status", True, gettext_lazy("pledged, committed or paid."), "committed"),
    Column(
        "reference",
        False,
        gettext_lazy(
            "The donor's own reference. A row with a source and reference already recorded updates that flow (a corrected amount, a pledge now committed or paid)."
        ),
        "GB-2024-017",
    ),
    Column(
        "description",
        False,
        gettext_lazy("Free text, up to 300 characters."),
        "Child labour monitoring",
    ),
    Column(
        "receiver",
        False,
        gettext_lazy(
            "Optional: the organisation that receives the money, its name or acronym as recorded in the portal."
        ),
        "",
    ),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED = [column.name for column in COLUMNS if column.required]
# A header lower than this is not looked for (a title block is a few lines).
HEADER_SEARCH_LINES = 30


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


class Action:
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    NOT_PLACED = "not_placed"


@dataclass
class RowPlan:
    """What one row does: the flow it adds (unsaved) or the recorded flow it updates, with
    the new values set on it; for an update, each change (field, old, new) and the values
    before, so the import can be undone."""

    line: int
    action: str
    flow: FundingFlow | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    before: dict[str, str | None] = field(default_factory=dict)
    reason: str = ""


@dataclass
class CheckedFile:
    """The outcome of checking a file: what each row would do, or the errors that stop it."""

    row_count: int = 0
    plans: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_kind: str = ""
    lookups: "Lookups | None" = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def of(self, action: str) -> list[RowPlan]:
        return [plan for plan in self.plans if plan.action == action]

    @property
    def flows(self) -> list[FundingFlow]:
        """The flows this file adds."""
        return [plan.flow for plan in self.of(Action.ADDED) if plan.flow is not None]

    @property
    def skipped(self) -> int:
        return len(self.of(Action.UNCHANGED))


class FileUnreadable(Exception):
    """The file cannot be read as a table of flows; nothing in it was checked."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def file_checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _normalise_header(value) -> str:
    return name_key(value or "").replace(" ", "_").replace("-", "_")


# --- Numbers and dates, read strictly in the chosen format ----------------------------------

_SPACES = "\u0020\u00a0\u202f\u2009\u2007"
# (decimal mark, thousands separators allowed) of each format; spaces of every width are one.
_SEPARATORS = {
    NumberFormat.DOT: (".", ", "),
    NumberFormat.COMMA: (",", ". "),
    NumberFormat.SPACE: (",", " "),
}
_NUMBER_PATTERNS: dict[str, re.Pattern[str]] = {
    number_format: re.compile(
        r"^(?P<int>\d{1,3}(?:(?P<sep>["
        + re.escape(groups)
        + r"])\d{3})(?:(?P=sep)\d{3})*|\d+)(?:"
        + re.escape(decimal)
        + r"(?P<frac>\d+))?$"
    )
    for number_format, (decimal, groups) in _SEPARATORS.items()
}
_SPACE_TABLE = str.maketrans(dict.fromkeys(_SPACES, " "))


class ValueRefused(Exception):
    """A value that does not read unambiguously in the chosen format; the message says why."""


def _number_in(text: str, number_format: str) -> Decimal | None:
    """The number `text` is in the format, None if it is not one; more than two decimals is
    refused by the caller (no amount has them)."""
    match = _NUMBER_PATTERNS[number_format].match(text)
    if not match:
        return None
    digits = match["int"].replace(match["sep"] or "\0", "")
    return Decimal(f"{digits}.{match['frac']}" if match["frac"] else digits)


# The date formats' labels (financing.models.DateFormat), kept untranslated in messages.
_DATE_FORMAT_MSGIDS = {"ymd": "yyyy-mm-dd", "dmy": "dd/mm/yyyy", "mdy": "mm/dd/yyyy"}


def _format_label(choices, value: str) -> str:
    if choices is DateFormat:
        return Text(_DATE_FORMAT_MSGIDS[value])
    return str(dict(choices.choices)[value])


def parse_amount(value, number_format: str) -> Decimal:
    """An amount written as text in the format (or a number cell), more than zero, with at
    most two decimals; ValueRefused otherwise."""
    if isinstance(value, bool):
        raise ValueRefused(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        # A number cell: the shortest repr of the double is the figure that was typed.
        amount = Decimal(repr(value))
    else:
        text = str(value).strip().translate(_SPACE_TABLE).strip()
        negative = text[:1] in ("-", "\u2212")
        body = text[1:].strip() if negative else text
        number = _number_in(body, number_format)
        if number is None:
            raise ValueRefused(_amount_refusal(text, body, number_format))
        amount = -number if negative else number
        # _number_in read the body, so the pattern matches it.
        match = _NUMBER_PATTERNS[number_format].match(body)
        fraction = (match["frac"] if match else "") or ""
        if len(fraction) > 2:
            raise ValueRefused(_amount_refusal(text, body, number_format, fraction=fraction))
    if not amount.is_finite():
        raise ValueRefused(_("“%(value)s” is not a number.") % {"value": value})
    if amount <= 0:
        raise ValueRefused(
            _("The amount must be more than zero (it is %(value)s).") % {"value": value}
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueRefused(_("“%(value)s” has more than two decimals.") % {"value": value})
    return amount


def _amount_refusal(text: str, body: str, number_format: str, fraction: str = "") -> str:
    chosen = _format_label(NumberFormat, number_format)
    others = []
    for other in NumberFormat.values:
        if other == number_format:
            continue
        reading = _number_in(body, other)
        # Only a format that reads the text as an amount (two decimals at most) is named.
        match = _NUMBER_PATTERNS[other].match(body)
        if reading is not None and match is not None and len(match["frac"] or "") <= 2:
            others.append((other, reading))
    if fraction and len(fraction) == 3 and others:
        other, reading = others[0]
        return _(
            "“%(value)s” is ambiguous: in the format %(chosen)s it would be %(small)s, but "
            "an amount has at most two decimals, and in the format %(other)s it is "
            "%(reading)s. Choose the number format your file uses and upload it again."
        ) % {
            "value": text,
            "chosen": chosen,
            "small": _number_in(body, number_format),
            "other": _format_label(NumberFormat, other),
            "reading": str(reading),
        }
    if fraction:
        return _("“%(value)s” has more than two decimals.") % {"value": text}
    if others:
        other, reading = others[0]
        return _(
            "“%(value)s” is not a number in the format %(chosen)s; in the format %(other)s "
            "it is %(reading)s. Choose the number format your file uses and upload it again."
        ) % {
            "value": text,
            "chosen": chosen,
            "other": _format_label(NumberFormat, other),
            "reading": str(reading),
        }
    return _("“%(value)s” is not a number in the format %(chosen)s.") % {
        "value": text,
        "chosen": chosen,
    }


# A date, then perhaps a time of day (what a spreadsheet adds when it writes a date out).
_DATE_AND_TIME = re.compile(r"^(\S+)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_PATTERNS: dict[str, re.Pattern[str]] = {
    DateFormat.YMD: re.compile(r"^(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})$"),
    DateFormat.DMY: re.compile(r"^(?P<d>\d{1,2})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4})$"),
    DateFormat.MDY: re.compile(r"^(?P<m>\d{1,2})(?P<s>[-/.])(?P<d>\d{1,2})(?P=s)(?P<y>\d{4})$"),
}


def _date_in(text: str, date_format: str) -> datetime.date | None:
    whole = _DATE_AND_TIME.match(text)
    match = _DATE_PATTERNS[date_format].match(whole[1]) if whole else None
    if not match:
        return None
    try:
        return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def parse_date(value, date_format: str) -> datetime.date:
    """A date written as text in the format (or a date cell); ValueRefused otherwise."""
    if isinstance(value, datetime.datetime):
        date = value.date()
    elif isinstance(value, datetime.date):
        date = value
    elif isinstance(value, int | float | Decimal):
        raise ValueRefused(
            _(
                "%(value)s is a number, not a date: format the cell as a date, or write the date as text."
            )
            % {"value": value}
        )
    else:
        text = str(value).strip()
        in_format = _date_in(text, date_format)
        if in_format is None:
            chosen = _format_label(DateFormat, date_format)
            readings = [
                (other, reading)
                for other in DateFormat.values
                if other != date_format and (reading := _date_in(text, other))
            ]
            if readings:
                other, reading = readings[0]
                raise ValueRefused(
                    _(
                        "“%(value)s” is not a date in the format %(chosen)s; in the format "
                        "%(other)s it is %(reading)s. Choose the date format your file uses "
                        "and upload it again."
                    )
                    % {
                        "value": text,
                        "chosen": chosen,
                        "other": _format_label(DateFormat, other),
                        "reading": reading.isoformat(),
                    }
                )
            raise ValueRefused(
                _("“%(value)s” is not a date in the format %(chosen)s.")
                % {"value": text, "chosen": chosen}
            )
        date = in_format
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueRefused(_("The date %(value)s is out of range.") % {"value": date.isoformat()})
    return date


# --- Reading the file -----------------------------------------------------------------------


@dataclass
class Table:
    kind: str
    rows: list[tuple[int, dict]]
    not_placed: list[tuple[int, str]] = field(default_factory=list)


def read_table(name: str, content: bytes) -> Table:
    """The rows of a file as (line, {column: value}); values are text, or numbers and dates
    where a workbook's cells hold them. The header may sit below a title block."""
    from . import iati

    lowered = name.lower()
    is_zip = content[:4] == b"PK\x03\x04"
    if lowered.endswith(".xlsx") or is_zip:
        if not is_zip:
            raise FileUnreadable(_("The file is named .xlsx but is not an Excel workbook."))
        return Table(ImportFileKind.XLSX, list(_read_xlsx(content)))
    if lowered.endswith(".xml") or iati.looks_like_xml(content):
        rows, not_placed = iati.read_activities(content)
        return Table(ImportFileKind.IATI, rows, not_placed)
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        return Table(ImportFileKind.CSV, list(_read_csv(content)))
    raise FileUnreadable(_("Upload a .csv, .xlsx or IATI .xml file."))


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # What Excel on Windows writes when it saves "CSV" without UTF-8.
        return content.decode("cp1252", errors="replace")


def _header_in(cells: list) -> list[str] | None:
    header = [_normalise_header(cell) for cell in cells]
    return header if all(name in header for name in REQUIRED) else None


class _HeaderSearch:
    """Finds the header among the first lines; remembers the closest line for the error."""

    def __init__(self) -> None:
        self.best: tuple[int, int, list[str]] = (0, 0, [])

    def look(self, line: int, cells: list) -> list[str] | None:
        header = _header_in(cells)
        if header is None:
            names = [_normalise_header(cell) for cell in cells]
            known = sum(name in COLUMN_NAMES for name in names)
            if known > self.best[0]:
                self.best = (known, line, names)
        return header

    def fail(self) -> FileUnreadable:
        known, line, names = self.best
        if known >= 3:
            missing = [name for name in REQUIRED if name not in names]
            return FileUnreadable(
                _("Line %(line)s (the header) lacks the column(s): %(columns)s.")
                % {"line": line, "columns": ", ".join(missing)},
                line,
            )
        return FileUnreadable(
            _(
                "No header found in the first %(count)s lines: one line must name the columns "
                "(%(columns)s)."
            )
            % {"count": HEADER_SEARCH_LINES, "columns": ", ".join(REQUIRED)}
        )


def _delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:HEADER_SEARCH_LINES] if line.strip()]
    return max(
        [",", ";", "\t"], key=lambda mark: max((line.count(mark) for line in lines), default=0)
    )


def _read_csv(content: bytes) -> Iterator[tuple[int, dict]]:
    text = _decode(content)
    if not text.strip():
        raise FileUnreadable(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    search = _HeaderSearch()
    for cells in reader:
        if header is None:
            if reader.line_num > HEADER_SEARCH_LINES:
                raise search.fail()
            header = search.look(reader.line_num, cells)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        yield (
            reader.line_num,
            {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)},
        )
    if header is None:
        raise search.fail()


_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_ranges(workbook, sheet) -> list[tuple[str, int, int]]:
    """(range, first row, last row) of every merged range of the sheet (read-only mode does
    not give them)."""
    with workbook._archive.open(sheet._worksheet_path) as source:
        xml = source.read()
    ranges = []
    for match in _MERGE.finditer(xml):
        first = int(match[2])
        last = int(match[4] or match[2])
        label = match[1].decode() + match[2].decode()
        if match[3]:
            label += f":{match[3].decode()}{match[4].decode()}"
        ranges.append((label, first, last))
    return ranges


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


class UnsavedFormula(str):
    """A formula cell whose result was never saved in the file (written by a program that
    does not compute, e.g. a script): its value is unknown, so the row cannot be read."""


def _unsaved_formulas(workbook, sheet) -> dict[tuple[int, int], str]:
    """(line, column number) → formula of every formula cell saved without its value."""
    from openpyxl.utils import column_index_from_string

    with workbook._archive.open(sheet._worksheet_path) as source:
        xml = source.read()
    if b"<f" not in xml:
        return {}
    found = {}
    for match in _CELL.finditer(xml):
        body = match[4] or b""
        # A text result may be empty (t="str" with an empty <v>): that is a saved value.
        saved_text = b't="str"' in match[3] and b"<v" in body
        if b"<f" in body and not saved_text and not re.search(rb"<v>[^<]", body):
            formula = re.search(rb"<f[^>]*>([^<]*)</f>", body)
            found[(int(match[2]), column_index_from_string(match[1].decode()))] = (
                "=" + formula[1].decode() if formula else ""
            )
    return found


def _cell(value):
    if isinstance(value, str):
        return value.strip()
    return "" if value is None else value


def _read_xlsx(content: bytes) -> Iterator[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise FileUnreadable(
            _("The workbook cannot be opened: %(error)s") % {"error": error}
        ) from error
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        search = _HeaderSearch()
        unsaved: dict[tuple[int, int], str] = {}
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header is None:
                if line > HEADER_SEARCH_LINES:
                    raise search.fail()
                header = search.look(line, list(values))
                if header is not None:
                    _refuse_merged_cells(workbook, sheet, line)
                    unsaved = _unsaved_formulas(workbook, sheet)
                continue
            cells = [_cell(value) for value in values]
            for (formula_line, column), formula in unsaved.items():
                if formula_line == line and column <= len(cells):
                    cells[column - 1] = UnsavedFormula(formula)
            if not any(cell != "" for cell in cells):
                continue
            yield (
                line,
                {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)},
            )
        if header is None:
            raise search.fail()
    finally:
        workbook.close()


def _refuse_merged_cells(workbook, sheet, header_line: int) -> None:
    # A merged title above the header is harmless; a merged cell in the table hides values.
    merged = [
        (label, max(first, header_line))
        for label, first, last in _merged_ranges(workbook, sheet)
        if last >= header_line
    ]
    if merged:
        raise FileUnreadable(
            _(
                "The sheet has merged cells in its table: %(cells)s. A merged cell keeps its "
                "value in its first cell only; unmerge them and fill every cell."
            )
            % {"cells": ", ".join(label for label, _line in merged[:20])},
            min(line for _label, line in merged),
        )


# --- Checking rows --------------------------------------------------------------------------


def _name_of(names: dict[int, str], pk: int | None) -> str:
    return names.get(pk, "") if pk is not None else ""


class Lookups:
    """Everything a row is checked against, loaded once for the whole file."""

    def __init__(self) -> None:
        self.organisations: dict[str, Organisation | None] = {}
        self.organisation_names: dict[int, str] = {}
        self.iati_organisations: dict[str, Organisation] = {}
        acronyms: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.only("pk", "name", "acronym", "iati_identifier"):
            self.organisations[name_key(organisation.name)] = organisation
            self.organisation_names[organisation.pk] = organisation.name
            if organisation.acronym:
                acronyms.setdefault(name_key(organisation.acronym), []).append(organisation)
            if organisation.iati_identifier:
                self.iati_organisations[organisation.iati_identifier.strip().upper()] = organisation
        for acronym, matches in acronyms.items():
            # An acronym shared by two organisations names neither.
            self.organisations.setdefault(acronym, matches[0] if len(matches) == 1 else None)
        self.countries: dict[str, Country] = {}
        self.country_names: dict[int, str] = {}
        for country in Country.objects.only("pk", "iso_code", "name"):
            self.countries[name_key(country.iso_code)] = country
            self.countries[name_key(country.name)] = country
            self.country_names[country.pk] = country.name
        # A group is named by its English name or by its name in the reader's language.
        self.action_groups: dict[str, ActionGroup] = {}
        self.group_names: dict[int, str] = {}
        for group in ActionGroup.objects.only("pk", "name"):
            # The English column modeltranslation adds (alliance87.translated).
            english = getattr(group, "name_en", None) or group.name
            self.action_groups.setdefault(name_key(english), group)
            self.action_groups.setdefault(name_key(group.name), group)
            self.group_names[group.pk] = group.name
        self.functions: dict[str, SecretariatFunction] = {}
        self.function_names: dict[int, str] = {}
        for function in SecretariatFunction.objects.only("pk", "code", "name"):
            self.functions[name_key(function.code)] = function
            self.functions[name_key(function.name)] = function
            self.function_names[function.pk] = function.name
        self.rates = RateTable.load()
        self.rate_years = set(ExchangeRate.objects.values_list("currency", "year"))
        self.themes = {value: value for value in Theme.values} | {
            name_key(str(label)): value for value, label in Theme.choices
        }
        self.statuses = {value: value for value in FlowStatus.values} | {
            name_key(str(label)): value for value, label in FlowStatus.choices
        }
        self.recipient_kinds = {value: value for value in RecipientKind.values} | {
            "action group": RecipientKind.ACTION_GROUP,
            "country programme": RecipientKind.COUNTRY,
        }

    def recipient_label(self, flow: FundingFlow) -> str:
        if flow.recipient_kind == RecipientKind.COUNTRY:
            return _name_of(self.country_names, flow.country_id)
        if flow.recipient_kind == RecipientKind.ACTION_GROUP:
            return _name_of(self.group_names, flow.action_group_id)
        label = str(RecipientKind.SECRETARIAT.label)
        if flow.secretariat_function_id:
            label += f" ({self.function_names.get(flow.secretariat_function_id, '')})"
        return label


class _RowChecker:
    def __init__(
        self, line: int, row: dict, lookups: Lookups, number_format: str, date_format: str
    ) -> None:
        self.line, self.row, self.lookups = line, row, lookups
        self.number_format, self.date_format = number_format, date_format
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def value(self, column: str):
        value = self.row.get(column, "")
        if isinstance(value, UnsavedFormula):
            return ""
        return value.strip() if isinstance(value, str) else value

    def unsaved_formulas(self) -> None:
        """A formula saved without its result is named, not taken for an empty cell."""
        for column, value in self.row.items():
            if isinstance(value, UnsavedFormula):
                self.error(
                    column,
                    _(
                        "The cell holds a formula (%(formula)s) saved without its result. Open "
                        "the file in Excel or LibreOffice, save it there, and import it again."
                    )
                    % {"formula": str(value) or "?"},
                )

    def text(self, column: str) -> str:
        value = self.value(column)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        return str(value)

    def required(self, column: str) -> str | None:
        value = self.text(column)
        if not value:
            self.missing(column)
            return None
        return value

    def missing(self, column: str) -> None:
        if not isinstance(self.row.get(column), UnsavedFormula):  # named already
            self.error(column, _("This column is required."))

    def source(self) -> Organisation | None:
        return self.organisation("source", required=True)

    def receiver(self) -> Organisation | None:
        return self.organisation("receiver", required=False)

    def organisation(self, column: str, *, required: bool) -> Organisation | None:
        """The organisation a column names: by its IATI identifier (the column's
        `_iati_identifier` companion, from IATI files), else by name or acronym."""
        iati_ref = self.text(f"{column}_iati_identifier").upper()
        if iati_ref and iati_ref in self.lookups.iati_organisations:
            return self.lookups.iati_organisations[iati_ref]
        value = self.required(column) if required else self.text(column)
        if not value:
            return None
        key = name_key(value)
        if key in self.lookups.organisations and self.lookups.organisations[key] is None:
            self.error(
                column,
                _("“%(value)s” is the acronym of several organisations; use the full name.")
                % {"value": value},
            )
            return None
        organisation = self.lookups.organisations.get(key)
        if organisation is None:
            self.error(
                column,
                _(
                    "Unknown organisation “%(value)s”; add it in the admin first or correct its name."
                )
                % {"value": value},
            )
        return organisation

    def recipient(
        self,
    ) -> tuple[str | None, Country | None, ActionGroup | None, SecretariatFunction | None]:
        value = self.required("recipient_type")
        kind = self.lookups.recipient_kinds.get(name_key(value)) if value else None
        if value and kind is None:
            self.error(
                "recipient_type",
                _("Unknown recipient type “%(value)s”; use country, action_group or secretariat.")
                % {"value": value},
            )
        country = group = function = None
        country_text, group_text, function_text = (
            self.text("country"),
            self.text("action_group"),
            self.text("secretariat_function"),
        )
        if kind == RecipientKind.COUNTRY:
            if not country_text:
                self.error("country", _("A country programme needs its country."))
            else:
                country = self.lookups.countries.get(name_key(country_text))
                if country is None:
                    self.error(
                        "country",
                        _("Unknown country “%(value)s”; use its ISO code, e.g. FJ.")
                        % {"value": country_text},
                    )
        elif country_text and kind:
            self.error(
                "country", _("Leave the country empty unless the recipient type is country.")
            )
        if kind == RecipientKind.ACTION_GROUP:
            if not group_text:
                self.error(
                    "action_group", _("A global programme needs the name of its action group.")
                )
            else:
                group = self.lookups.action_groups.get(name_key(group_text))
                if group is None:
                    self.error(
                        "action_group",
                        _("Unknown action group “%(value)s”.") % {"value": group_text},
                    )
        elif group_text and kind:
            self.error(
                "action_group",
                _("Leave the action group empty unless the recipient type is action_group."),
            )
        if function_text:
            if kind != RecipientKind.SECRETARIAT:
                self.error(
                    "secretariat_function", _("Only funding to the Secretariat names a function.")
                )
            else:
                function = self.lookups.functions.get(name_key(function_text))
                if function is None:
                    self.error(
                        "secretariat_function",
                        _("Unknown Secretariat function “%(value)s”.") % {"value": function_text},
                    )
        return kind, country, group, function

    def theme(self) -> str | None:
        value = self.text("theme")
        if not value:
            return ""
        key = name_key(value)
        theme = self.lookups.themes.get(key.replace(" ", "_")) or self.lookups.themes.get(key)
        if theme is None:
            self.error(
                "theme",
                _(
                    "Unknown theme “%(value)s”; use child_labour, forced_labour, modern_slavery, "
                    "human_trafficking or leave it empty."
                )
                % {"value": value},
            )
        return theme

    def currency(self) -> str | None:
        value = self.required("currency")
        if value is None:
            return None
        code = value.upper()
        if code not in ISO_4217_CODES:
            self.error(
                "currency", _("“%(value)s” is not an ISO 4217 currency code.") % {"value": value}
            )
            return None
        if not self.lookups.rates.knows(code):
            self.error(
                "currency",
                _("No exchange rate is recorded for %(code)s; add one in the admin first.")
                % {"code": code},
            )
            return None
        return code

    def amount(self) -> Decimal | None:
        value = self.value("amount")
        if value == "":
            self.missing("amount")
            return None
        try:
            return parse_amount(value, self.number_format)
        except (ValueRefused, InvalidOperation) as refusal:
            self.error("amount", refusal.args[0])
            return None

    def decision_date(self) -> datetime.date | None:
        value = self.value("decision_date")
        if value == "":
            self.missing("decision_date")
            return None
        try:
            return parse_date(value, self.date_format)
        except ValueRefused as refusal:
            self.error("decision_date", refusal.args[0])
            return None

    def year(self, column: str, default: int | None = None) -> int | None:
        value = self.text(column)
        if not value:
            if default is None:
                self.missing(column)
            return default
        try:
            year = int(value)
        except ValueError:
            self.error(column, _("“%(value)s” is not a year.") % {"value": value})
            return None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            self.error(
                column,
                _("%(value)s is not a year between %(first)s and %(last)s.")
                % {"value": value, "first": FIRST_YEAR, "last": LAST_YEAR},
            )
            return None
        return year

    def status(self) -> str | None:
        value = self.required("status")
        if value is None:
            return None
        status = self.lookups.statuses.get(name_key(value))
        if status is None:
            self.error(
                "status",
                _("Unknown status “%(value)s”; use pledged, committed or paid.") % {"value": value},
            )
        return status

    def limited_text(self, column: str, limit: int) -> str:
        value = self.text(column)
        if len(value) > limit:
            self.error(column, _("At most %(limit)s characters.") % {"limit": limit})
        return value[:limit]

    def check(self) -> FundingFlow | None:
        self.unsaved_formulas()
        source = self.source()
        receiver = self.receiver()
        kind, country, group, function = self.recipient()
        theme = self.theme()
        amount = self.amount()
        currency = self.currency()
        decision_date = self.decision_date()
        year_start = self.year("year_from")
        year_end = self.year("year_to", default=year_start or 0) or None
        status = self.status()
        reference = self.limited_text("reference", 100)
        description = self.limited_text("description", 300)
        if year_start and year_end and year_end < year_start:
            self.error("year_to", _("The last year covered comes before the first."))
        if amount is not None and currency is not None and decision_date is not None:
            usd = self.lookups.rates.to_usd(amount, currency, decision_date.year)
            if usd is not None and usd > MAX_FLOW_USD:
                self.error(
                    "amount",
                    _(
                        "%(amount)s %(currency)s (about %(usd)s USD) is implausibly large for one flow; check the figure."
                    )
                    % {"amount": amount, "currency": currency, "usd": f"{usd:,.0f}"},
                )
        if self.errors:
            return None
        # A value is None only when its column was refused, and a refusal stopped above.
        assert (
            source is not None
            and kind is not None
            and theme is not None
            and amount is not None
            and currency is not None
            and decision_date is not None
            and year_start is not None
            and year_end is not None
            and status is not None
        )
        # Ids rather than instances: building 10,000 flows through the related descriptors
        # costs more than checking them.
        flow = FundingFlow(
            source_id=source.pk,
            receiver_id=receiver.pk if receiver else None,
            recipient_kind=kind,
            country_id=country.pk if country else None,
            action_group_id=group.pk if group else None,
            secretariat_function_id=function.pk if function else None,
            theme=theme,
            amount=amount,
            currency=currency,
            decision_date=decision_date,
            year_start=year_start,
            year_end=year_end,
            status=status,
            reference=reference,
            description=description,
        )
        flow.fingerprint = flow.compute_fingerprint()
        flow.identity_key = self.text("identity") or flow_identity(
            source_id=source.pk, reference=reference
        )
        return flow


# --- Planning: what each row does to the recorded flows -------------------------------------

# The columns an import may change on a recorded flow (the identity stays).
UPDATABLE = [
    "receiver_id",
    "recipient_kind",
    "country_id",
    "action_group_id",
    "secretariat_function_id",
    "theme",
    "amount",
    "currency",
    "decision_date",
    "year_start",
    "year_end",
    "status",
    "reference",
    "description",
]


def _chunks(values: list, size: int = 900) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _recorded(candidates: list[FundingFlow]) -> tuple[dict, dict]:
    keys = [flow.identity_key for flow in candidates if flow.identity_key]
    fingerprints = [flow.fingerprint for flow in candidates if not flow.identity_key]
    by_identity: dict[str, FundingFlow] = {}
    by_fingerprint: dict[str, FundingFlow] = {}
    for chunk in _chunks(keys):
        by_identity.update(
            (flow.identity_key, flow) for flow in FundingFlow.objects.filter(identity_key__in=chunk)
        )
    for chunk in _chunks(fingerprints):
        by_fingerprint.update(
            (flow.fingerprint, flow) for flow in FundingFlow.objects.filter(fingerprint__in=chunk)
        )
    return by_identity, by_fingerprint


def json_value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(old) == Decimal(new)
    if isinstance(old, str) or isinstance(new, str):
        return (old or "") == (new or "")  # an empty text and NULL are the same
    return old == new


def plan_update(recorded: FundingFlow, incoming: FundingFlow, line: int) -> RowPlan:
    """The recorded flow with the row's values set on it, and what changed."""
    changes, before = [], {}
    for attname in UPDATABLE:
        old, new = getattr(recorded, attname), getattr(incoming, attname)
        if _same(old, new):
            continue
        before[attname] = json_value(old)
        changes.append((attname, old, new))
        setattr(recorded, attname, new)
    if not changes:
        return RowPlan(line, Action.UNCHANGED, recorded)
    recorded.fingerprint = recorded.compute_fingerprint()
    return RowPlan(line, Action.UPDATED, recorded, changes=changes, before=before)


PROGRESS_EVERY = 500


def check_file(
    name: str,
    content: bytes,
    *,
    number_format: str = NumberFormat.DOT,
    date_format: str = DateFormat.YMD,
    progress: Callable[[int, int], None] | None = None,
) -> CheckedFile:
    """Check every row and plan what it does; nothing is written.

    progress(rows checked, rows in the file) is called every few hundred rows.
    """
    result = CheckedFile()
    try:
        table = read_table(name, content)
    except FileUnreadable as error:
        result.errors.append(RowError(error.line, "", error.message))
        return result
    result.file_kind = table.kind
    rows = table.rows
    result.row_count = len(rows) + len(table.not_placed)
    if not rows and not table.not_placed:
        result.errors.append(RowError(2, "", _("The file has a header but no rows.")))
        return result
    if len(rows) > MAX_ROWS:
        result.errors.append(
            RowError(
                rows[MAX_ROWS][0],
                "",
                _("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS},
            )
        )
        return result
    if progress:
        progress(0, len(rows))
    lookups = result.lookups = Lookups()
    # IATI values are xsd:decimal and xsd:date whatever the form says.
    if table.kind == ImportFileKind.IATI:
        number_format, date_format = NumberFormat.DOT, DateFormat.YMD
    candidates: list[tuple[int, FundingFlow]] = []
    seen: dict[str, int] = {}
    for index, (line, row) in enumerate(rows, start=1):
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
        checker = _RowChecker(line, row, lookups, number_format, date_format)
        flow = checker.check()
        if flow is None:
            if table.kind == ImportFileKind.IATI and _placement_only(checker.errors):
                result.plans.append(
                    RowPlan(line, Action.NOT_PLACED, reason=_placement_reason(row, checker))
                )
            else:
                result.errors.extend(checker.errors)
            continue
        key = flow.identity_key or flow.fingerprint
        if key in seen:
            result.errors.append(
                RowError(
                    line, "", _("Duplicate of line %(line)s in this file.") % {"line": seen[key]}
                )
            )
            continue
        seen[key] = line
        candidates.append((line, flow))
    by_identity, by_fingerprint = _recorded([flow for _line, flow in candidates])
    for line, flow in candidates:
        recorded = (
            by_identity.get(flow.identity_key)
            if flow.identity_key
            else by_fingerprint.get(flow.fingerprint)
        )
        if recorded is None:
            result.plans.append(RowPlan(line, Action.ADDED, flow))
        else:
            result.plans.append(plan_update(recorded, flow, line))
    result.plans.extend(
        RowPlan(line, Action.NOT_PLACED, reason=reason) for line, reason in table.not_placed
    )
    result.plans.sort(key=lambda plan: plan.line)
    result.errors.sort(key=lambda error: error.line)
    if progress:
        progress(len(rows), len(rows))
    return result


def _placement_only(errors: list[RowError]) -> bool:
    return bool(errors) and all(
        error.column in ("source", "receiver", "country") for error in errors
    )


def _placement_reason(row: dict, checker: _RowChecker) -> str:
    """Why an IATI transaction has no place among the portal's flows."""
    reasons: list[Text | str] = []
    for error in checker.errors:
        if error.column == "source":
            reasons.append(
                _(
                    "The provider “%(name)s” (%(ref)s) is not recorded in the portal: record the organisation with its IATI identifier."
                )
                % {"name": row.get("source", ""), "ref": row.get("source_iati_identifier") or "—"}
            )
        elif error.column == "receiver":
            reasons.append(
                _(
                    "The receiver “%(name)s” (%(ref)s) is not recorded in the portal: record the organisation with its IATI identifier."
                )
                % {
                    "name": row.get("receiver", ""),
                    "ref": row.get("receiver_iati_identifier") or "—",
                }
            )
        else:
            reasons.append(
                _("%(code)s is not a Pathfinder country recorded in the portal.")
                % {"code": row.get("country", "")}
            )
    return Text.join_sentences(reasons)


# --- What the summary shows -----------------------------------------------------------------


def _display(attname: str, value, lookups: Lookups) -> str:
    """A changed value as kept in the import's summary: names for the linked records (the
    same in every language), the stored value for the rest, shown by change_text."""
    if value is None or value == "":
        return ""
    if attname == "receiver_id":
        return lookups.organisation_names.get(value, str(value))
    if attname == "country_id":
        return lookups.country_names.get(value, str(value))
    if attname == "action_group_id":
        return lookups.group_names.get(value, str(value))
    if attname == "secretariat_function_id":
        return lookups.function_names.get(value, str(value))
    return json_value(value) or ""


_CHOICES_OF = {"status": FlowStatus, "recipient_kind": RecipientKind, "theme": Theme}


def change_text(attname: str, value: str) -> str:
    """A changed value as the reader reads it: choices in their language, amounts with the
    reader's separators; "—" for none."""
    if value in (None, ""):
        return "—"
    if attname in _CHOICES_OF:
        labels = dict(_CHOICES_OF[attname].choices)
        return str(labels.get(value, value))
    if attname == "amount":
        try:
            return number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
        except (ArithmeticError, ValueError):
            return str(value)
    return str(value)


def flow_field_label(attname: str) -> str:
    """The name of the flow's field whose column is `attname`."""
    field_ = FundingFlow._meta.get_field(attname.removesuffix("_id"))
    assert isinstance(field_, Field)  # the names given are the flow's own fields
    return str(field_.verbose_name)


def summary_row(plan: RowPlan, lookups: Lookups) -> dict:
    """One row of the summary (kept with the import, shown on its page and by the command)."""
    if plan.action == Action.NOT_PLACED:
        return {"line": plan.line, "action": plan.action, "reason": as_json(plan.reason)}
    flow = plan.flow
    assert flow is not None  # a plan that places its row holds the flow
    usd = lookups.rates.to_usd(flow.amount, flow.currency, flow.decision_date.year)
    year = flow.decision_date.year
    return {
        "line": plan.line,
        "action": plan.action,
        "flow": flow.pk,
        "source": lookups.organisation_names.get(flow.source_id, ""),
        "receiver": lookups.organisation_names.get(flow.receiver_id, "")
        if flow.receiver_id
        else "",
        "recipient": lookups.recipient_label(flow),
        "reference": flow.reference,
        "status": flow.status,
        "amount": json_value(flow.amount),
        "currency": flow.currency,
        "usd": json_value(usd),
        # Converted with another year's rate: the year has none of its own.
        "rate_fallback": flow.currency != "USD" and (flow.currency, year) not in lookups.rate_years,
        "date": flow.decision_date.isoformat(),
        "years": [flow.year_start, flow.year_end],
        "changes": [
            [attname, _display(attname, old, lookups), _display(attname, new, lookups)]
            for attname, old, new in plan.changes
        ],
        "before": plan.before,
        # What an undo checks is still there (a row that changed nothing needs none).
        "after": {attname: json_value(getattr(flow, attname)) for attname in UPDATABLE}
        if plan.action != Action.UNCHANGED
        else {},
    }


def plan_digest(rows: list[dict]) -> str:
    """What the preview promised; the import checks it still holds before writing."""
    stable = [
        {k: v for k, v in row.items() if k != "flow" or row["action"] != Action.ADDED}
        for row in rows
    ]
    return hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()


def template_download() -> exports.Download:
    """The header and one example row, for people to fill in and import (no title above)."""
    return exports.Download(
        title=_("Funding flows"),
        tables=[
            exports.Table(
                "flows", COLUMN_NAMES, [[column.example for column in COLUMNS]], sheet_name="flows"
            )
        ],
        file_stem="funding-flows-template",
        preamble=False,
    )


def template_csv() -> str:
    return exports.csv_text(template_download())


def summary_lines(job) -> list[str]:
    """The import's summary as lines of text (the import_flows command prints them; the
    page shows the same in its tables)."""
    labels = {name: flow_field_label(name) for name in UPDATABLE}
    # A preview (nothing written yet) speaks of what the import will do, as its page does.
    previewed = job.status == job.Status.PREVIEWED
    outcome = {
        Action.ADDED: pgettext("import row", "to add") if previewed else _("added"),
        Action.UPDATED: pgettext("import row", "to update")
        if previewed
        else pgettext("import row", "updated"),
        Action.UNCHANGED: _("unchanged"),
        Action.NOT_PLACED: _("not placed"),
    }
    counts = (
        _(
            "Rows read: %(rows)s; flows to add: %(added)s, to update: %(updated)s, unchanged: %(unchanged)s, not placed: %(not_placed)s; errors: %(errors)s."
        )
        if previewed
        else _(
            "Rows read: %(rows)s; flows added: %(added)s, updated: %(updated)s, unchanged: %(unchanged)s, not placed: %(not_placed)s; errors: %(errors)s."
        )
    )
    lines: list[str] = [
        counts
        % {
            "rows": job.row_count,
            "added": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.skipped_count,
            "not_placed": job.not_placed_count,
            "errors": job.error_count,
        }
    ]
    for line, column, message in job.errors:
        lines.append(
            _("Line %(line)s, column %(column)s: %(message)s")
            % {"line": line, "column": column or "—", "message": Text.from_json(message)}
        )
    for row in job.rows:
        if row["action"] == Action.NOT_PLACED:
            text = Text.from_json(row["reason"])
        else:
            text = _(
                "%(source)s → %(recipient)s, %(reference)s: %(amount)s %(currency)s (%(usd)s USD), %(status)s"
            ) % {
                "source": row["source"],
                "recipient": row["recipient"],
                "reference": row["reference"] or "—",
                "amount": row["amount"],
                "currency": row["currency"],
                "usd": row["usd"] or "—",
                "status": FlowStatus(row["status"]).label,
            }
            for name, old, new in row["changes"]:
                text += f"; {labels[name]}: {change_text(name, old)} → {change_text(name, new)}"
        lines.append(
            _("Line %(line)s: %(outcome)s. %(text)s")
            % {"line": row["line"], "outcome": outcome[row["action"]], "text": text}
        )
    return lines
