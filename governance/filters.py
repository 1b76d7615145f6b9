import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance87.choices import Theme
from alliance87.filters import FilterSet

from .models import ActionGroup


class GroupFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActionGroup.Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActionGroup.Kind.choices, empty_label=_("All")
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=Theme.choices, empty_label=_("All")
    )

    class Meta:
        model = ActionGroup
        fields = ["q", "status", "kind", "theme"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(purpose__icontains=value))
