import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance87.filters import FilterSet, database_id
from alliance87.models import IloRegion

from .models import Event, FollowUpAction, FollowUpActionQuerySet


class EventFilter(FilterSet):
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


class FollowUpFilter(FilterSet):
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
    # Text searches rather than select boxes: the Alliance has thousands of organisations and
    # hundreds of events, and listing them all made the board slow to send and to use.
    owner = django_filters.CharFilter(
        label=_("Owner"),
        method="filter_owner",
        help_text=_("Name or acronym of the organisation."),
    )
    event = django_filters.CharFilter(
        label=_("Agreed at"),
        method="filter_event",
        help_text=_("Words from the title of the event."),
    )
    event__kind = django_filters.ChoiceFilter(
        label=_("Kind of event"), choices=Event.Kind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = FollowUpAction
        fields = ["status", "overdue", "owner", "event", "event__kind"]

    def filter_status(self, queryset: FollowUpActionQuerySet, name: str, value: str) -> QuerySet:
        if value == self.OPEN:
            return queryset.open()
        return queryset.filter(status=value)

    def filter_owner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        owner_id = database_id(value)
        if owner_id is not None:
            # An organisation's id, as the former select box sent: its links keep working.
            return queryset.filter(owner_id=owner_id)
        return queryset.filter(Q(owner__name__icontains=value) | Q(owner__acronym__icontains=value))

    def filter_event(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(event__title__icontains=value)

    def filter_overdue(
        self, queryset: FollowUpActionQuerySet, name: str, value: bool | None
    ) -> QuerySet:
        if value:
            return queryset.overdue(timezone.localdate())
        return queryset
