"""Dates on the portal's pages are written in the reader's language and conventions.

A French or Spanish reader walks the demo's pages; the text they can read (not links, form values
or machine-readable attributes) holds no ISO date ("2021-01-15") and no English-style month
abbreviation ("19 Déc 2026", "Jui" for both juin and juillet): French and Spanish write "19 déc.
2026" and "19 dic 2026", with non-breaking spaces so a date never breaks across lines.
"""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from alliance87.accounts.models import User
from pathfinders.models import ProgressReport
from tests.browser.portal_pages import GCG_MEMBER, SECRETARIAT, portal_pages
from workshops.models import Event

ISO_DATE = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b")
# "Déc 2026", "Jui 2025", "Dic 2027": a French or Spanish month capitalised and cut to three
# letters, as English abbreviates (English record content, "May 2023", is left alone).
ENGLISH_STYLE_MONTH = re.compile(r"\b(Fév|Avr|Mai|Jui|Aoû|Déc|Ene|Abr|Ago|Dic)\.?\s\d{4}\b")


class ReadableText(HTMLParser):
    """The text a reader sees: text nodes outside scripts, styles and templates."""

    SKIPPED = {"script", "style", "template", "textarea"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def readable_text(html: str) -> str:
    parser = ReadableText()
    parser.feed(html)
    return " ".join(parser.parts)


def pages_to_read() -> list[tuple[str, str | None, str]]:
    pages = [(page.name, page.email, page.path) for page in portal_pages()]
    accepted = ProgressReport.objects.filter(status="accepted").order_by("pk").first()
    gcg_meeting = Event.objects.filter(kind=Event.Kind.GCG_MEETING).order_by("-pk").first()
    pages += [
        ("vision", GCG_MEMBER, reverse("vision:progress")),
        ("country page (GCG)", GCG_MEMBER, reverse("pathfinders:country_detail", args=["UZ"])),
        ("accepted report", SECRETARIAT, reverse("pathfinders:report_detail", args=[accepted.pk])),
        ("review queue", SECRETARIAT, reverse("pathfinders:review_queue")),
        ("GCG meetings", GCG_MEMBER, reverse("governance:meeting_list")),
        ("groups", GCG_MEMBER, reverse("governance:group_list")),
        ("partner analysis", SECRETARIAT, reverse("governance:partner_analysis")),
        ("events", GCG_MEMBER, reverse("workshops:event_list")),
        ("GCG meeting", SECRETARIAT, reverse("workshops:event_detail", args=[gcg_meeting.pk])),
        ("funding flows", SECRETARIAT, reverse("financing:flow_list")),
        ("sustainability", SECRETARIAT, reverse("financing:sustainability")),
        ("public profiles", None, reverse("pathfinders:public_list")),
    ]
    return [page for page in pages if not page[0].startswith("admin")]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_pages_write_dates_in_the_readers_language(db, language):
    call_command("seed_demo", stdout=StringIO())
    User.objects.update(language=language)
    found = []
    for name, email, path in pages_to_read():
        client = Client(headers={"accept-language": language})
        if email:
            client.force_login(User.objects.get(email=email))
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        text = readable_text(response.content.decode())
        for pattern in (ISO_DATE, ENGLISH_STYLE_MONTH):
            found += [(name, match.group(0)) for match in pattern.finditer(text)]
    assert sorted(set(found)) == []
