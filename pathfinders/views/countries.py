"""The overview, a country's page and its journey stage, and the public profiles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliance87 import exports, fragments
from alliance87.access import (
    can_read_everything,
)
from alliance87.aggregates import AREAS

from .. import selectors, services
from ..access import (
    get_pathfinder_for_user,
    get_public_pathfinder,
    require_pathfinder_reader,
    require_secretariat,
    visible_pathfinders,
)
from ..forms import StageChangeForm
from .common import _signed_in


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    require_pathfinder_reader(request.user)
    # Kept for the person (the countries they may see) and the filters and sort asked for,
    # until any area's data changes or the quarter hour turns; its PDF button carries the CSRF token.
    content = fragments.cached_render(
        request,
        "pathfinders/includes/overview_page.html",
        areas=AREAS,
        context=lambda: _overview_context(request),
        part=request.GET.urlencode(),
        person=True,
        form=True,
    )
    return render(request, "pathfinders/pathfindercountry_overview.html", {"content": content})


def _overview_context(request: HttpRequest) -> dict:
    result = selectors.overview(pathfinders=visible_pathfinders(request.user), params=request.GET)
    params = request.GET.copy()
    params.pop("sort", None)
    return {
        **result,
        "columns": selectors.OVERVIEW_COLUMNS,
        "sortable": {"country", "region", "stage", "status", "filled", "timeliness", "rating"},
        "base_query": params.urlencode(),
        "csv_query": request.GET.urlencode(),
        "rating_rule": selectors.RATING_RULE,
        "timeliness_rule": selectors.TIMELINESS_RULE,
        "expectation_rule": selectors.EXPECTATION_RULE,
        "rates_rule": selectors.RATES_RULE,
        "filled_rule": selectors.INDICATORS_FILLED_RULE,
        "targets_rule": selectors.TARGETS_RULE,
        "can_read_everything": can_read_everything(request.user),
    }


@login_required
@require_safe
def overview_export(request: HttpRequest, file_format: str) -> HttpResponse:
    require_pathfinder_reader(request.user)
    result = selectors.overview(pathfinders=visible_pathfinders(request.user), params=request.GET)
    label = result["period"].label if result["period"] else "none"
    tables = selectors.overview_tables(result)
    file_stem = f"pathfinder-overview-{label.replace(' ', '-')}"
    if file_format == "csv":
        # One table a file: the countries, or the one asked for (?table=periods, regions).
        key = request.GET.get("table") or "countries"
        if key not in tables:
            raise Http404("No such table on this page.")
        tables = {key: tables[key]}
        if key != "countries":
            file_stem = f"{file_stem}-{key}"
    download = exports.Download(
        title=_("Pathfinder Countries"),
        tables=list(tables.values()),
        file_stem=file_stem,
        filters=exports.filters_applied(result["filter"].form),
    )
    return exports.response(download, file_format)


@login_required
@require_safe
def country_detail(request: HttpRequest, iso_code: str) -> HttpResponse:
    # Kept for the person (their own country or not, the Secretariat's buttons) until any
    # area's data changes or the quarter hour turns; its forms carry the session's CSRF token.
    page = fragments.cached_page(
        request,
        "pathfinders/includes/country_page.html",
        areas=AREAS,
        part=iso_code.upper(),
        load=lambda: get_pathfinder_for_user(request.user, iso_code),
        title=lambda pathfinder: pathfinder.country.local_name,
        context=lambda pathfinder: selectors.country_page(pathfinder=pathfinder, user=request.user),
        form=True,
    )
    return render(request, "pathfinders/pathfindercountry_detail.html", {"page": page})


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    regions = selectors.public_pathfinders_by_region()
    return render(
        request,
        "pathfinders/pathfindercountry_public_list.html",
        {
            "regions": regions,
            "count": sum(len(listed) for _region, listed in regions),
            "today": timezone.localdate(),
        },
    )


@require_safe
def public_detail(request: HttpRequest, iso_code: str) -> HttpResponse:
    pathfinder = get_public_pathfinder(iso_code)
    return render(
        request,
        "pathfinders/pathfindercountry_public_detail.html",
        selectors.public_profile(pathfinder=pathfinder),
    )


@login_required
@require_http_methods(["GET", "POST"])
def country_stage(request: HttpRequest, iso_code: str) -> HttpResponse:
    """The Secretariat moves a country along the journey (the admin goes through the same
    service)."""
    pathfinder = get_pathfinder_for_user(request.user, iso_code)
    require_secretariat(request.user)
    form = StageChangeForm(request.POST or None, pathfinder=pathfinder)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.pathfinder_stage_change(
                pathfinder=pathfinder,
                stage=form.cleaned_data["stage"],
                on=form.cleaned_data["on"],
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                by=_signed_in(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(country)s is now at the stage “%(stage)s”.")
                % {"country": pathfinder.country.local_name, "stage": moved.get_stage_display()},
            )
            return redirect("pathfinders:country_detail", iso_code=pathfinder.country.iso_code)
    return render(
        request,
        "pathfinders/pathfindercountry_stage.html",
        {
            "pathfinder": pathfinder,
            "form": form,
            "history": selectors.journey_history(pathfinder=pathfinder),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
