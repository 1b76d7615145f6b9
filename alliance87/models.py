"""Reference data every area of the Alliance shares: countries and their ILO regions, and the
focal points who answer for a country (access to a country's records follows them).

The tables keep the names they had when these models lived in `pathfinders`.
"""

import functools
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance87.countries import country_name
from alliance87.timezones import validate_time_zone


class IloRegion(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ARAB_STATES = "arab_states", _("Arab States")
    ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
    EUROPE_CENTRAL_ASIA = "europe_central_asia", _("Europe and Central Asia")


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    """The time zone of that name, read from disk once per process: ZoneInfo keeps only the
    last few zones once nothing refers to them, and the reporting figures go through sixty
    countries' zones hundreds of times a page."""
    return zoneinfo.ZoneInfo(name)


# The events' manager is made by django-modeltranslation when the app registry loads
# (workshops/translation.py), which the type checker's Django plugin cannot name.
class Country(models.Model):  # type: ignore[django-manager-missing]
    iso_code = models.CharField(
        _("ISO 3166 code"), max_length=2, unique=True, help_text=_("Two letters, e.g. FJ.")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    ilo_region = models.CharField(_("ILO region"), max_length=30, choices=IloRegion.choices)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_(
            "The IANA time zone of the capital, e.g. Pacific/Fiji: report deadlines end at "
            "midnight there."
        ),
    )

    class Meta:
        db_table = "pathfinders_country"
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(iso_code__regex=r"^[A-Z]{2}$"),
                name="pathfinders_country_iso_code_two_capitals",
            ),
        ]

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the active language (CLDR), or the stored name (see alliance87.countries)."""
        return country_name(self.iso_code, self.name)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return _zone(self.time_zone)


class FocalPoint(models.Model):
    """Binds a person to a country they answer for; access to the country's reports follows it."""

    class Capacity(models.TextChoices):
        GOVERNMENT = "government", _("Government focal point")
        WORKERS = "workers", _("Workers' representative")
        EMPLOYERS = "employers", _("Employers' representative")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="focal_point_assignments",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="focal_points"
    )
    capacity = models.CharField(
        _("capacity"), max_length=20, choices=Capacity.choices, default=Capacity.GOVERNMENT
    )
    history = HistoricalRecords(table_name="pathfinders_historicalfocalpoint")

    class Meta:
        db_table = "pathfinders_focalpoint"
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        ordering = ["country__name", "capacity"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "country"], name="pathfinders_focal_point_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.country} ({self.get_capacity_display()})"
