"""Reading the portal's downloads back as a reader's spreadsheet program would."""

import codecs
import csv
import io

from openpyxl import load_workbook


def csv_parts(response) -> tuple[list[list[str]], list[list[str]]]:
    """The lines above the first blank line (title and filters) and the table(s) below it."""
    content = response.content
    assert content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    blank = rows.index([])
    return rows[:blank], rows[blank + 1 :]


def csv_table(response) -> list[list[str]]:
    return csv_parts(response)[1]


def workbook(response):
    return load_workbook(io.BytesIO(response.content))


def sheet_table(sheet) -> list[list]:
    """A sheet's values below its title and filters: the header row, the rows, the total."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    blank = next(index for index, row in enumerate(rows) if all(v is None for v in row))
    return rows[blank + 1 :]


def sheet_header_row(sheet) -> int:
    """The 1-based number of a sheet's header row."""
    return len(sheet_preamble(sheet)) + 2


def sheet_preamble(sheet) -> list[list]:
    """A sheet's title and filters, each line without the empty cells after it."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    blank = next(index for index, row in enumerate(rows) if all(v is None for v in row))
    lines = []
    for row in rows[:blank]:
        while row and row[-1] is None:
            row.pop()
        lines.append(row)
    return lines
