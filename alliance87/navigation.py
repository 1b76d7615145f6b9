"""The navigation bar: each entry appears once its page exists and the person may open it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from alliance87.access import can_read_everything, is_secretariat, role_names


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable


def _signed_in(user) -> bool:
    return user.is_authenticated


def _has_role(user) -> bool:
    """Anyone the Secretariat gave a role; a signed-in person without one sees the dashboard."""
    return is_secretariat(user) or bool(role_names(user))


ITEMS = [
    NavItem(_("Dashboard"), "dashboard", _signed_in),
    NavItem(_("Vision and progress"), "vision:progress", can_read_everything),
    NavItem(_("Pathfinder Countries"), "pathfinders:overview", _has_role),
    NavItem(_("Review queue"), "pathfinders:review_queue", is_secretariat),
    NavItem(_("GCG"), "governance:composition", _has_role),
    NavItem(_("Groups"), "governance:group_list", _has_role),
    NavItem(_("Partners"), "governance:partner_analysis", can_read_everything),
    NavItem(_("Financing"), "financing:gaps", _has_role),
    NavItem(_("Secretariat funding"), "financing:sustainability", can_read_everything),
    NavItem(_("Events"), "workshops:event_list", _signed_in),  # public events are open to all
    NavItem(_("Follow-ups"), "workshops:followup_board", can_read_everything),
    NavItem(_("PDF reports"), "reports:my_reports", _has_role),
    NavItem(_("Invite"), "accounts:invite", is_secretariat),
    NavItem(_("Admin"), "admin:index", is_secretariat),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in ITEMS:
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
