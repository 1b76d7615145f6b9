"""The admin of the reference data every area shares (alliance87.models).

Registered from Alliance87Config.ready(): alliance87.admin defines the portal's admin site
itself, so it cannot register models on that site while the site is being built.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from alliance87.models import Country, FocalPoint
from alliance87.timezones import zone_label


class CountryFocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 0
    fields = ["user", "capacity"]
    autocomplete_fields = ["user"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "iso_code", "ilo_region", "zone"]
    list_filter = ["ilo_region"]
    search_fields = ["name", "iso_code"]
    inlines = [CountryFocalPointInline]

    @admin.display(description=_("time zone"), ordering="time_zone")
    def zone(self, obj: Country) -> str:
        """The zone named in the reader's language; the form keeps its database name."""
        return zone_label(obj.time_zone)


@admin.register(FocalPoint)
class FocalPointAdmin(SimpleHistoryAdmin):
    list_display = ["user", "country", "capacity"]
    list_filter = ["capacity", "country__ilo_region"]
    search_fields = ["user__email", "user__last_name", "country__name"]
    list_select_related = ["user", "country"]
    autocomplete_fields = ["user", "country"]
