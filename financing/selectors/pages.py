"""The pages' filtered reads, shared by the pages, their downloads and the API."""

from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict

from alliance87.access import Person
from alliance87.models import Country

from ..access import (
    financing_country_scope,
    get_funding_flows_for_user,
    get_funding_requirements_for_user,
)
from ..filters import GROUP_BY_CHOICES, GapFilter
from .gaps import GapReport, gap_report


def gap_page(*, user: Person, params: QueryDict) -> tuple[GapFilter, GapReport]:
    """The gap page's filters and figures for this person (the page, its downloads and the API)."""
    scope = financing_country_scope(user)
    countries = Country.objects.all() if scope is None else Country.objects.filter(pk__in=scope)
    # The filter lists the countries by name and looks the one chosen up by id: no other column.
    countries = countries.only("pk", "iso_code", "name")
    data = params.copy()
    data.setdefault("group_by", "country")
    requirements = get_funding_requirements_for_user(user).select_related("country", "action_group")
    flows = get_funding_flows_for_user(user)
    limited = scope is not None
    requirement_filter = GapFilter(
        data, queryset=requirements, countries=countries, country_programmes_only=limited
    )
    flow_filter = GapFilter(
        data, queryset=flows, countries=countries, country_programmes_only=limited
    )
    # A value a filter cannot take is named beside its field and left out; the others apply
    # (cleaned_data holds only the fields that validated), so the figures stay those of the
    # filters that are shown as chosen.
    requirement_filter.is_valid()
    cleaned = requirement_filter.form.cleaned_data
    dimension = cleaned.get("group_by") or "country"
    report = gap_report(
        requirements=requirement_filter.qs,
        flows=flow_filter.qs,
        dimension=dimension,
        dimension_label=str(dict(GROUP_BY_CHOICES)[dimension]),
        year_from=cleaned.get("year_from"),
        year_to=cleaned.get("year_to"),
        cache_key=_gap_cache_key(scope, cleaned),
    )
    return requirement_filter, report


def _gap_cache_key(scope: frozenset[int] | None, cleaned: dict[str, Any]) -> str:
    """The reader's countries and every filter but the breakdown (the sums serve them all)."""
    countries = "all" if scope is None else ",".join(str(pk) for pk in sorted(scope))
    filters = urlencode(
        sorted(
            (name, str(getattr(value, "pk", value)))
            for name, value in cleaned.items()
            if name != "group_by" and value not in (None, "")
        )
    )
    return f"gaps:{countries}:{filters}"


def flow_filter_for(*, user: Person, params: QueryDict) -> GapFilter:
    """The gap page's filters, on the flows the person may read."""
    scope = financing_country_scope(user)
    countries = Country.objects.all() if scope is None else Country.objects.filter(pk__in=scope)
    flow_filter = GapFilter(
        params,
        queryset=get_funding_flows_for_user(user),
        countries=countries.only("pk", "iso_code", "name"),
        country_programmes_only=scope is not None,
    )
    # The breakdown is the gap page's; a list of flows has none.
    del flow_filter.filters["group_by"]
    flow_filter.is_valid()
    return flow_filter
