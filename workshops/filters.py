import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation
from pathfinders.models import IloRegion

from .models import Event, FollowUpAction


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All kinds")
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        field_name="country__ilo_region",
        choices=IloRegion.choices,
        empty_label=_("All regions"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        field_name="start_date__year",
        choices=[],
        empty_label=_("All years"),
    )

    class Meta:
        model = Event
        fields = ["kind", "region", "year"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = sorted({d.year for d in self.queryset.dates("start_date", "year")}, reverse=True)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]


class FollowUpFilter(django_filters.FilterSet):
    OPEN = "open_any"

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("Open or in progress")), *FollowUpAction.Status.choices],
        empty_label=_("Any status"),
        method="filter_status",
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=Organisation.objects.filter(follow_up_actions__isnull=False).distinct(),
        empty_label=_("All owners"),
    )
    event = django_filters.ModelChoiceFilter(
        label=_("Agreed at"),
        queryset=Event.objects.filter(follow_ups__isnull=False).distinct(),
        empty_label=_("All events"),
    )
    event__kind = django_filters.ChoiceFilter(
        label=_("Kind of event"), choices=Event.Kind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = FollowUpAction
        fields = ["status", "overdue", "owner", "event", "event__kind"]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == self.OPEN:
            return queryset.open()
        return queryset.filter(status=value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value:
            return queryset.overdue(timezone.localdate())
        return queryset
