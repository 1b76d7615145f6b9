"""Data quality at entry and review: the previous accepted value, the plausible range and the
explanation a large change needs (pathfinders.quality)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pathfinders import quality, selectors, services
from pathfinders.forms import IndicatorValueForm
from pathfinders.models import IndicatorValue, ReportStatus
from pathfinders.services import ReportInput, ValueInput

from .factories import FrameworkVersionFactory, IndicatorFactory, PeriodFactory, ReportFactory
from .test_views import form_data


def accepted_report(pathfinder, framework, label: str, opens_on: datetime.date, **values):
    """An accepted report of an earlier period, with values by indicator code."""
    period = PeriodFactory(
        label=label,
        framework_version=framework,
        opens_on=opens_on,
        due_on=opens_on + datetime.timedelta(days=60),
    )
    report = ReportFactory(
        pathfinder=pathfinder,
        period=period,
        status=ReportStatus.ACCEPTED,
        first_submitted_at=datetime.datetime.combine(opens_on, datetime.time(), datetime.UTC),
        accepted_at=datetime.datetime.combine(opens_on, datetime.time(), datetime.UTC),
    )
    for code, number in values.items():
        IndicatorValue.objects.create(
            report=report,
            indicator=framework.indicators.get(code=code),
            value_number=Decimal(number),
        )
    return report


@pytest.fixture
def accepted_2025(pathfinder, framework):
    return accepted_report(
        pathfinder, framework, "2025", datetime.date(2025, 1, 15), NUM="40", PCT="10"
    )


# --- The rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "new", "jump"),
    [
        ("40", "400", True),  # tenfold
        ("40", "80", False),  # exactly doubling is allowed
        ("40", "81", True),
        ("40", "20", False),  # exactly halving is allowed
        ("40", "19", True),
        ("0", "5", True),  # from nothing to something
        ("0", "0", False),
        ("10", "-10", True),  # a change of sign
    ],
)
def test_a_jump_is_more_than_doubling_or_halving(previous, new, jump):
    assert quality.is_jump(Decimal(previous), Decimal(new)) is jump


def test_the_jump_factor_is_a_setting_and_written_in_the_rule(settings):
    settings.PATHFINDERS_JUMP_FACTOR = 5

    assert not quality.is_jump(Decimal(10), Decimal(45))
    assert quality.is_jump(Decimal(10), Decimal(51))
    assert "more than 5 times the previous accepted value" in quality.jump_rule()


# --- The previous accepted value ---------------------------------------------------------------


def test_previous_value_is_the_latest_accepted_earlier_one_across_framework_versions(
    pathfinder, framework, report
):
    older = FrameworkVersionFactory(number=0)
    IndicatorFactory(version=older, code="NUM", kind="number", baseline=0, target=10)
    accepted_report(pathfinder, older, "2024", datetime.date(2024, 1, 15), NUM="10")
    accepted_report(pathfinder, framework, "2025", datetime.date(2025, 1, 15), NUM="40")
    submitted = accepted_report(pathfinder, framework, "2025 H2", datetime.date(2025, 7, 1))
    IndicatorValue.objects.create(
        report=submitted, indicator=framework.indicators.get(code="PCT"), value_number=50
    )
    submitted.status = ReportStatus.SUBMITTED
    submitted.save()

    previous = selectors.previous_values(report=report)

    assert previous["NUM"].display == "40" and previous["NUM"].period_label == "2025"
    assert "PCT" not in previous  # only accepted reports count


def test_an_older_accepted_value_serves_when_the_latest_report_left_the_field_empty(
    pathfinder, framework, report, accepted_2025
):
    accepted_report(pathfinder, framework, "2025 H2", datetime.date(2025, 7, 1), PCT="12")

    previous = selectors.previous_values(report=report)

    assert (previous["NUM"].display, previous["NUM"].period_label) == ("40", "2025")
    assert (previous["PCT"].display, previous["PCT"].period_label) == ("12 %", "2025 H2")


def test_a_later_periods_accepted_report_is_not_a_previous_value(pathfinder, framework, report):
    accepted_report(
        pathfinder, framework, "2027", report.period.opens_on.replace(year=2027), NUM="9"
    )

    assert selectors.previous_values(report=report) == {}


# --- The model and the service refuse an unexplained jump --------------------------------------


def test_a_tenfold_jump_is_refused_without_an_explanation(report, indicators, accepted_2025):
    value = IndicatorValue(report=report, indicator=indicators["NUM"], value_number=400)

    with pytest.raises(ValidationError) as refused:
        value.full_clean()

    message = refused.value.message_dict["change_note"][0]
    assert "400" in message and "40 (2025)" in message


def test_a_tenfold_jump_is_accepted_with_an_explanation(report, indicators, accepted_2025):
    value = IndicatorValue(
        report=report, indicator=indicators["NUM"], value_number=400, change_note="New survey."
    )

    value.full_clean()


def test_a_percentage_jump_is_refused_too(report, indicators, accepted_2025):
    value = IndicatorValue(report=report, indicator=indicators["PCT"], value_number=25)

    with pytest.raises(ValidationError) as refused:
        value.full_clean()

    assert "25%" in refused.value.message_dict["change_note"][0]


def test_a_change_within_the_factor_needs_no_explanation(report, indicators, accepted_2025):
    IndicatorValue(report=report, indicator=indicators["NUM"], value_number=80).full_clean()


def test_the_save_service_refuses_an_unexplained_jump_and_saves_an_explained_one(
    report, indicators, focal_point, accepted_2025
):
    def save(**given):
        services.report_save(
            report=report,
            user=focal_point,
            expected_version=report.version,
            data=ReportInput(values={indicators["NUM"].pk: ValueInput(**given)}),
        )

    with pytest.raises(ValidationError, match="40 \\(2025\\)"):
        save(value_number=Decimal(400))
    assert not IndicatorValue.objects.filter(report=report).exists()

    report.refresh_from_db()
    save(value_number=Decimal(400), change_note="The survey now covers every district.")

    stored = IndicatorValue.objects.get(report=report)
    assert (stored.value_number, stored.change_note) == (
        400,
        "The survey now covers every district.",
    )


# --- The plausible range -----------------------------------------------------------------------


def test_a_value_outside_the_plausible_range_is_refused_by_the_model(report, indicators):
    value = IndicatorValue(report=report, indicator=indicators["NUM"], value_number=200000)

    with pytest.raises(ValidationError) as refused:
        value.full_clean()

    assert refused.value.message_dict["value_number"] == ["Give a value between 0 and 100000."]


def test_a_value_outside_the_plausible_range_is_refused_by_the_form(indicators):
    form = IndicatorValueForm({"x-value": "200000"}, indicator=indicators["NUM"], prefix="x")

    assert not form.is_valid()
    assert form.errors["value"] == [
        "This is outside the plausible range for this indicator (0 to 100,000)."
    ]


def test_the_save_service_refuses_a_value_outside_the_range(report, indicators, focal_point):
    with pytest.raises(ValidationError, match="between 0 and 100000"):
        services.report_save(
            report=report,
            user=focal_point,
            expected_version=report.version,
            data=ReportInput(values={indicators["NUM"].pk: ValueInput(value_number=Decimal(-5))}),
        )


# --- The progress form -------------------------------------------------------------------------


def fieldset(content: str, code: str) -> str:
    return content.split(f'id="indicator-{code}"')[1].split("</fieldset>")[0]


def test_the_form_shows_the_previous_accepted_value_beside_each_field(
    client_for, focal_point, report, accepted_2025
):
    content = (
        client_for(focal_point)
        .get(reverse("pathfinders:report_edit", args=[report.pk]))
        .content.decode()
    )

    assert "Previous accepted value: <strong>40</strong> (2025)" in fieldset(content, "NUM")
    assert "Previous accepted value: <strong>10%</strong> (2025)" in fieldset(content, "PCT")
    assert "more than 2 times the previous accepted value" in fieldset(content, "NUM")
    assert "Explanation of a large change" not in fieldset(content, "TXT")


def test_a_tenfold_jump_asks_for_an_explanation_beside_the_field_and_keeps_what_was_typed(
    client_for, focal_point, report, indicators, commitments, accepted_2025
):
    data = form_data(report, indicators, commitments, NUM="400", NUM_narrative="Typed text")

    response = client_for(focal_point).post(
        reverse("pathfinders:report_edit", args=[report.pk]), data
    )

    assert response.status_code == 400
    num = fieldset(response.content.decode(), "NUM")
    assert "400 is a large change from the previous accepted value, 40 (2025)" in num
    assert 'value="400"' in num and "Typed text" in num
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_an_explained_tenfold_jump_is_saved_and_submitted(
    client_for, focal_point, report, indicators, commitments, accepted_2025
):
    data = form_data(report, indicators, commitments, NUM="400", action="submit")
    data[f"ind-{indicators['NUM'].pk}-change_note"] = "The survey now covers every district."

    response = client_for(focal_point).post(
        reverse("pathfinders:report_edit", args=[report.pk]), data
    )

    assert response.status_code == 302
    value = IndicatorValue.objects.get(report=report, indicator=indicators["NUM"])
    assert value.change_note == "The survey now covers every district."
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


# --- The reviewer sees the flag ----------------------------------------------------------------


@pytest.fixture
def flagged_report(report, indicators, accepted_2025, focal_point):
    IndicatorValue.objects.create(
        report=report,
        indicator=indicators["NUM"],
        value_number=400,
        change_note="The survey now covers every district.",
    )
    IndicatorValue.objects.create(report=report, indicator=indicators["PCT"], value_number=12)
    report.status = ReportStatus.SUBMITTED
    report.first_submitted_at = report.submitted_at = datetime.datetime.now(datetime.UTC)
    report.save()
    return report


def test_the_review_page_flags_the_jump_with_both_values_and_the_explanation(
    client_for, secretariat, flagged_report
):
    content = (
        client_for(secretariat)
        .get(reverse("pathfinders:report_review", args=[flagged_report.pk]))
        .content.decode()
    )

    assert "1 value changed a lot from the previous accepted value" in content
    assert "40 (2025) → <strong>400</strong>" in content
    assert "The survey now covers every district." in content
    assert content.count("Needs a look") == 2  # the summary and the one flagged row


def test_the_detail_page_shows_the_previous_values_and_the_flag(
    client_for, secretariat, flagged_report
):
    content = (
        client_for(secretariat)
        .get(reverse("pathfinders:report_detail", args=[flagged_report.pk]))
        .content.decode()
    )

    assert "40 (2025) → <strong>400</strong>" in content
    assert '10% <span class="small muted">(2025)</span>' in content  # PCT: no jump


def test_the_review_queue_counts_the_values_that_need_a_look(
    client_for, secretariat, flagged_report
):
    content = client_for(secretariat).get(reverse("pathfinders:review_queue")).content.decode()

    assert "Needs a look: 1 value" in content
    assert "NUM</strong>: 40 (2025) → 400 – The survey now covers every district." in content


# --- The admin obeys the same rule ---------------------------------------------------------------


def change_in_admin(client, value, **fields):
    return client.post(
        reverse("admin:pathfinders_indicatorvalue_change", args=[value.pk]),
        {
            "report": value.report_id,
            "indicator": value.indicator_id,
            "value_number": "3",
            "value_date": "",
            "value_text": "",
            "narrative": "",
            "change_note": "",
            "expected_version": value.report.version,
            **fields,
        },
    )


def test_the_admin_refuses_an_unexplained_jump_beside_the_explanation(
    client_for, secretariat, report, indicators, accepted_2025
):
    value = IndicatorValue.objects.create(
        report=report, indicator=indicators["NUM"], value_number=41
    )
    client = client_for(secretariat)

    refused = change_in_admin(client, value, value_number="400")
    saved = change_in_admin(client, value, value_number="400", change_note="New survey.")

    errors = refused.context["adminform"].form.errors["change_note"]
    assert "40 (2025)" in errors[0]
    assert saved.status_code == 302
    value.refresh_from_db()
    assert (value.value_number, value.change_note) == (400, "New survey.")


# --- Query counts: one query for the previous values, however many periods came before -----------


@pytest.fixture
def earlier_periods(pathfinder, framework):
    def build(count: int) -> None:
        for year in range(2025 - count, 2025):
            accepted_report(
                pathfinder, framework, str(year), datetime.date(year, 1, 15), NUM="40", PCT="10"
            )

    return build


# Progress form: session, user, the report (with its country, period and people), groups,
# the focal point's countries (write check), the values, the commitment updates, the
# indicators, the commitments, the country's own targets, the previous accepted values (the
# one query this adds), the last return, and the session save (three).
FORM_QUERIES = 15
# Report page, as the Secretariat: session, user, the staff authenticator check, the report,
# groups, the values, the commitment updates, the indicators, the commitments, the last
# return, the country's own targets, the previous accepted values (the one query this
# adds), the transitions, the
# history of the report, of its values (with their indicators) and of its updates (with
# their commitments), and the session save (three).
DETAIL_QUERIES = 21


@pytest.mark.parametrize("count", [1, 6])
def test_progress_form_query_count_does_not_grow_with_earlier_periods(
    count, earlier_periods, client_for, focal_point, report, django_assert_num_queries
):
    earlier_periods(count)
    client = client_for(focal_point)

    with django_assert_num_queries(FORM_QUERIES):
        response = client.get(reverse("pathfinders:report_edit", args=[report.pk]))

    assert "Previous accepted value: <strong>40</strong> (2024)" in response.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_report_page_query_count_does_not_grow_with_earlier_periods(
    count, earlier_periods, client_for, secretariat, flagged_report, django_assert_num_queries
):
    earlier_periods(count)
    client = client_for(secretariat)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("pathfinders:report_detail", args=[flagged_report.pk]))

    assert "40 (2025) → <strong>400</strong>" in response.content.decode()


def test_the_jump_message_writes_numbers_in_the_readers_convention():
    from django.utils import translation

    previous = quality.PreviousValue(
        code="PR2",
        kind="percentage",
        value_number=Decimal("42.8"),
        display="42.8 %",
        period_label="2025",
        report_id=1,
    )

    with translation.override("fr"):
        message = quality.jump_message(previous=previous, new=Decimal("5.5"), kind="percentage")
        shown = previous.local_display
    with translation.override("en"):
        english = quality.jump_message(previous=previous, new=Decimal("5.5"), kind="percentage")

    assert message.startswith("5,5\u00a0%") and "42,8\u00a0%" in message
    assert shown == "42,8\u00a0%"
    assert english.startswith("5.5% is a large change") and "42.8%" in english
