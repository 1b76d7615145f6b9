from functools import lru_cache

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from workshops.models import FollowUpAction

register = template.Library()

# Colour follows meaning; the badge always carries the status text too.
_BADGES = {
    "planned": "blue",
    "ongoing": "amber",
    "held": "green",
    "cancelled": "grey",
    "proposed": "blue",
    "adopted": "green",
    "rejected": "red",
    "deferred": "amber",
    "open": "blue",
    "in_progress": "amber",
    "done": "green",
    "dropped": "grey",
    "draft": "grey",
    "circulated": "blue",
    "approved": "green",
    "not_sent": "grey",
    "invited": "blue",
    "accepted": "green",
    "declined": "red",
    "unknown": "grey",
    "attended": "green",
    "absent": "amber",
}


@register.filter
def badge_class(status: str) -> str:
    return f"badge badge--{_BADGES.get(status, 'grey')}"


_FOLLOW_UP_STATUS_LABELS = dict(FollowUpAction.Status.choices)


@register.filter
def follow_up_status_label(status: str) -> str:
    """What `get_status_display` shows, without rebuilding the choices for every row."""
    return str(_FOLLOW_UP_STATUS_LABELS.get(status, status))


@register.simple_tag
def status_options(choices: list[tuple[str, str]], current: str) -> SafeString:
    """The <option>s of a follow-up's status select box, the current status selected."""
    return _status_options(tuple(choices), current)


@lru_cache(maxsize=64)
def _status_options(choices: tuple[tuple[str, str], ...], current: str) -> SafeString:
    # The same few strings for every row of a table: the choices hold the translated
    # labels, so each language has its own entries.
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == current else "", label) for value, label in choices),
    )
