import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pathfinders.models import (
    Commitment,
    FrameworkVersion,
    Indicator,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReminderSent,
    ReportingPeriod,
    ReportStatus,
    Roadmap,
)

from .conftest import PDF_BYTES, PNG_BYTES

MODELS = [
    PathfinderCountry,
    Roadmap,
    Commitment,
    FrameworkVersion,
    Indicator,
    IndicatorValue,
    ReportingPeriod,
    ProgressReport,
    ReminderSent,
    IndicatorValue,
]


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:pathfinders_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_secretariat_opens_every_admin_list_with_search_and_filters(
    model, client_for, secretariat, report
):
    response = client_for(secretariat).get(admin_url(model, "changelist"), {"q": "Fiji"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("model", "obj"),
    [
        (PathfinderCountry, "pathfinder"),
        (ProgressReport, "report"),
        (FrameworkVersion, "framework"),
    ],
)
def test_secretariat_opens_change_and_history_pages(
    model, obj, request, client_for, secretariat, report
):
    pk = request.getfixturevalue(obj).pk
    client = client_for(secretariat)

    assert client.get(admin_url(model, "change", pk)).status_code == 200
    assert client.get(admin_url(model, "history", pk)).status_code == 200


def test_gcg_member_cannot_open_the_admin(client_for, gcg_member):
    response = client_for(gcg_member).get(admin_url(PathfinderCountry, "changelist"))

    assert response.status_code == 302


def test_accepted_report_is_read_only_in_the_admin(client_for, secretariat, focal_point, report):
    report.status = ReportStatus.ACCEPTED
    report.first_submitted_at = report.accepted_at = datetime.datetime.now(datetime.UTC)
    report.save()

    response = client_for(secretariat).post(
        admin_url(ProgressReport, "change", report.pk), {"summary": "Changed"}
    )

    assert response.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).summary == ""


def test_indicators_of_a_version_answered_by_reports_are_frozen(
    client_for, secretariat, report, indicators
):
    indicator = indicators["NUM"]
    client = client_for(secretariat)

    page = client.get(admin_url(Indicator, "change", indicator.pk)).content.decode()
    client.post(admin_url(Indicator, "change", indicator.pk), {"title_en": "Rewritten"})

    assert 'name="title_en"' not in page
    assert Indicator.objects.get(pk=indicator.pk).title != "Rewritten"


def test_copying_a_version_in_the_admin_gives_an_editable_one(
    client_for, secretariat, report, framework
):
    client = client_for(secretariat)

    client.post(
        admin_url(FrameworkVersion, "changelist"),
        {
            "action": "copy_as_new_version",
            "_selected_action": [framework.pk],
        },
    )

    copy = FrameworkVersion.objects.get(number=2)
    assert copy.indicators.count() == 5
    page = client.get(admin_url(Indicator, "change", copy.indicators.first().pk)).content.decode()
    assert 'name="title_en"' in page


def test_indicator_values_list_across_reports_with_one_page_of_queries(
    client_for, secretariat, report, indicators, django_assert_num_queries
):
    for indicator in indicators.values():
        IndicatorValue.objects.create(report=report, indicator=indicator, value_text="x")
    client = client_for(secretariat)

    # session, user, two-factor check, two permission lookups, the period, version and pillar
    # filter choices, one COUNT for the pages (no second full count), the page of values with
    # report, country, period and indicator joined, the role for the navigation, session save.
    with django_assert_num_queries(14):
        response = client.get(admin_url(IndicatorValue, "changelist"))

    assert response.status_code == 200
    assert "Fiji" in response.content.decode()


# --- Evidence replaced in the admin passes the same rule as on the progress form -----------


def change_evidence(client, value, upload):
    return client.post(
        admin_url(IndicatorValue, "change", value.pk),
        {
            "report": value.report_id,
            "indicator": value.indicator_id,
            "value_number": "3",
            "value_date": "",
            "value_text": "",
            "narrative": "",
            "evidence": upload,
            "expected_version": value.report.version,
        },
    )


@pytest.fixture
def value(report, indicators, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return IndicatorValue.objects.create(report=report, indicator=indicators["NUM"], value_number=3)


def test_html_evidence_named_pdf_is_refused_in_the_admin_next_to_the_field(
    client_for, secretariat, value
):
    upload = SimpleUploadedFile("survey.pdf", b"<html><script>alert(1)</script></html>")

    response = change_evidence(client_for(secretariat), value, upload)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["evidence"]
    assert "This kind of file is not accepted (its content was checked)" in errors[0]
    value.refresh_from_db()
    assert not value.evidence


def test_oversize_evidence_is_refused_in_the_admin_next_to_the_field(
    client_for, secretariat, value
):
    upload = SimpleUploadedFile("survey.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))

    response = change_evidence(client_for(secretariat), value, upload)

    errors = response.context["adminform"].form.errors["evidence"]
    assert "more than the 10\xa0MB accepted here" in errors[0]


def test_evidence_set_in_the_admin_keeps_the_type_read_from_its_content(
    client_for, secretariat, value
):
    response = change_evidence(
        client_for(secretariat), value, SimpleUploadedFile("map.png", PNG_BYTES)
    )

    assert response.status_code == 302
    value.refresh_from_db()
    assert value.evidence_type == "image/png"
