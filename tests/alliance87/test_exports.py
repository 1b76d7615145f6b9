import datetime
from decimal import Decimal

import pytest
from django import forms
from django.http import Http404

from alliance87 import exports
from tests.exports import csv_parts, sheet_preamble, sheet_table, workbook


def download(rows, *, filters=(), columns=None, tables=1) -> exports.Download:
    columns = columns or [exports.Column("Name"), exports.Column("Amount", exports.WHOLE)]
    return exports.Download(
        title="Figures",
        tables=[exports.Table(f"Table {n}", columns, rows) for n in range(tables)],
        file_stem="figures",
        filters=list(filters),
    )


@pytest.mark.parametrize("name", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_starts_like_a_formula_stays_text_in_both_formats(name):
    made = download([[name, 5]])

    _title, rows = csv_parts(exports.csv_response(made))
    cell = workbook(exports.xlsx_response(made)).active.cell(row=5, column=1)

    assert rows[1] == ["'" + name, "5"]
    # (XML reads a carriage return back as a line feed.)
    assert (cell.value[:2], cell.data_type) == (f"'{name[0]}".replace("\r", "\n"), "s")


def test_csv_opens_with_a_byte_order_mark_the_title_and_the_filters():
    response = exports.csv_response(download([["Fiji", 5]], filters=[("Region", "Africa")]))

    title, rows = csv_parts(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert title == [["Figures"], ["Region", "Africa"]]
    assert rows == [["Name", "Amount"], ["Fiji", "5"]]


def test_a_download_without_filters_says_so():
    title, _rows = csv_parts(exports.csv_response(download([])))

    assert title == [["Figures"], ["Filters", "none"]]


def test_xlsx_numbers_and_dates_are_cells_of_their_kind():
    columns = [exports.Column("Name"), exports.Column("Amount", exports.WHOLE), "Due", "At"]
    at = datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)
    made = download([["Fiji", Decimal("1234.50"), datetime.date(2025, 2, 1), at]], columns=columns)

    sheet = workbook(exports.xlsx_response(made)).active
    amount, due, at_cell = (sheet.cell(row=5, column=n) for n in (2, 3, 4))

    assert (amount.data_type, amount.value, amount.number_format) == ("n", 1234.5, "#,##0")
    assert due.is_date and due.value == datetime.datetime(2025, 2, 1)
    assert at_cell.is_date and at_cell.value.tzinfo is None


def test_csv_writes_numbers_and_dates_plainly_and_none_as_empty():
    made = download([["Fiji", Decimal("-12.50")], [None, datetime.date(2025, 2, 1)]])

    _title, rows = csv_parts(exports.csv_response(made))

    assert rows[1:] == [["Fiji", "-12.50"], ["", "2025-02-01"]]


def test_characters_a_workbook_cannot_hold_do_not_break_the_download():
    sheet = workbook(exports.xlsx_response(download([["bell\x07\x00", 1]]))).active

    assert sheet.cell(row=5, column=1).value == "bell\ufffd\ufffd"


def test_each_table_has_a_sheet_with_a_valid_unique_name():
    made = exports.Download(
        "Figures",
        [exports.Table("By region: 2024/25?", ["A"], [[1]]) for _n in range(2)],
        "figures",
    )

    book = workbook(exports.xlsx_response(made))

    assert book.sheetnames == ["By region  2024 25", "By region  2024 25 (2)"]
    assert sheet_preamble(book.worksheets[0])[0] == ["Figures: By region: 2024/25?"]
    assert sheet_table(book.worksheets[1]) == [["A", None], [1, None]]


def test_several_tables_in_one_csv_each_come_with_their_title():
    _title, rows = csv_parts(exports.csv_response(download([["Fiji", 1]], tables=2)))

    assert rows == [
        ["Table 0"], ["Name", "Amount"], ["Fiji", "1"], [],
        ["Table 1"], ["Name", "Amount"], ["Fiji", "1"],
    ]  # fmt: skip


def test_an_unknown_format_is_not_found():
    with pytest.raises(Http404):
        exports.response(download([]), "pdf")


class RegionForm(forms.Form):
    region = forms.ChoiceField(
        label="Region", choices=[("", "All"), ("africa", "Africa")], required=False
    )
    year = forms.IntegerField(label="Year", required=False, max_value=2100)
    overdue = forms.BooleanField(label="Overdue only", required=False)


def test_filters_applied_are_named_as_the_reader_sees_them():
    form = RegionForm({"region": "africa", "year": "", "overdue": "on"})

    assert exports.filters_applied(form) == [("Region", "Africa"), ("Overdue only", "Yes")]


def test_a_refused_filter_value_is_named_with_the_reason():
    form = RegionForm({"year": "9" * 40})

    [(label, text)] = exports.filters_applied(form)

    assert label == "Year"
    assert text.startswith("“99999")
    assert "refused" in text
    assert "less than or equal to 2100" in text


def test_an_unbound_form_applies_no_filter():
    assert exports.filters_applied(RegionForm()) == []


def test_a_column_of_times_names_the_reader_s_zone_and_holds_their_local_times():
    from django.utils import timezone

    columns = [exports.Column("Name"), "Submitted", "Due"]
    at = datetime.datetime(2026, 12, 5, 23, 43, tzinfo=datetime.UTC)
    made = download([["Fiji", at, datetime.date(2026, 12, 5)]], columns=columns)

    with timezone.override("Pacific/Fiji"):
        _title, rows = csv_parts(exports.csv_response(made))

    assert rows == [
        ["Name", "Submitted (Fiji)", "Due"],
        ["Fiji", "2026-12-06 11:43:00", "2026-12-05"],
    ]
