from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EstimateSeries, GlobalEstimate


class GlobalEstimateInline(admin.TabularInline):
    model = GlobalEstimate
    extra = 0
    fields = [
        "year",
        "figure",
        "source",
        "publication",
        "published_year",
        "link",
        "notes",
        "is_demo",
    ]


@admin.register(EstimateSeries)
class EstimateSeriesAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "theme", "unit", "measures_target", "order"]
    list_filter = ["theme", "measures_target"]
    search_fields = ["measure"]
    inlines = [GlobalEstimateInline]


@admin.register(GlobalEstimate)
class GlobalEstimateAdmin(SimpleHistoryAdmin):
    list_display = ["series", "year", "figure", "source", "publication", "is_demo"]
    list_filter = ["series", "is_demo"]
    list_select_related = ["series"]
    search_fields = ["series__measure", "source", "publication"]
