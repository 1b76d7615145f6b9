import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pathfinders.forms import CommitmentUpdateForm, IndicatorValueForm, ReviewForm
from pathfinders.validators import MAX_EVIDENCE_BYTES

from .conftest import PDF_BYTES, PNG_BYTES


def value_form(indicator, value="", files=None, **extra):
    data = {"v-value": value, **{f"v-{k}": v for k, v in extra.items()}}
    return IndicatorValueForm(data, files or {}, indicator=indicator, prefix="v")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("value", ["-1", "100.5", "250"])
def test_percentage_outside_0_to_100_is_refused(indicators, value):
    form = value_form(indicators["PCT"], value)

    assert not form.is_valid()
    assert form.errors["value"] == ["A percentage is between 0 and 100."]


@pytest.mark.parametrize("value", ["0", "55.5", "100"])
def test_percentage_within_range_is_accepted(indicators, value):
    form = value_form(indicators["PCT"], value)

    assert form.is_valid(), form.errors
    assert form.to_input().value_number == Decimal(value)


def test_number_beyond_its_plausible_bounds_is_refused(indicators):
    form = value_form(indicators["NUM"], "100001")

    assert not form.is_valid()
    assert "plausible range" in form.errors["value"][0]
    assert "0 to 100,000" in form.errors["value"][0]


def test_number_that_is_not_a_number_is_refused(indicators):
    form = value_form(indicators["NUM"], "many")

    assert not form.is_valid()
    assert "value" in form.errors


def test_yes_no_takes_only_yes_or_no(indicators):
    yes = value_form(indicators["YN"], "yes")
    good = value_form(indicators["YN"], "no")
    bad = value_form(indicators["YN"], "maybe")

    assert yes.is_valid() and yes.to_input().value_number == 1
    assert good.is_valid() and good.to_input().value_number == 0
    assert not bad.is_valid()


def test_milestone_takes_a_real_date(indicators):
    good = value_form(indicators["MS"], "2026-05-01")
    bad = value_form(indicators["MS"], "2026-02-30")

    assert good.is_valid() and str(good.to_input().value_date) == "2026-05-01"
    assert not bad.is_valid() and "value" in bad.errors


def test_empty_value_is_allowed_in_a_draft(indicators):
    form = value_form(indicators["NUM"], "")

    assert form.is_valid()
    assert form.to_input().value_number is None


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", PDF_BYTES), ("photo.png", PNG_BYTES), ("plan.docx", docx_bytes())],
)
def test_evidence_of_an_allowed_type_is_accepted(indicators, name, content):
    upload = SimpleUploadedFile(name, content)
    form = value_form(indicators["NUM"], "5", files={"v-evidence": upload})

    assert form.is_valid(), form.errors


def test_evidence_whose_content_is_not_an_allowed_type_is_refused_whatever_its_name(indicators):
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is a windows program" * 10)
    form = value_form(indicators["NUM"], "5", files={"v-evidence": upload})

    assert not form.is_valid()
    assert "content was checked" in form.errors["evidence"][0]


def test_evidence_over_10_mb_is_refused(indicators):
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * MAX_EVIDENCE_BYTES)
    form = value_form(indicators["NUM"], "5", files={"v-evidence": upload})

    assert not form.is_valid()
    assert "more than the 10\xa0MB accepted here" in form.errors["evidence"][0]


@pytest.mark.parametrize("status", ["delayed", "off_track"])
def test_delayed_or_off_track_commitment_needs_a_narrative(commitments, status):
    form = CommitmentUpdateForm(
        {"c-status": status, "c-progress_percent": "30", "c-narrative": " "},
        commitment=commitments[0],
        prefix="c",
    )

    assert not form.is_valid()
    assert "delayed or off track" in form.errors["narrative"][0]


def test_on_track_commitment_needs_no_narrative(commitments):
    form = CommitmentUpdateForm(
        {"c-status": "on_track", "c-progress_percent": "30"}, commitment=commitments[0], prefix="c"
    )

    assert form.is_valid()


@pytest.mark.parametrize("progress", ["-5", "101"])
def test_commitment_progress_is_a_percentage(commitments, progress):
    form = CommitmentUpdateForm(
        {"c-status": "on_track", "c-progress_percent": progress},
        commitment=commitments[0],
        prefix="c",
    )

    assert form.errors["progress_percent"] == ["Progress is between 0% and 100%."]


def test_completed_commitment_is_at_100_percent(commitments):
    form = CommitmentUpdateForm(
        {"c-status": "completed", "c-progress_percent": "80"}, commitment=commitments[0], prefix="c"
    )

    assert "100" in form.errors["progress_percent"][0]


def test_returning_a_report_needs_a_comment_somewhere(indicators, commitments):
    parts = {"indicators": list(indicators.values()), "commitments": commitments}
    empty = ReviewForm({"decision": "return", "comment": ""}, **parts)
    on_a_field = ReviewForm(
        {"decision": "return", f"indicator_{indicators['NUM'].pk}": "Source?"}, **parts
    )
    accept = ReviewForm({"decision": "accept"}, **parts)

    assert "comment" in empty.errors
    assert on_a_field.is_valid()
    assert accept.is_valid()


@pytest.mark.parametrize(("language", "typed"), [("fr", "5,5"), ("es", "5,5"), ("en", "5.5")])
def test_a_percentage_is_read_in_the_reader_convention(indicators, language, typed):
    from django.utils import translation

    with translation.override(language):
        form = value_form(indicators["PCT"], typed)
        assert form.is_valid(), form.errors

    assert form.to_input().value_number == Decimal("5.5")


def test_a_percentage_typed_with_a_point_in_french_is_refused_not_read_as_55(indicators):
    from django.utils import translation

    with translation.override("fr"):
        form = value_form(indicators["PCT"], "5.5")
        assert not form.is_valid()

    assert "read more than one way" in form.errors["value"][0]


def test_a_stored_value_is_shown_in_the_reader_convention(indicators, report):
    from django.utils import translation

    from pathfinders.models import IndicatorValue

    value = IndicatorValue(
        report=report, indicator=indicators["NUM"], value_number=Decimal("1234.50")
    )
    with translation.override("fr"):
        form = IndicatorValueForm(indicator=indicators["NUM"], instance=value, prefix="v")
        assert 'value="1234,5"' in str(form["value"])
