"""Country names in the reader's language (CLDR), the stored name in English."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from alliance87.accounts.forms import InvitationForm
from alliance87.countries import _territories, country_name, name_sort_key
from alliance87.reports import services as report_services
from tests.factories import CountryFactory
from tests.financing.factories import FundingRequirementFactory
from tests.pathfinders.factories import PathfinderFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("pathfinders:overview")
OVERVIEW_CSV = reverse("pathfinders:overview_export", args=["csv"])
GAPS = reverse("financing:gaps")


def reader(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def options(content: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', content, re.S)
    assert select, f"no select named {name}"
    return [
        label.strip()
        for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', select[0])
    ]


@pytest.fixture
def fiji(country):
    return PathfinderFactory(country=country)


def test_the_name_comes_from_cldr_in_french_and_spanish_and_is_the_stored_one_in_english():
    assert country_name("FJ", "Fiji", "fr") == "Fidji"
    assert country_name("FJ", "Fiji", "es") == "Fiyi"
    assert country_name("CI", "Côte d'Ivoire", "fr") == "Côte d’Ivoire"
    assert country_name("FJ", "Fiji", "en") == "Fiji"
    with translation.override("fr"):
        assert country_name("FJ", "Fiji") == "Fidji"


def test_a_code_cldr_does_not_name_as_a_country_keeps_the_stored_name():
    assert country_name("AA", "Atlantis", "fr") == "Atlantis"
    assert country_name("ZZ", "Somewhere", "fr") == "Somewhere"  # CLDR: "région inconnue"
    assert country_name("XK", "Kosovo", "es") == "Kosovo"


def test_the_locale_is_parsed_once_per_language():
    assert _territories("fr") is _territories("fr")


def test_the_model_gives_the_active_languages_name(country):
    with translation.override("fr"):
        assert (country.local_name, str(country)) == ("Fidji", "Fidji")
    with translation.override("en"):
        assert str(country) == "Fiji"


def test_names_sort_as_a_french_reader_expects_accents_aside():
    names = [country_name(code, code, "fr") for code in ["FJ", "ET", "SZ", "EC", "EG"]]

    assert sorted(names, key=name_sort_key) == [
        "Égypte",
        "Équateur",
        "Eswatini",
        "Éthiopie",
        "Fidji",
    ]


def test_a_french_reader_sees_fidji_on_the_overview_and_an_english_one_fiji(
    client_for, gcg_member, gcg_observer, fiji
):
    english = client_for(gcg_observer).get(OVERVIEW).content.decode()
    french = client_for(reader(gcg_member, "fr")).get(OVERVIEW).content.decode()

    # The same figures, each in its reader's language (the cached rows are kept per language).
    assert "Fiji" in english and "Fidji" not in english
    assert "Fidji" in french and ">Fiji<" not in french


def test_the_overview_sorts_by_the_name_the_reader_sees(client_for, gcg_member, fiji):
    for code, name in [("EG", "Egypt"), ("EC", "Ecuador"), ("SZ", "Eswatini")]:
        PathfinderFactory(country=CountryFactory(iso_code=code, name=name))

    content = client_for(reader(gcg_member, "fr")).get(OVERVIEW).content.decode()

    shown = [content.index(name) for name in ["Égypte", "Équateur", "Eswatini", "Fidji"]]
    assert shown == sorted(shown)


def test_the_french_csv_of_the_overview_says_fidji(client_for, gcg_member, fiji):
    content = client_for(reader(gcg_member, "fr")).get(OVERVIEW_CSV).content.decode("utf-8-sig")

    assert "Fidji" in content and "Fiji" not in content


def test_a_spanish_reader_sees_fiyi_on_the_country_page(client_for, gcg_member, fiji):
    page = client_for(reader(gcg_member, "es")).get(
        reverse("pathfinders:country_detail", args=["FJ"])
    )

    assert "<h1>Fiyi</h1>" in page.content.decode()


def test_a_french_reader_sees_fidji_on_the_country_page(client_for, gcg_member, fiji):
    page = client_for(reader(gcg_member, "fr")).get(
        reverse("pathfinders:country_detail", args=["FJ"])
    )

    assert "<h1>Fidji</h1>" in page.content.decode()


def test_a_country_without_a_cldr_name_shows_its_stored_name(client_for, gcg_member):
    PathfinderFactory(country=CountryFactory(iso_code="AA", name="Atlantis"))

    content = client_for(reader(gcg_member, "fr")).get(OVERVIEW).content.decode()

    assert "Atlantis" in content


def test_the_gap_pages_country_filter_is_in_french_and_in_french_order(
    client_for, gcg_member, country
):
    for code, name in [("EG", "Egypt"), ("EC", "Ecuador"), ("SZ", "Eswatini"), ("ET", "Ethiopia")]:
        CountryFactory(iso_code=code, name=name)
    FundingRequirementFactory(country=country)

    french = client_for(reader(gcg_member, "fr")).get(GAPS).content.decode()

    assert options(french, "country") == ["Égypte", "Équateur", "Eswatini", "Éthiopie", "Fidji"]


def test_the_gap_pages_country_filter_stays_english_for_an_english_reader(
    client_for, gcg_member, country
):
    CountryFactory(iso_code="EG", name="Egypt")

    english = client_for(gcg_member).get(GAPS).content.decode()

    assert options(english, "country") == ["Egypt", "Fiji"]


def test_the_gap_table_names_the_country_in_the_readers_language(
    client_for, gcg_member, gcg_observer, country
):
    FundingRequirementFactory(country=country)

    english = client_for(gcg_observer).get(GAPS).content.decode()
    spanish = client_for(reader(gcg_member, "es")).get(GAPS).content.decode()

    table = re.compile(r'<table[^>]*id="table-gaps".*?</table>', re.S)
    assert "Fiji" in table.search(english)[0]
    assert "Fiyi" in table.search(spanish)[0] and "Fiji" not in table.search(spanish)[0]


def test_the_invitation_form_lists_countries_in_the_readers_order(country):
    CountryFactory(iso_code="EG", name="Egypt")
    CountryFactory(iso_code="DE", name="Germany")

    with translation.override("fr"):
        labels = [str(label) for _value, label in InvitationForm().fields["countries"].choices]

    assert labels == ["Allemagne", "Égypte", "Fidji"]


def test_a_pdf_in_french_says_fidji(
    settings, tmp_path, gcg_member, fiji, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = report_services.report_request(
            user=gcg_member, kind="country_dossier", parameters={"country": "FJ"}, language="fr"
        )
    report.refresh_from_db()
    assert report.status == "done", report.error_detail

    text = pdf_text(report)
    assert "Fidji" in text and "Fiji" not in text
