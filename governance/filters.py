import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance87.choices import Theme
from alliance87.filters import FilterSet
from alliance87.translated import translation_columns

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
        # In any of the three languages: a French reader finds a group by its French name or
        # by the English one shown until it is translated.
        found = Q()
        for column in translation_columns(("name", "purpose")):
            found |= Q(**{f"{column}__icontains": value})
        return queryset.filter(found)
