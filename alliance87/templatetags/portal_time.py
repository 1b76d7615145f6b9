"""Times as people read them: `{{ report.submitted_at|moment }}` gives "Dec. 6, 2026,
2:03 p.m. (Fiji)" in the reader's zone (activated by UserTimeZoneMiddleware) and
language. One rule for every page, email and PDF: alliance87.timezones.format_moment."""

from django import template
from django.utils import timezone

from alliance87.timezones import format_moment, zone_label

register = template.Library()


@register.filter(expects_localtime=False)
def moment(value) -> str:
    return format_moment(value)


@register.simple_tag
def time_zone_name() -> str:
    """The zone the page's times are in (for a table header or a rule's sentence), named in
    the reader's language."""
    return zone_label(timezone.get_current_timezone_name())


@register.filter
def zone_name(value: str) -> str:
    """A zone's name ("Pacific/Fiji") as the reader names its place ("Fidji")."""
    return zone_label(value) if value else ""
