import datetime
from functools import lru_cache
from html import escape

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from alliance87.routing import route
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


@lru_cache(maxsize=64)
def _status_options(choices: tuple[tuple[str, str], ...], current: str) -> str:
    """The <option>s of a status select box, the current status selected: the same few
    strings for every row. The choices hold the translated labels, so each language has its
    own entries."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == current else "", label) for value, label in choices),
    )


_FOLLOW_UP_STATUS_LABELS = dict(FollowUpAction.Status.choices)


def _status_label(status: str) -> str:
    """What `get_status_display` shows, without rebuilding the choices for every row."""
    return str(_FOLLOW_UP_STATUS_LABELS.get(status, status))


@register.simple_tag(takes_context=True)
def follow_up_rows(
    context,
    actions: list[FollowUpAction],
    show_event: bool = False,
    can_edit: bool = False,
    status_choices: list[tuple[str, str]] = (),
) -> str:
    """The rows of a follow-up table, each with its status form for the Secretariat.

    Built here rather than in the template: the board shows fifty rows at a time, and the
    template engine took about ten times as long for the same markup. The text is the
    template's own: the same messages and date formats, every value escaped as the template
    escapes it (`escape` is Python's `html.escape`), translated messages with placeholders
    left unescaped as `blocktranslate` leaves them. The line breaks are where the template
    had them: they are the spaces between badges and controls.
    """
    request = context.get("request")
    next_path = escape(request.get_full_path()) if request is not None else ""
    token = context.get("csrf_token")
    csrf_input = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
        if token and str(token) != "NOTPROVIDED"
        else ""
    )
    overdue_badge = f'<span class="badge badge--red">{escape(gettext("Overdue"))}</span>'
    new_status = escape(gettext("New status"))
    save = escape(gettext("Save"))
    status_of = escape(gettext("status of"))
    on_the_agenda, done_on = gettext("On the agenda of %(meeting)s"), gettext("on %(date)s")
    choices = tuple(status_choices)
    event_url = route("workshops:event_detail")
    status_url = route("workshops:followup_status")
    dates: dict[datetime.date, str] = {}

    def date(value: datetime.date) -> str:
        if value not in dates:
            dates[value] = escape(formats.date_format(value, "j M Y"))
        return dates[value]

    today = timezone.localdate()
    rows = []
    for action in actions:
        pk = action.pk
        status = action.status
        overdue = action.is_open and action.due_date < today  # `is_overdue`, today read once
        carried = ""
        if action.carried_to_id is not None:
            meeting = escape(action.carried_to.event.title)
            carried = f'<br><span class="small muted">{on_the_agenda % {"meeting": meeting}}</span>'
        event_cell = ""
        if show_event:
            event_cell = (
                f'<td><a href="{escape(event_url(action.event_id))}#follow-ups">'
                f"{escape(action.event.title)}</a></td>\n"
            )
        completed = ""
        if action.completed_on:
            completed = f'<br><span class="small muted">{done_on % {"date": date(action.completed_on)}}</span>'
        form_cell = ""
        if can_edit:
            words = escape(Truncator(action.description).words(6, truncate=" …"))
            form_cell = (
                f'<td>\n<form method="post" action="{escape(status_url(pk))}" class="inline-form">\n'
                f"{csrf_input}\n"
                f'<input type="hidden" name="next" value="{next_path}#action-{pk}">\n'
                f'<label class="visually-hidden" for="status-{pk}">{new_status}</label>\n'
                f'<select name="status" id="status-{pk}">\n{_status_options(choices, status)}\n'
                f"</select>\n"
                f'<button type="submit" class="button button--small">{save}'
                f'<span class="visually-hidden"> {status_of} {words}</span></button>\n'
                f"</form>\n</td>\n"
            )
        row_class = ' class="is-overdue"' if overdue else ""
        rows.append(
            f'<tr id="action-{pk}"{row_class}>\n'
            f"<td>{escape(action.description)}{carried}</td>\n{event_cell}"
            f"<td>{escape(str(action.owner))}</td>\n"
            f'<td class="nowrap">{date(action.due_date)}</td>\n'
            f'<td>\n<span class="{badge_class(status)}">{escape(_status_label(status))}'
            f"</span>\n{overdue_badge if overdue else ''}\n{completed}\n</td>\n{form_cell}</tr>"
        )
    # Every value above is escaped; the rest is this function's own markup.
    return mark_safe("\n".join(rows))  # noqa: S308
