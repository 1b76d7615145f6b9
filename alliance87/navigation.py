"""The navigation bar: each entry appears once its page exists and the person may open it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from alliance87.access import can_read_everything, is_secretariat


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable


def _signed_in(user) -> bool:
    return user.is_authenticated


ITEMS = [
    NavItem(_("Dashboard"), "dashboard", _signed_in),
    NavItem(_("Pathfinder Countries"), "pathfinders:overview", _signed_in),
    NavItem(_("Review queue"), "pathfinders:review_queue", is_secretariat),
    NavItem(_("GCG"), "governance:composition", _signed_in),
    NavItem(_("Groups"), "governance:group_list", _signed_in),
    NavItem(_("Partners"), "governance:partner_analysis", can_read_everything),
    NavItem(_("Financing"), "financing:gaps", _signed_in),
    NavItem(_("Secretariat funding"), "financing:sustainability", can_read_everything),
    NavItem(_("Events"), "workshops:event_list", _signed_in),
    NavItem(_("Follow-ups"), "workshops:followup_board", can_read_everything),
    NavItem(_("PDF reports"), "reports:my_reports", _signed_in),
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
        active = request.path == url or (
            item.url_name != "dashboard" and request.path.startswith(url)
        )
        items.append({"label": item.label, "url": url, "active": active})
    return {"nav_items": items}
