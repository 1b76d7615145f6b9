"""The framework's texts in the reader's language: the Secretariat enters an indicator's
French and Spanish beside the English in the admin; the country page and the progress form
show the reader's, or the English marked lang="en" where no translation is entered yet."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from pathfinders.models import Indicator, IndicatorValue, ReportStatus

from .factories import PeriodFactory, ReportFactory


def _translate(indicator: Indicator, **texts: str) -> None:
    Indicator.objects.filter(pk=indicator.pk).update(**texts)


def reading_in(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def accepted(pathfinder, framework, indicators):
    period = PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=datetime.date(2025, 1, 15),
        due_on=datetime.date(2025, 3, 31),
    )
    report = ReportFactory(
        pathfinder=pathfinder,
        period=period,
        status=ReportStatus.ACCEPTED,
        first_submitted_at=datetime.datetime(2025, 3, 20, tzinfo=datetime.UTC),
        accepted_at=datetime.datetime(2025, 4, 2, tzinfo=datetime.UTC),
    )
    for code in ("NUM", "PCT"):
        IndicatorValue.objects.create(
            report=report, indicator=indicators[code], value_number=Decimal(12)
        )
    _translate(indicators["NUM"], title_en="Children withdrawn", title_fr="Enfants retirés")
    _translate(indicators["PCT"], title_en="Households covered")
    return report


def test_the_secretariat_enters_an_indicator_in_three_languages_side_by_side(
    client_for, secretariat, indicators
):
    indicator = indicators["NUM"]
    url = reverse("admin:pathfinders_indicator_change", args=[indicator.pk])
    client = client_for(secretariat)
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}

    data |= {"title_fr": "Enfants retirés", "title_es": "Niños retirados", "guidance_es": "Guía"}
    response = client.post(url, data)

    for name in ("title_en", "title_fr", "title_es", "guidance_fr", "pillar_es", "unit_fr"):
        assert f'name="{name}"' in page.content.decode()
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.title_fr, indicator.title_es, indicator.guidance_es) == (
        "Enfants retirés",
        "Niños retirados",
        "Guía",
    )
    stored = Indicator.objects.rewrite(False).filter(pk=indicator.pk)
    assert stored.values_list("title", flat=True).get() == indicator.title_en


def test_a_french_secretariat_member_saving_keeps_the_original_column_in_english(
    client_for, secretariat, indicators
):
    indicator = indicators["NUM"]
    _translate(indicator, title_en="Children withdrawn", title_fr="Enfants retirés")
    url = reverse("admin:pathfinders_indicator_change", args=[indicator.pk])
    client = client_for(reading_in(secretariat, "fr"))
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}

    client.post(url, data)

    assert '<html lang="fr"' in page.content.decode()
    # The original column itself (rewrite(False): not the active language's).
    stored = Indicator.objects.rewrite(False).filter(pk=indicator.pk)
    assert stored.values_list("title", flat=True).get() == "Children withdrawn"


def test_a_french_reader_sees_the_french_title_on_the_country_page(
    client_for, secretariat, accepted
):
    page = (
        client_for(reading_in(secretariat, "fr"))
        .get(reverse("pathfinders:country_detail", args=["FJ"]))
        .content.decode()
    )

    assert "NUM Enfants retirés" in page
    assert 'PCT <span lang="en">Households covered</span>' in page
    assert "Children withdrawn" not in page


def test_an_english_reader_sees_english_on_the_country_page(client_for, secretariat, accepted):
    page = (
        client_for(reading_in(secretariat, "en"))
        .get(reverse("pathfinders:country_detail", args=["FJ"]))
        .content.decode()
    )

    assert "NUM Children withdrawn" in page
    assert "PCT Households covered" in page
    assert "Enfants retirés" not in page
    assert '<span lang="en">' not in page


def test_the_progress_form_shows_a_french_reader_the_french_title_and_guidance(
    client_for, focal_point, report, indicators
):
    _translate(
        indicators["NUM"],
        title_en="Children withdrawn",
        title_fr="Enfants retirés",
        guidance_en="Count each child once.",
        guidance_fr="Compter chaque enfant une fois.",
        pillar_en="Prevention",
        pillar_fr="Prévention",
    )
    _translate(indicators["PCT"], title_en="Households covered", pillar_en="Prevention")

    page = (
        client_for(reading_in(focal_point, "fr"))
        .get(reverse("pathfinders:report_edit", args=[report.pk]))
        .content.decode()
    )

    assert "<legend>NUM Enfants retirés</legend>" in page
    assert "Compter chaque enfant une fois." in page
    assert '<legend>PCT <span lang="en">Households covered</span></legend>' in page
    assert "Count each child once." not in page
