"""The filters of the financing gap page; one FilterSet serves requirements and flows alike."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from alliance87.choices import Theme
from alliance87.countries import country_name, name_sort_key
from alliance87.filters import FilterSet
from alliance87.models import Country, IloRegion

from .models import FIRST_YEAR, LAST_YEAR, FundingRequirement, RecipientKind

GROUP_BY_CHOICES = [
    ("country", _("Country")),
    ("region", _("Region")),
    ("theme", _("Theme")),
    ("recipient", _("Recipient")),
    ("year", _("Year")),
]
CROSS_CUTTING = "cross_cutting"


class _CountryNames(ModelChoiceIterator):
    """The countries' choices from (id, ISO code, name) rows: a Country object for each of two
    hundred options cost more than the list's markup. The name is what Country.__str__ shows
    (the reader's language), and the options follow it in the reader's alphabetical order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        named = [
            (pk, country_name(iso_code, name))
            for pk, iso_code, name in self.queryset.values_list("pk", "iso_code", "name")
        ]
        for pk, name in sorted(named, key=lambda row: name_sort_key(row[1])):
            yield ModelChoiceIteratorValue(pk, None), name


class _CountryChoiceField(ModelChoiceField):
    iterator = _CountryNames


class CountryFilter(django_filters.ModelChoiceFilter):
    field_class = _CountryChoiceField


class GapFilter(FilterSet):
    """Applied to FundingRequirement and FundingFlow querysets (they share the recipient fields)."""

    group_by = django_filters.ChoiceFilter(
        label=_("Break down by"),
        choices=GROUP_BY_CHOICES,
        method="keep",
        empty_label=None,
    )
    year_from = django_filters.NumberFilter(
        label=_("From year"),
        method="filter_year_from",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "max": LAST_YEAR}),
    )
    year_to = django_filters.NumberFilter(
        label=_("To year"),
        method="filter_year_to",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "max": LAST_YEAR}),
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        choices=IloRegion.choices,
        field_name="country__ilo_region",
        empty_label=_("All regions"),
    )
    country = CountryFilter(
        label=_("Country"),
        queryset=Country.objects.none(),
        empty_label=_("All countries"),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"),
        choices=[*Theme.choices, (CROSS_CUTTING, _("Cross-cutting"))],
        method="filter_theme",
        empty_label=_("All themes"),
    )
    recipient_kind = django_filters.ChoiceFilter(
        label=_("Recipient"),
        choices=RecipientKind.choices,
        empty_label=_("All recipients"),
    )

    def __init__(
        self, *args, countries: QuerySet[Country], country_programmes_only: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.filters["country"].queryset = countries
        if country_programmes_only:
            # A focal point sees their own country programmes: no other region or recipient.
            for name in ("region", "recipient_kind"):
                del self.filters[name]

    @property
    def group_by_value(self) -> str:
        value = self.form.cleaned_data.get("group_by") if self.form.is_valid() else None
        return value or "country"

    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def _is_requirement(self, queryset: QuerySet) -> bool:
        return queryset.model is FundingRequirement

    def filter_year_from(self, queryset: QuerySet, name: str, value) -> QuerySet:
        field = "year" if self._is_requirement(queryset) else "year_end"
        return queryset.filter(**{f"{field}__gte": int(value)})

    def filter_year_to(self, queryset: QuerySet, name: str, value) -> QuerySet:
        field = "year" if self._is_requirement(queryset) else "year_start"
        return queryset.filter(**{f"{field}__lte": int(value)})

    def filter_theme(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(theme="") if value == CROSS_CUTTING else Q(theme=value))
