"""The `translated` tag: a recorded text in the active language, else the English marked
lang="en" (escaped, never trusted as HTML)."""

from django.template import Context, Template
from django.utils import translation


def render(record, field: str = "title", **options) -> str:
    extra = " paragraphs=True" if options.get("paragraphs") else ""
    template = Template(
        '{% load record_texts %}{% translated record "' + field + '"' + extra + " %}"
    )
    return template.render(Context({"record": record}))


def test_the_readers_language_is_shown_as_is():
    with translation.override("fr"):
        assert render({"title_en": "Children", "title_fr": "Enfants"}) == "Enfants"


def test_english_showing_through_is_marked_and_escaped():
    with translation.override("es"):
        html = render({"title_en": "<b>Children</b>", "title_es": None})

    assert html == '<span lang="en">&lt;b&gt;Children&lt;/b&gt;</span>'


def test_english_readers_see_english_unmarked():
    with translation.override("en"):
        assert render({"title_en": "Children & more", "title_fr": "Enfants"}) == (
            "Children &amp; more"
        )


def test_paragraphs_of_english_showing_through_are_marked_as_a_block():
    with translation.override("fr"):
        html = render({"purpose_en": "One.\n\nTwo.", "purpose_fr": ""}, "purpose", paragraphs=True)

    assert html == '<div lang="en"><p>One.</p>\n\n<p>Two.</p></div>'


def test_a_row_without_translations_shows_its_text():
    with translation.override("fr"):
        assert render({"title": "Children"}) == "Children"


def test_a_label_marks_only_the_english_not_the_pages_words_around_it():
    from alliance87.translated import RecordText

    label = RecordText(
        "Supply <Chains>", "en", prefix="Secrétariat : ", suffix=" (Travail des enfants)"
    )
    shown = Template("{% load record_texts %}{{ label|marked }}").render(Context({"label": label}))

    assert shown == (
        'Secrétariat : <span lang="en">Supply &lt;Chains&gt;</span> (Travail des enfants)'
    )
    assert str(label) == "Secrétariat : Supply <Chains> (Travail des enfants)"
