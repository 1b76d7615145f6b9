"""CSV and XLSX downloads of the tables a page shows, cell for cell."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify

from .selectors import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value) -> str | int | Decimal:
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return value
    text = str(value)
    # A name that starts like a formula must stay text in a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_rows(table: Table) -> list[list]:
    """The header, the rows and the total line, as they are shown."""
    rows = [[column.header for column in table.columns]]
    rows += [[_plain(cell) for cell in row] for row in table.rows]
    if table.total:
        rows.append([_plain(cell) for cell in table.total])
    return rows


def csv_response(table: Table, *, file_stem: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(table_rows(table))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_stem}-{table.key}.csv"'
    return response


def xlsx_response(tables: list[Table], *, file_stem: str, title: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(slugify(table.key)[:31] or "sheet")
        sheet.append([f"{title}: {table.caption}"])
        sheet["A1"].font = Font(bold=True)
        for index, row in enumerate(table_rows(table)):
            sheet.append(row)
            if index == 0:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        for position, column in enumerate(table.columns, start=1):
            number_format = {"usd": "#,##0", "percent": "0.0"}.get(column.kind)
            letter = sheet.cell(row=2, column=position).column_letter
            sheet.column_dimensions[letter].width = 14 if column.kind != "text" else 32
            if number_format:
                for cell in sheet[letter][2:]:
                    cell.number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.xlsx"'
    return response
