"""Dates on the portal's pages are written in the reader's language and conventions.

A French or Spanish reader walks the demo's pages; the text they can read (not links, form values
or machine-readable attributes) holds no ISO date ("2021-01-15") and no English-style month
abbreviation ("19 Déc 2026", "Jui" for both juin and juillet): French and Spanish write "19 déc.
2026" and "19 dic 2026", with non-breaking spaces so a date never breaks across lines.
"""

import re

import pytest

from tests.reader_pages import demo_loaded, pages_to_read, read, readable_text

ISO_DATE = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b")
# "Déc 2026", "Jui 2025", "Dic 2027": a French or Spanish month capitalised and cut to three
# letters, as English abbreviates (English record content, "May 2023", is left alone).
ENGLISH_STYLE_MONTH = re.compile(r"\b(Fév|Avr|Mai|Jui|Aoû|Déc|Ene|Abr|Ago|Dic)\.?\s\d{4}\b")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_loaded(django_db_blocker):
        yield


@pytest.mark.parametrize("language", ["fr", "es"])
def test_pages_write_dates_in_the_readers_language(demo, db, language):
    found = []
    for page in pages_to_read():
        text = readable_text(read(page, language))
        for pattern in (ISO_DATE, ENGLISH_STYLE_MONTH):
            found += [(page.name, match.group(0)) for match in pattern.finditer(text)]
    assert sorted(set(found)) == []
