"""The portal's pages as a French or Spanish reader reads them, on the demo data.

Shared by the tests that read the pages in the reader's language (dates, English words): the
list of pages, the demo loaded once per test module, and the text a reader sees or hears.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from io import StringIO

from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from alliance87.accounts.models import User
from financing.models import FundingFlow
from governance.models import ActionGroup, CallForInterest, GCGMeeting
from pathfinders.models import ProgressReport
from tests.browser.portal_pages import GCG_MEMBER, SECRETARIAT, portal_pages
from workshops.models import Event

# Attributes a reader sees (a tooltip, a placeholder) or a screen reader speaks.
SPOKEN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}
# An <input>'s value is read on its button; on a text field it is the reader's own.
BUTTON_INPUTS = {"submit", "button", "reset"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip


class ReadableText(HTMLParser):
    """The texts a reader sees or hears, one per text node or spoken attribute: outside
    scripts, styles, templates and code, and outside the elements marked as English (`lang="en"`:
    a recorded text not yet translated shows through in English, and says so)."""

    # Code, and what the page runs or holds unseen (a <textarea> holds the reader's own text).
    SKIPPED = {"script", "style", "template", "textarea", "code", "kbd", "samp"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.english: list[str] = []  # the texts marked as English
        self.title = ""
        # Open elements: (tag, skipped) where skipped holds for the element and its children.
        self._open: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        lang = values.get("lang")
        skipped = self._skipping() if lang is None else lang.lower().startswith("en")
        skipped = skipped or tag in self.SKIPPED
        if not skipped:
            self.parts += [value for name, value in attrs if name in SPOKEN_ATTRIBUTES and value]
            if tag == "input" and values.get("type") in BUTTON_INPUTS and values.get("value"):
                self.parts.append(values["value"])
        if tag not in VOID_ELEMENTS:
            self._open.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self._open.pop()

    def handle_endtag(self, tag):
        # Close up to the matching element (HTML leaves some end tags out: </p>, </li>).
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        if not data.strip():
            return
        if self._open and self._open[-1][0] == "title":
            self.title += data
        elif not self._skipping():
            self.parts.append(data)
        elif self._open[-1][0] not in self.SKIPPED:
            self.english.append(data.strip())

    def close(self):
        super().close()
        # A <title> holds text only: a recorded English text there (an event's title shown
        # through) cannot be marked, but is marked where the page shows it too.
        title = self.title
        for text in sorted(self.english, key=len, reverse=True):
            title = title.replace(text, " ")
        if title.strip():
            self.parts.insert(0, title)


def readable_parts(html: str) -> list[str]:
    parser = ReadableText()
    parser.feed(html)
    parser.close()
    return parser.parts


def readable_text(html: str) -> str:
    return " ".join(readable_parts(html))


@contextmanager
def demo_loaded(django_db_blocker) -> Iterator[None]:
    """The demo data for a whole test module, loaded once and rolled back at its end (each
    test runs inside, in a savepoint of its own)."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=fast):
            call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@dataclass(frozen=True)
class ReaderPage:
    name: str
    email: str | None  # None: read signed out
    path: str
    status: int = 200


def _records() -> dict:
    """A record of each kind the pages below show, picked from the demo."""
    meeting = GCGMeeting.objects.order_by("-number").first()
    return {
        "accepted": ProgressReport.objects.filter(status="accepted").order_by("pk").first(),
        "gcg_meeting": Event.objects.filter(kind=Event.Kind.GCG_MEETING).order_by("-pk").first(),
        "meeting_number": meeting.number,
        "group": ActionGroup.objects.order_by("pk").first(),
        "call": CallForInterest.objects.order_by("pk").first(),
        "donor": FundingFlow.objects.order_by("pk").first().source,
    }


def pages_to_read() -> list[ReaderPage]:
    """Every page of the portal a person reads (the Django admin aside), as one who may."""
    pages = [
        ReaderPage(page.name, page.email, page.path)
        for page in portal_pages()
        if not page.name.startswith("admin")
    ]
    r = _records()
    pages += [
        ReaderPage("vision", GCG_MEMBER, reverse("vision:progress")),
        ReaderPage("country page (GCG)", GCG_MEMBER, reverse("pathfinders:country_detail", args=["UZ"])),
        ReaderPage("accepted report", SECRETARIAT, reverse("pathfinders:report_detail", args=[r["accepted"].pk])),
        ReaderPage("review queue", SECRETARIAT, reverse("pathfinders:review_queue")),
        ReaderPage("journey stage form", SECRETARIAT, reverse("pathfinders:country_stage", args=["FJ"])),
        ReaderPage("GCG meetings", GCG_MEMBER, reverse("governance:meeting_list")),
        ReaderPage("GCG meeting decisions", GCG_MEMBER, reverse("governance:meeting_detail", args=[r["meeting_number"]])),
        ReaderPage("groups", GCG_MEMBER, reverse("governance:group_list")),
        ReaderPage("group page", GCG_MEMBER, reverse("governance:group_detail", args=[r["group"].pk])),
        ReaderPage("group proposal form", SECRETARIAT, reverse("governance:group_propose")),
        ReaderPage("call for interest", SECRETARIAT, reverse("governance:call_detail", args=[r["call"].pk])),
        ReaderPage("new call for interest", SECRETARIAT, reverse("governance:call_create")),
        ReaderPage("partner analysis", SECRETARIAT, reverse("governance:partner_analysis")),
        ReaderPage("events", GCG_MEMBER, reverse("workshops:event_list")),
        ReaderPage("my registrations", GCG_MEMBER, reverse("workshops:my_registrations")),
        ReaderPage("GCG meeting", SECRETARIAT, reverse("workshops:event_detail", args=[r["gcg_meeting"].pk])),
        ReaderPage("agenda to print", SECRETARIAT, reverse("workshops:event_agenda_print", args=[r["gcg_meeting"].pk])),
        ReaderPage("minutes form", SECRETARIAT, reverse("workshops:minutes_edit", args=[r["gcg_meeting"].pk])),
        ReaderPage("new follow-up action", SECRETARIAT, reverse("workshops:followup_create", args=[r["gcg_meeting"].pk])),
        ReaderPage("document upload", SECRETARIAT, reverse("workshops:document_upload", args=[r["gcg_meeting"].pk])),
        ReaderPage("funding flows", SECRETARIAT, reverse("financing:flow_list")),
        ReaderPage("donor ledger", SECRETARIAT, reverse("financing:donor_ledger", args=[r["donor"].pk])),
        ReaderPage("funding flow import", SECRETARIAT, reverse("financing:flow_import")),
        ReaderPage("sustainability", SECRETARIAT, reverse("financing:sustainability")),
        ReaderPage("PDF reports", SECRETARIAT, reverse("reports:my_reports")),
        ReaderPage("home", None, reverse("home")),
        ReaderPage("public profiles", None, reverse("pathfinders:public_list")),
        ReaderPage("public profile", None, reverse("pathfinders:public_detail", args=["FJ"])),
        ReaderPage("open data", None, reverse("open_data")),
        ReaderPage("API documentation", GCG_MEMBER, reverse("api:docs")),
        ReaderPage("password reset", None, reverse("account_reset_password")),
        ReaderPage("password reset sent", None, reverse("account_reset_password_done")),
        ReaderPage("password change", GCG_MEMBER, reverse("account_change_password")),
        ReaderPage("email addresses", GCG_MEMBER, reverse("account_email")),
        ReaderPage("two-factor", GCG_MEMBER, reverse("mfa_index")),
        ReaderPage("account settings", GCG_MEMBER, reverse("accounts:settings")),
        ReaderPage("API tokens", GCG_MEMBER, reverse("accounts:api_tokens")),
        ReaderPage("invitation", SECRETARIAT, reverse("accounts:invite")),
        ReaderPage("page not found", GCG_MEMBER, "/pathfinders/no-such-page/", status=404),
    ]  # fmt: skip
    return pages


def admin_pages() -> list[ReaderPage]:
    """The Django admin as the Secretariat reads it: its index and, for each model registered
    that they may see, its list, its add form (where they may add) and the change form of
    one demo record."""
    request = RequestFactory().get("/")
    request.user = User.objects.get(email=SECRETARIAT)
    pages = [ReaderPage("admin", SECRETARIAT, reverse("admin:index"))]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        opts = model._meta
        name, url = (
            f"admin {opts.app_label}.{opts.model_name}",
            f"admin:{opts.app_label}_{opts.model_name}",
        )
        pages.append(ReaderPage(f"{name} list", SECRETARIAT, reverse(f"{url}_changelist")))
        if model_admin.has_add_permission(request):
            pages.append(ReaderPage(f"{name} add", SECRETARIAT, reverse(f"{url}_add")))
        record = model_admin.get_queryset(request).order_by("pk").first()
        if record is not None:
            pages.append(
                ReaderPage(
                    f"{name} {record.pk}", SECRETARIAT, reverse(f"{url}_change", args=[record.pk])
                )
            )
    return pages


def read(page: ReaderPage, language: str) -> str:
    """The page's HTML as a reader in `language` gets it: their account set to it, or their
    browser asking for it when signed out."""
    client = Client(headers={"accept-language": language})
    if page.email:
        user = User.objects.get(email=page.email)
        User.objects.filter(pk=user.pk).update(language=language)
        client.force_login(user)
    response = client.get(page.path)
    assert response.status_code == page.status, (page.name, response.status_code)
    return response.content.decode()
