"""The navigation bar: each entry appears once its page exists and the person may open it.

This module imports no app: each app registers its entries in its AppConfig.ready() with
`register(NavItem(...), ...)`; they appear between the dashboard and the portal's own
entries, in the order the apps are installed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alliance87.access import is_secretariat, role_names


@dataclass(frozen=True)
class NavItem:
    label: "str | Promise"
    url_name: str
    allowed: Callable


def signed_in(user) -> bool:
    return user.is_authenticated


def has_role(user) -> bool:
    """Anyone the Secretariat gave a role; a signed-in person without one sees the dashboard."""
    return is_secretariat(user) or bool(role_names(user))


FIRST = [NavItem(_("Dashboard"), "dashboard", signed_in)]
LAST = [
    NavItem(_("PDF reports"), "reports:my_reports", has_role),
    NavItem(_("Invite"), "accounts:invite", is_secretariat),
    NavItem(_("Admin"), "admin:index", is_secretariat),
]
_REGISTERED: list[NavItem] = []


def register(*items: NavItem) -> None:
    """Add an app's entries to the navigation bar (once, however often it is called)."""
    _REGISTERED.extend(item for item in items if item not in _REGISTERED)


class NavEntry(TypedDict):
    """An entry as the navigation bar shows it."""

    label: "str | Promise"
    url: str
    active: bool


def nav_items() -> list[NavItem]:
    return [*FIRST, *_REGISTERED, *LAST]


def navigation(request: HttpRequest) -> dict[str, list[NavEntry]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[NavEntry] = []
    for item in nav_items():
        if not item.allowed(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": False})
    # The current page belongs to the entry with the longest matching address, so that
    # /events/follow-ups/ marks "Follow-ups" and not "Events" too.
    matches = [
        i
        for i in items
        if request.path == i["url"]
        or (i["url"] != "/dashboard/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}
