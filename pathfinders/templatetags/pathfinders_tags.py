import hashlib

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import get_language
from django_filters import FilterSet

from alliance87.aggregates import versioned_key
from pathfinders.reporting import TARGETS_RULE

register = template.Library()


@register.simple_tag
def overview_form_key(filterset: FilterSet) -> str:
    """The key of the overview's filter fields in the cache ({% cache %} in the template).

    Five select boxes through the form renderer's templates, one of them listing the periods
    from the database, cost more than the whole table. What they show depends only on the
    submitted values (the selections and any error), the language, the periods (the
    pathfinders area) and the day (the periods that have opened).
    """
    form = filterset.form
    data = filterset.data if filterset.is_bound else {}
    submitted = repr([(name, data.get(name)) for name in form.fields])
    return versioned_key(
        ["pathfinders"],
        ":".join(
            (
                "pathfinders:overview-form",
                str(get_language()),
                timezone.localdate().isoformat(),
                hashlib.sha256(submitted.encode()).hexdigest(),
            )
        ),
    )


@register.simple_tag
def trend_rows(trends: dict) -> str:
    """The rows of the country page's indicator trends table (every indicator by period)."""
    return get_template("pathfinders/includes/trend_rows.html").render({"trends": trends})


@register.simple_tag
def targets_rule() -> str:
    """The rule saying which baselines and targets a country is measured against."""
    return str(TARGETS_RULE)
