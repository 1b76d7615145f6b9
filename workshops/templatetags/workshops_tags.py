from django import template

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
