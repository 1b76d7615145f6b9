import datetime

from django.template import Context, Template
from django.utils import timezone, translation

AT = datetime.datetime(2026, 12, 5, 23, 43, tzinfo=datetime.UTC)


def render(source: str, **context) -> str:
    return Template("{% load portal_time %}" + source).render(Context(context))


def test_the_moment_filter_writes_the_time_in_the_active_zone_named():
    with timezone.override("Pacific/Fiji"):
        assert render("{{ at|moment }}", at=AT) == "Dec. 6, 2026, 11:43 a.m. (Fiji)"


def test_the_moment_filter_speaks_the_active_language():
    with timezone.override("America/Tegucigalpa"), translation.override("es"):
        assert render("{{ at|moment }}", at=AT) == ("5 de diciembre de 2026 a las 17:43 (Honduras)")


def test_no_moment_leaves_room_for_a_default():
    assert render('{{ at|moment|default:"–" }}', at=None) == "–"


def test_the_zone_name_tag_names_the_active_zone():
    with timezone.override("Europe/Paris"):
        assert render("{% time_zone_name %}") == "France"
