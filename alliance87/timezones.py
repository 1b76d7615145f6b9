"""Time zones: which one a person reads times in, and how a time is written for them.

A person's zone is the one saved on their account, else the default an app offers for them
(pathfinders: the zone of the country a focal point answers for), else settings.TIME_ZONE.
This package imports no app: an app registers what it offers in its AppConfig.ready
(`register_default_provider`), as apps register their background jobs (alliance87.jobs).

Every time shown is written by `format_moment`, in the active zone, in the language's own
format and with the zone named: "Dec. 6, 2026, 2:03 p.m. (Fiji)" in English,
"6 décembre 2026 14:03 (Fidji)" in French. The template filter `moment`
(alliance87/templatetags/portal_time.py) is the same rule for templates.

A zone is named as CLDR names its place in the reader's language (`zone_label`): its country,
with its city where the country has several zones ("Argentine (Buenos Aires)"). What is stored
and submitted stays the zone database's name ("America/Argentina/Buenos_Aires").
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone_location
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance87.countries import name_sort_key

# Names in the zone database that are not places: a person or a country never picks them.
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules", "posix", "right"})

# The regions of the select box, in the order shown; the other names are aliases (US/Eastern,
# Etc/GMT+5, Japan) that the box leaves out, though they stay valid.
REGIONS = {
    "Africa": gettext_lazy("Africa"),
    "America": gettext_lazy("Americas"),
    "Antarctica": gettext_lazy("Antarctica"),
    "Arctic": gettext_lazy("Arctic"),
    "Asia": gettext_lazy("Asia"),
    "Atlantic": gettext_lazy("Atlantic Ocean"),
    "Australia": gettext_lazy("Australia"),
    "Europe": gettext_lazy("Europe"),
    "Indian": gettext_lazy("Indian Ocean"),
    "Pacific": gettext_lazy("Pacific Ocean"),
}

# The names of Coordinated Universal Time, which is no place.
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Zulu"})
# CLDR's territories that are no country: the world (Antarctic stations), an unknown region.
_NO_COUNTRY = frozenset({"001", "ZZ"})

# What "from my country" means for a person: f(user) -> an IANA name, or "" / None when the
# app has nothing to offer. The first provider with an answer wins.
DefaultProvider = Callable[[object], str | None]
_PROVIDERS: list[DefaultProvider] = []

# The session remembers a person's default, worked out once at sign-in (see
# `remember_default`), so pages never ask the database for it.
SESSION_KEY = "alliance87_default_time_zone"


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - _NOT_PLACES


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            gettext_lazy(
                "“%(value)s” is not a time zone name. Give an IANA name such as Pacific/Fiji."
            ),
            code="invalid_time_zone",
            params={"value": value},
        )


def _aliases() -> Mapping[str, str]:
    """Old names of the zone database ("Asia/Calcutta") -> today's ("Asia/Kolkata")."""
    return get_global("zone_aliases")


@cache
def _grouped_names() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each region's zones, by today's names: an old name would name the same place twice."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in known_time_zones() - set(_aliases()):
        region, _slash, place = name.partition("/")
        if region in REGIONS and place:
            groups[region].append(name)
    return tuple((region, tuple(groups[region])) for region in REGIONS if groups[region])


def _language(language: str | None) -> str:
    active = language or translation.get_language() or settings.LANGUAGE_CODE
    return active.replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=2048)
def _zone_label(name: str, language: str) -> str:
    if name in _UTC_NAMES:
        return "UTC"
    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse(settings.LANGUAGE_CODE)
    city = get_timezone_location(name, locale=locale, return_city=True)
    territory = get_global("zone_territories").get(_aliases().get(name, name), "ZZ")
    country = None if territory in _NO_COUNTRY else locale.territories.get(territory)
    if not country:
        return city
    if len(get_global("territory_zones").get(territory, ())) == 1:
        return country
    return locale.zone_formats["fallback"] % {"0": city, "1": country}


def zone_label(name: str, language: str | None = None) -> str:
    """The zone's place in that language (the active one by default), as CLDR names it:
    "Fidji", "Argentine (Buenos Aires)", "États-Unis (New York)"; UTC stays UTC."""
    return _zone_label(name, _language(language))


@lru_cache(maxsize=8)
def _choices(language: str) -> tuple:
    with translation.override(language):
        return tuple(
            (
                str(REGIONS[region]),
                tuple(
                    sorted(
                        ((name, _zone_label(name, language)) for name in names),
                        key=lambda choice: name_sort_key(choice[1]),
                    )
                ),
            )
            for region, names in _grouped_names()
        )


def time_zone_choices(keep: str = "") -> list:
    """The zones a person may pick, grouped by region (optgroups of a plain select box), each
    named and sorted in the reader's language; UTC first. `keep`: a zone already chosen that
    the box would leave out (an old name), kept so that saving the form does not lose it."""
    choices: list = [("UTC", "UTC")]
    listed = {name for _region, names in _grouped_names() for name in names}
    if keep and keep != "UTC" and keep not in listed and keep in known_time_zones():
        choices.append((keep, zone_label(keep)))
    choices += [(region, list(names)) for region, names in _choices(_language(None))]
    return choices


def register_default_provider(provider: DefaultProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def default_time_zone(user) -> str:
    """The zone a person reads times in when they chose none: an app's answer (their
    country's), else the portal's."""
    if user is not None and getattr(user, "is_authenticated", False):
        for provider in _PROVIDERS:
            name = provider(user)
            if name and name in known_time_zones():
                return name
    return settings.TIME_ZONE


def time_zone_for(user) -> str:
    """The zone a person reads times in: their own setting, else their default.
    Anonymous: settings.TIME_ZONE."""
    if user is None or not getattr(user, "is_authenticated", False):
        return settings.TIME_ZONE
    chosen = getattr(user, "time_zone", "")
    if chosen and chosen in known_time_zones():
        return chosen
    return default_time_zone(user)


def remember_default(request, user) -> str:
    """Work out a person's default zone and keep it in their session (at sign-in)."""
    name = default_time_zone(user)
    request.session[SESSION_KEY] = name
    return name


def time_zone_for_request(request) -> str:
    """The zone of the person making the request, worked out at most once a session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return settings.TIME_ZONE
    chosen = getattr(user, "time_zone", "")
    if chosen and chosen in known_time_zones():
        return chosen
    remembered = request.session.get(SESSION_KEY)
    if remembered and remembered in known_time_zones():
        return remembered
    return remember_default(request, user)


def format_moment(value: datetime.datetime | datetime.date | None) -> str:
    """A moment as people read it: in the active zone, in the language's own format (Django's
    DATETIME_FORMAT), the zone named. A date stays a date (DATE_FORMAT); None or "" gives ""."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        if isinstance(value, datetime.date):
            return formats.date_format(value, "DATE_FORMAT")
        return str(value)
    if timezone.is_naive(value):  # the database's times are aware; a naive one is the portal's
        value = timezone.make_aware(value, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    when = formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    zone = zone_label(timezone.get_current_timezone_name())
    return _("%(when)s (%(zone)s)") % {"when": when, "zone": zone}
