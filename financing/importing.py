"""Reading and checking a CSV or XLSX file of funding flows, before anything is written.

Every row is checked against lookups loaded once (organisations, countries, action groups,
Secretariat functions, exchange rates, the flows already recorded), so a file of 10,000
rows needs a handful of queries whatever its size.
"""

import csv
import datetime
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance87 import exports
from alliance87.choices import Theme
from governance.models import ActionGroup, Organisation
from pathfinders.models import Country

from .currencies import ISO_4217_CODES
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_FLOW_USD,
    FlowStatus,
    FundingFlow,
    RecipientKind,
    SecretariatFunction,
)
from .rates import RateTable

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
            "In the original currency, more than zero, a dot before the decimals, no thousands separator."
        ),
        "250000.00",
    ),
    Column("currency", True, gettext_lazy("ISO 4217 code, e.g. USD, EUR, GBP, CHF, AUD."), "GBP"),
    Column(
        "decision_date",
        True,
        gettext_lazy("The date of the pledge or decision, as YYYY-MM-DD."),
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
        gettext_lazy("The donor's own reference; tells apart two otherwise identical flows."),
        "GB-2024-017",
    ),
    Column(
        "description",
        False,
        gettext_lazy("Free text, up to 300 characters."),
        "Child labour monitoring",
    ),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED = [column.name for column in COLUMNS if column.required]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class CheckedFile:
    """The outcome of checking a file: flows ready to write, or the errors that stop it."""

    row_count: int = 0
    flows: list[FundingFlow] = field(default_factory=list)
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class FileUnreadable(Exception):
    """The file is not a CSV or XLSX file we can read; nothing in it was checked."""


def file_checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _normalise_header(value) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel keeps numbers as doubles; the shortest repr is the figure that was typed.
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    return str(value).strip()


def read_rows(name: str, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for every non-empty row; the header is line 1."""
    lowered = name.lower()
    is_zip = content[:4] == b"PK\x03\x04"
    if lowered.endswith(".xlsx") or is_zip:
        if not is_zip:
            raise FileUnreadable(_("The file is named .xlsx but is not an Excel workbook."))
        yield from _read_xlsx(content)
    elif lowered.endswith(".csv") or lowered.endswith(".txt"):
        yield from _read_csv(content)
    else:
        raise FileUnreadable(_("Upload a .csv or .xlsx file."))


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # What Excel on Windows writes when it saves "CSV" without UTF-8.
        return content.decode("cp1252", errors="replace")


def _read_csv(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    for cells in reader:
        if header is None:
            header = [_normalise_header(cell) for cell in cells]
            _check_header(header)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        yield (
            reader.line_num,
            {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)},
        )
    if header is None:
        raise FileUnreadable(_("The file is empty."))


def _read_xlsx(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileUnreadable(
            _("The workbook cannot be opened: %(error)s") % {"error": error}
        ) from error
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header is None:
                header = [_normalise_header(value) for value in values]
                _check_header(header)
                continue
            cells = [_cell_text(value) for value in values]
            if not any(cells):
                continue
            yield (
                line,
                {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)},
            )
        if header is None:
            raise FileUnreadable(_("The workbook's first sheet is empty."))
    finally:
        workbook.close()


def _check_header(header: list[str]) -> None:
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise FileUnreadable(
            _(
                "Line 1 (the header) lacks the column(s): %(columns)s. The first line must name the columns."
            )
            % {"columns": ", ".join(missing)}
        )


class Lookups:
    """Everything a row is checked against, loaded once for the whole file."""

    def __init__(self) -> None:
        self.organisations: dict[str, Organisation | None] = {}
        acronyms: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.only("pk", "name", "acronym"):
            self.organisations[organisation.name.casefold()] = organisation
            if organisation.acronym:
                acronyms.setdefault(organisation.acronym.casefold(), []).append(organisation)
        for acronym, matches in acronyms.items():
            # An acronym shared by two organisations names neither.
            self.organisations.setdefault(acronym, matches[0] if len(matches) == 1 else None)
        self.countries: dict[str, Country] = {}
        for country in Country.objects.only("pk", "iso_code", "name"):
            self.countries[country.iso_code.casefold()] = country
            self.countries[country.name.casefold()] = country
        self.action_groups = {
            group.name.casefold(): group for group in ActionGroup.objects.only("pk", "name")
        }
        self.functions: dict[str, SecretariatFunction] = {}
        for function in SecretariatFunction.objects.only("pk", "code", "name"):
            self.functions[function.code.casefold()] = function
            self.functions[function.name.casefold()] = function
        self.rates = RateTable.load()
        self.themes = {value: value for value in Theme.values} | {
            str(label).casefold(): value for value, label in Theme.choices
        }
        self.statuses = {value: value for value in FlowStatus.values}
        self.recipient_kinds = {value: value for value in RecipientKind.values} | {
            "action group": RecipientKind.ACTION_GROUP,
            "country programme": RecipientKind.COUNTRY,
        }


class _RowChecker:
    def __init__(self, line: int, row: dict[str, str], lookups: Lookups) -> None:
        self.line, self.row, self.lookups = line, row, lookups
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def text(self, column: str) -> str:
        return self.row.get(column, "").strip()

    def required(self, column: str) -> str | None:
        value = self.text(column)
        if not value:
            self.error(column, _("This column is required."))
            return None
        return value

    def source(self) -> Organisation | None:
        value = self.required("source")
        if value is None:
            return None
        key = value.casefold()
        if key in self.lookups.organisations and self.lookups.organisations[key] is None:
            self.error(
                "source",
                _("“%(value)s” is the acronym of several organisations; use the full name.")
                % {"value": value},
            )
            return None
        organisation = self.lookups.organisations.get(key)
        if organisation is None:
            self.error(
                "source",
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
        kind = self.lookups.recipient_kinds.get(value.casefold()) if value else None
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
                country = self.lookups.countries.get(country_text.casefold())
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
                group = self.lookups.action_groups.get(group_text.casefold())
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
                function = self.lookups.functions.get(function_text.casefold())
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
        theme = self.lookups.themes.get(
            value.casefold().replace(" ", "_")
        ) or self.lookups.themes.get(value.casefold())
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
        value = self.required("amount")
        if value is None:
            return None
        cleaned = (
            value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("_", "")
        )
        if "," in cleaned:
            self.error(
                "amount",
                _("“%(value)s”: use a dot before the decimals and no thousands separator.")
                % {"value": value},
            )
            return None
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            self.error("amount", _("“%(value)s” is not a number.") % {"value": value})
            return None
        if not amount.is_finite():
            self.error("amount", _("“%(value)s” is not a number.") % {"value": value})
            return None
        if amount <= 0:
            self.error(
                "amount",
                _("The amount must be more than zero (it is %(value)s).") % {"value": value},
            )
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.error("amount", _("“%(value)s” has more than two decimals.") % {"value": value})
            return None
        return amount

    def decision_date(self) -> datetime.date | None:
        value = self.required("decision_date")
        if value is None:
            return None
        try:
            date = datetime.date.fromisoformat(value[:10])
        except ValueError:
            self.error(
                "decision_date",
                _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value},
            )
            return None
        if not FIRST_YEAR <= date.year <= LAST_YEAR:
            self.error("decision_date", _("The date %(value)s is out of range.") % {"value": value})
            return None
        return date

    def year(self, column: str, default: int | None = None) -> int | None:
        value = self.text(column)
        if not value:
            if default is None:
                self.error(column, _("This column is required."))
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
        status = self.lookups.statuses.get(value.casefold())
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
        source = self.source()
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
        # Ids rather than instances: building 10,000 flows through the related descriptors
        # costs more than checking them.
        flow = FundingFlow(
            source_id=source.pk,
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
        return flow


def _existing_statuses(fingerprints: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(fingerprints), 900):
        chunk = fingerprints[start : start + 900]
        found.update(
            FundingFlow.objects.filter(fingerprint__in=chunk).values_list("fingerprint", "status")
        )
    return found


PROGRESS_EVERY = 500


def check_file(
    name: str, content: bytes, *, progress: Callable[[int, int], None] | None = None
) -> CheckedFile:
    """Check every row; the flows come back unsaved, with their fingerprints set.

    progress(rows checked, rows in the file) is called every few hundred rows.
    """
    result = CheckedFile()
    try:
        rows = list(read_rows(name, content))
    except FileUnreadable as error:
        result.errors.append(RowError(1, "", str(error)))
        return result
    result.row_count = len(rows)
    if not rows:
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
    lookups = Lookups()
    candidates: list[tuple[int, FundingFlow]] = []
    seen: dict[str, int] = {}
    for index, (line, row) in enumerate(rows, start=1):
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
        checker = _RowChecker(line, row, lookups)
        flow = checker.check()
        result.errors.extend(checker.errors)
        if flow is None:
            continue
        if flow.fingerprint in seen:
            result.errors.append(
                RowError(
                    line,
                    "",
                    _("Duplicate of line %(line)s in this file.")
                    % {"line": seen[flow.fingerprint]},
                )
            )
            continue
        seen[flow.fingerprint] = line
        candidates.append((line, flow))
    existing = _existing_statuses([flow.fingerprint for _line, flow in candidates])
    labels = dict(FlowStatus.choices)
    for line, flow in candidates:
        recorded = existing.get(flow.fingerprint)
        if recorded is None:
            result.flows.append(flow)
        elif recorded == flow.status:
            result.skipped += 1
        else:
            result.errors.append(
                RowError(
                    line,
                    "status",
                    _(
                        "Duplicate of a flow already recorded as %(recorded)s; change its status in the admin."
                    )
                    % {"recorded": str(labels[recorded]).lower()},
                )
            )
    result.errors.sort(key=lambda error: error.line)
    if progress:
        progress(len(rows), len(rows))
    return result


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
