import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance87.choices import Theme
from alliance87.filters import FilterSet

from .models import IloRegion, PathfinderCountry, ReportingPeriod, Stage

SORT_CHOICES = [
    ("country", _("Country (A–Z)")),
    ("-country", _("Country (Z–A)")),
    ("region", _("Region")),
    ("stage", _("Journey stage")),
    ("status", _("Report status")),
    ("-filled", _("Indicators filled (most first)")),
    ("filled", _("Indicators filled (fewest first)")),
    ("timeliness", _("Timeliness (overdue first)")),
    ("rating", _("Progress rating (red first)")),
    ("-rating", _("Progress rating (green first)")),
]


def _opened_periods(request) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(opens_on__lte=timezone.localdate())


class OverviewFilter(FilterSet):
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        field_name="country__ilo_region",
        choices=IloRegion.choices,
        empty_label=_("All regions"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Journey stage"), choices=Stage.choices, empty_label=_("All stages")
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme of a commitment"),
        choices=Theme.choices,
        method="filter_theme",
        empty_label=_("All themes"),
    )
    # The period chooses which reports the columns describe; it does not narrow the countries.
    period = django_filters.ModelChoiceFilter(
        label=_("Reporting period"),
        queryset=_opened_periods,
        method="keep_all",
        empty_label=_("Current period"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="keep_all", empty_label=None
    )

    class Meta:
        model = PathfinderCountry
        fields = ["region", "stage", "theme", "period", "sort"]

    def filter_theme(self, queryset, name, value):
        return queryset.filter(roadmaps__commitments__themes__contains=f",{value},").distinct()

    def keep_all(self, queryset, name, value):
        return queryset


class PipelineFilter(FilterSet):
    """The Pathfinder pipeline (the journey's funnel), by region."""

    region = django_filters.ChoiceFilter(
        label=_("Region"),
        field_name="country__ilo_region",
        choices=IloRegion.choices,
        empty_label=_("All regions"),
    )

    class Meta:
        model = PathfinderCountry
        fields = ["region"]
