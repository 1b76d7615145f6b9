from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Country, FocalPoint


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "iso_code", "ilo_region"]
    list_filter = ["ilo_region"]
    search_fields = ["name", "iso_code"]


@admin.register(FocalPoint)
class FocalPointAdmin(SimpleHistoryAdmin):
    list_display = ["user", "country", "capacity"]
    list_filter = ["capacity", "country__ilo_region"]
    search_fields = ["user__email", "user__last_name", "country__name"]
    list_select_related = ["user", "country"]
    autocomplete_fields = ["user", "country"]
