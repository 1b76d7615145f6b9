import hashlib
from html import escape

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django_filters import FilterSet

from alliance87.aggregates import cached_aggregate
from alliance87.routing import route
from pathfinders.reporting import TARGETS_RULE

register = template.Library()


@register.simple_tag
def overview_rows(rows: list[dict]) -> SafeString:
    """The rows of the Pathfinder overview table.

    Built here rather than in the template: sixty rows of nine cells took the template
    engine about ten times as long. The markup is the template's own, line breaks and
    indentation included, every value escaped as the template escapes it (`escape` is
    Python's `html.escape`, which Django's autoescape uses).
    """
    country_url = route("pathfinders:country_detail")
    report_url = route("pathfinders:report_detail")
    overdue = f'<span class="badge badge--red">{escape(gettext("Overdue"))}</span>'
    rating_labels: dict[str, str] = {}
    parts = []
    for row in rows:
        status = escape(str(row["status"]))
        report_id = row["report_id"]
        if report_id:
            status_cell = (
                f'<a href="{escape(report_url(report_id))}"><span class="badge '
                f'badge--{escape(row["status_badge"])}">{status}</span></a>'
            )
        else:
            status_cell = f'<span class="badge badge--grey">{status}</span>'
        filled = row["filled"]
        rating = row["rating"]
        label = rating_labels.get(rating.level)
        if label is None:
            label = rating_labels[rating.level] = escape(rating.label)
        score = f" ({rating.percent} %)" if rating.percent is not None else ""
        rated = row["rated_period"]
        rated_span = f'<span class="small muted">{escape(rated)}</span>' if rated else ""
        stage_date = row["stage_date"]
        filled_text = "–" if filled is None else f"{filled} %"
        parts.append(
            "\n        <tr>\n"
            f'          <th scope="row"><a href="{escape(country_url(row["iso_code"]))}">'
            f"{escape(row['country'])}</a></th>\n"
            f"          <td>{escape(str(row['region']))}</td>\n"
            f"          <td>{escape(str(row['stage']))}</td>\n"
            f"          <td>{stage_date.isoformat() if stage_date else '–'}</td>\n"
            f"          <td>{status_cell}</td>\n"
            f'          <td class="num">{filled_text}</td>\n'
            f'          <td><span class="badge badge--{escape(row["timeliness_badge"])}">'
            f"{escape(str(row['timeliness']))}</span></td>\n"
            "          <td>\n"
            f'            <span class="badge badge--{escape(rating.badge)}">'
            f"{label}{score}</span>\n"
            f"            {rated_span}\n"
            "          </td>\n"
            f"          <td>{overdue if row['overdue'] else ''}</td>\n"
            "        </tr>\n      "
        )
    # Every value above is escaped; the rest is this function's own markup.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag
def overview_filter_fields(filterset: FilterSet) -> SafeString:
    """The overview's filter fields, each as includes/form_field.html renders it.

    Kept in the cache: five select boxes through the form renderer's templates, one of them
    listing the periods from the database, cost more than the whole table. What they show
    depends only on the submitted values (the selections and any error), the language, the
    periods (the pathfinders area) and the day (the periods that have opened).
    """
    form = filterset.form
    data = filterset.data if filterset.is_bound else {}
    submitted = repr([(name, data.get(name)) for name in form.fields])
    key = ":".join(
        (
            "pathfinders:overview-form",
            str(get_language()),
            timezone.localdate().isoformat(),
            hashlib.sha256(submitted.encode()).hexdigest(),
        )
    )

    def render() -> SafeString:
        field_template = get_template("includes/form_field.html")
        # Each field rendered by the template, its values and messages escaped there.
        return mark_safe("".join(field_template.render({"field": field}) for field in form))  # noqa: S308

    return cached_aggregate(["pathfinders"], key, render)


@register.simple_tag
def trend_rows(trends: dict) -> SafeString:
    """The rows of the country page's indicator trends table (forty indicators by every
    period), with the template's own markup and escaping: the template engine took most of
    the page's time over these cells."""
    rows = []
    for indicator in trends["indicators"]:
        cells = "".join(
            f'<td class="num">{escape(cell) if cell else "–"}</td>' for cell in indicator["cells"]
        )
        rows.append(
            f'\n            <tr><th scope="row">{escape(indicator["code"])} '
            f"{escape(indicator['title'])}</th>{cells}</tr>\n          "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


@register.simple_tag
def targets_rule() -> str:
    """The rule saying which baselines and targets a country is measured against."""
    return str(TARGETS_RULE)
