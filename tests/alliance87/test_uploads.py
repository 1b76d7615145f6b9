"""Every stored file passes one rule (alliance87.uploads), on every path."""

import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from alliance87.uploads import FILE_KINDS, ProtectedFileField, UploadLimitMiddleware, UploadRule
from financing.forms import FundingFlowImportForm
from pathfinders.forms import IndicatorValueForm

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
RULE = UploadRule(kinds=["pdf", "png"], max_bytes=1024)


def test_every_file_field_of_every_model_carries_an_upload_rule():
    file_fields = {
        f"{model._meta.label}.{field.name}": field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }

    assert file_fields  # the enumeration finds them
    for name, field in file_fields.items():
        assert any(isinstance(v, UploadRule) for v in field.validators), name
        # Media is not served: every file is reached through its record's download page.
        assert isinstance(field, ProtectedFileField), name
        assert reverse(field.download_view, args=[1]), name
    assert {"pathfinders.IndicatorValue.evidence", "workshops.EventDocument.file"} <= set(
        file_fields
    )


@pytest.mark.parametrize(
    "field", [IndicatorValueForm.base_fields["evidence"], FundingFlowImportForm.base_fields["file"]]
)
def test_every_upload_form_field_outside_a_model_carries_an_upload_rule(field):
    assert any(isinstance(v, UploadRule) for v in field.validators)


def test_an_html_file_named_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        RULE.check(SimpleUploadedFile("minutes.pdf", HTML, "application/pdf"))

    assert error.value.code == "file_type"
    assert "Upload PDF or PNG." in error.value.messages[0]


def test_a_pdf_named_otherwise_is_refused_with_what_it_really_is():
    with pytest.raises(ValidationError) as error:
        RULE.check(SimpleUploadedFile("picture.png", PDF))

    assert error.value.code == "extension"
    assert "its content is PDF" in error.value.messages[0]


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    with pytest.raises(ValidationError) as error:
        RULE.check(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048))

    assert error.value.code == "too_large"
    assert error.value.messages == ["This file is 2.0\xa0KB, more than the 1\xa0KB accepted here."]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        RULE.check(SimpleUploadedFile("empty.pdf", b""))

    assert error.value.code == "empty"


def test_a_file_that_passes_tells_its_detected_kind():
    assert RULE.check(SimpleUploadedFile("scan.PDF", PDF)) is FILE_KINDS["pdf"]


def test_csv_is_text_and_a_binary_named_csv_is_not():
    rule = UploadRule(kinds=["csv", "xlsx"], max_bytes=1024)

    assert rule.check(SimpleUploadedFile("flows.csv", b"source,amount\nILO,12\n")).code == "csv"
    with pytest.raises(ValidationError):
        rule.check(SimpleUploadedFile("flows.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"))
    for markup in (HTML, b"\xef\xbb\xbf  <svg onload=alert(1)>", b"\n<?xml version='1.0'?><a/>"):
        with pytest.raises(ValidationError, match="This kind of file is not accepted"):
            rule.check(SimpleUploadedFile("flows.csv", markup))


def test_the_rule_says_its_kinds_and_limit_before_anything_is_sent():
    rule = UploadRule(kinds=["pdf", "docx", "png"], max_bytes=10 * 1024 * 1024)

    assert str(rule.help_text) == "PDF, DOCX or PNG; at most 10\xa0MB."
    assert rule.widget_attrs()["accept"] == ".pdf,.docx,.png"
    assert rule.widget_attrs()["data-max-bytes"] == str(10 * 1024 * 1024)


def test_a_request_declaring_more_than_the_limit_is_refused_unread(settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024
    stream = io.BytesIO(b"x" * 2048)
    request = RequestFactory().generic(
        "POST",
        "/events/1/documents/new/",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": stream},
    )
    views = []

    response = UploadLimitMiddleware(views.append)(request)

    assert response.status_code == 413
    assert "at most 1\xa0KB in one sending" in response.content.decode()
    assert views == [] and stream.tell() == 0


def test_a_request_within_the_limit_goes_on(settings):
    request = RequestFactory().post("/", data={"a": "b"})

    assert UploadLimitMiddleware(lambda r: "answered")(request) == "answered"


def test_xml_data_is_its_own_kind_and_web_pages_or_images_are_not():
    rule = UploadRule(kinds=["xml"], max_bytes=1024)

    for data in (
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- IATI -->\n<iati-activities version="2.03"/>',
        b'<iati-activities version="2.03"/>',
    ):
        assert rule.check(SimpleUploadedFile("activities.xml", data)).code == "xml"
    for markup in (HTML, b'<?xml version="1.0"?><svg onload="alert(1)"/>', b"<!DOCTYPE html>"):
        with pytest.raises(ValidationError, match="This kind of file is not accepted"):
            rule.check(SimpleUploadedFile("activities.xml", markup))
