"""Every CSV and XLSX download of the portal, written here and nowhere else.

A download is a title, the filters the reader applied (as they read them) and one or more
tables of typed values: text, whole and decimal numbers, dates and times, None for an empty
cell. Both formats open with the title and the filters, a blank row, then the table(s).

Text that a spreadsheet would take for a formula (it starts with = + - @, a tab or a carriage
return) is written with a leading apostrophe, in CSV and XLSX alike, so an organisation named
`=HYPERLINK(...)` stays a name. Numbers and dates are written as such: in XLSX as numeric and
date cells with a number format, in CSV as plain digits and ISO dates. CSV files start with a
UTF-8 byte order mark so that spreadsheet programs read accents right.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from alliance87.timezones import zone_label

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
FORMATS = ("csv", "xlsx")

# Number formats of XLSX cells, by what a column holds.
WHOLE = "#,##0"
DECIMAL = "#,##0.00"
ONE_DECIMAL = "0.0"
PLAIN = "0"
DATE = "yyyy-mm-dd"
DATE_TIME = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    header: str
    # How an XLSX numeric cell of this column is shown; text and dates ignore it.
    number_format: str | None = None
    width: int | None = None


@dataclass
class Table:
    title: str
    columns: Sequence[Column | str]
    rows: Sequence[Sequence]
    # The closing line (a total), written after the rows in bold.
    total: Sequence | None = None
    sheet_name: str = ""

    @property
    def headers(self) -> list[str]:
        """The column headers; a column of times names the zone they are in (the reader's),
        which a spreadsheet cell cannot say."""
        headers = [str(getattr(column, "header", column)) for column in self.columns]
        lines = [*self.rows, *([self.total] if self.total else [])]
        for position, header in enumerate(headers):
            if any(
                len(line) > position and isinstance(line[position], datetime.datetime)
                for line in lines
            ):
                headers[position] = _("%(header)s (%(zone)s)") % {
                    "header": header,
                    "zone": zone_label(timezone.get_current_timezone_name()),
                }
        return headers


@dataclass
class Download:
    title: str
    tables: list[Table]
    file_stem: str
    # (label, value) of each filter applied, in the reader's language.
    filters: Sequence[tuple[str, str]] = field(default_factory=list)
    # False for a file meant to be filled in and imported again: the table alone, its header
    # on the first row.
    preamble: bool = True
    # Sentences the reader needs to read the figures right (how they were computed), each on
    # a line of its own after the filters.
    notes: Sequence[str] = ()


def guarded(text: str) -> str:
    """Text a spreadsheet shows as typed, never evaluates."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _local(value: datetime.datetime) -> datetime.datetime:
    """A naive local time: spreadsheets know no time zones."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return guarded(str(value))


def _preamble(download: Download) -> list[list[str]]:
    lines = [[download.title]]
    filters = list(download.filters) or [(_("Filters"), _("none"))]
    lines += [[label, value] for label, value in filters]
    lines += [[str(note)] for note in download.notes]
    return [*lines, []]


def _table_lines(table: Table, *, titled: bool) -> list[list]:
    lines = [[table.title]] if titled else []
    lines.append(table.headers)
    lines += [list(row) for row in table.rows]
    if table.total:
        lines.append(list(table.total))
    return lines


def csv_text(download: Download) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if download.preamble:
        writer.writerows([[csv_cell(value) for value in line] for line in _preamble(download)])
    # One table needs no title of its own: the file's title names it.
    titled = len(download.tables) > 1
    for index, table in enumerate(download.tables):
        if index:
            writer.writerow([])
        for line in _table_lines(table, titled=titled):
            writer.writerow([csv_cell(value) for value in line])
    return BOM + buffer.getvalue()


def csv_response(download: Download) -> HttpResponse:
    response = HttpResponse(csv_text(download), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download.file_stem}.csv"'
    return response


def _shortened(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words where it can be (a title, not a stub)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " " and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;.–-")


def _sheet_name(table: Table, used: set[str]) -> str:
    # Excel allows 31 characters and none of : \ / ? * [ ]
    name = "".join(" " if c in ":\\/?*[]" else c for c in (table.sheet_name or table.title))
    name = _shortened(name.strip(), 31) or "sheet"
    candidate, number = name, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = name[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def _write_cell(sheet, row: int, column: int, value, number_format: str | None):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = sheet.cell(row=row, column=column)
    if value is None:
        return cell
    if isinstance(value, bool):
        cell.value = _("Yes") if value else _("No")
    elif isinstance(value, int | float | Decimal):
        cell.value = value
        cell.number_format = number_format or ("General" if isinstance(value, int) else DECIMAL)
    elif isinstance(value, datetime.datetime):
        cell.value = _local(value)
        cell.number_format = DATE_TIME
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE
    else:
        # XML cannot hold most control characters: each is shown as U+FFFD.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", guarded(str(value)))
        cell.data_type = "s"
    return cell


def xlsx_bytes(download: Download) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in download.tables:
        sheet = workbook.create_sheet(_sheet_name(table, used))
        row = 1
        if download.preamble:
            title = download.title
            if len(download.tables) > 1:
                title = f"{download.title}: {table.title}"
            for index, line in enumerate(
                _preamble(Download(title, [], "", download.filters, notes=download.notes))
            ):
                for position, value in enumerate(line, start=1):
                    cell = _write_cell(sheet, row, position, value, None)
                    if index == 0 or position == 1:
                        cell.font = bold
                row += 1
        formats = [getattr(column, "number_format", None) for column in table.columns]
        for position, header in enumerate(table.headers, start=1):
            _write_cell(sheet, row, position, header, None).font = bold
        sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
        lines = [*table.rows, *([table.total] if table.total else [])]
        for index, cells in enumerate(lines):
            row += 1
            for position, value in enumerate(cells, start=1):
                number_format = formats[position - 1] if position <= len(formats) else None
                cell = _write_cell(sheet, row, position, value, number_format)
                if table.total and index == len(lines) - 1:
                    cell.font = bold
        for position, column in enumerate(table.columns, start=1):
            width = getattr(column, "width", None)
            if width:
                sheet.column_dimensions[
                    sheet.cell(row=1, column=position).column_letter
                ].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(download: Download) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(download), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download.file_stem}.xlsx"'
    return response


def response(download: Download, file_format: str) -> HttpResponse:
    if file_format == "csv":
        return csv_response(download)
    if file_format == "xlsx":
        return xlsx_response(download)
    raise Http404("Unknown export format.")


# --- The filters a download names ------------------------------------------------------------


def _shown(field: forms.Field, value) -> str:
    """A cleaned filter value as the form showed it to the reader."""
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        # A form field holds its choices as a list or an iterator; the stub types the getter
        # with everything the setter takes (a Choices class, a mapping, a callable).
        choices: Iterable[tuple[Any, Any]] = field.choices  # type: ignore[assignment]
        labels = {str(key): label for key, label in choices if not isinstance(label, list)}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def filters_applied(form: forms.Form, *, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(label, value) of each filter of a bound form that narrows what is shown, and of each
    value refused, with the reason the page gives next to the field."""
    if not form.is_bound:
        return []
    form.is_valid()
    skipped = set(skip)
    applied = []
    for name, form_field in form.fields.items():
        if name in skipped:
            continue
        label = str(form_field.label or name)
        if name in form.errors:
            raw = form.data.get(form.add_prefix(name), "")
            message = _("“%(value)s” refused: %(error)s") % {
                "value": Truncator(str(raw)).chars(40),
                "error": " ".join(str(e) for e in form.errors[name]),
            }
            applied.append((label, Truncator(message).chars(200)))
            continue
        value = form.cleaned_data.get(name)
        if value in (None, "", [], False):
            continue
        applied.append((label, _shown(form_field, value)))
    return applied
