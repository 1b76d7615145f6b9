"""Long admin lists, each cell of a column written once per distinct value.

Django formats each cell of a changelist on its own (a choice's label, a localised date, a
related record's name); most columns of the long lists (progress reports, indicator values,
funding flows) hold a handful of values (statuses, periods, themes, currencies, empty dates).
Each cell is still written by Django's own items_for_result, one column at a time, and kept
for the other rows with the same value of that column, so the markup is Django's own.

A cell of a plain field (a date, a choice, a number) depends only on its value, the
language and the time zone, so it is also kept between requests (a bounded table); a
related record's cell names the record, which may be renamed, so it is kept for one request.
An admin opts in with `change_list_template = "admin/shared_cells_change_list.html"`; a
display method whose cell depends on one field alone says so in `cell_depends_on`.
"""

import copy
from collections.abc import Iterator

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    items_for_result,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language

register = template.Library()


# Cells of plain fields by (language, time zone, site, model, column, value), across requests.
_PLAIN_CELLS: dict[tuple, list[str]] = {}
_PLAIN_CELLS_MAX = 5000


@receiver(setting_changed)
def _forget_plain_cells(**kwargs) -> None:
    # A changed format, time zone or static address writes the cells differently (tests).
    _PLAIN_CELLS.clear()


def _shared_columns(cl: ChangeList) -> dict[str, tuple[str, bool]]:
    """The columns whose cell depends on one attribute's value alone: model fields, and the
    admin's display methods that name the field they show in `cell_depends_on`, neither a
    link to the record nor editable in the list (name -> attribute to read, and whether the
    cell may be kept between requests: not for a related record's name)."""
    shared = {}
    for name in cl.list_display:
        if not isinstance(name, str) or name in (cl.list_display_links or ()):
            continue
        if name in cl.list_editable:
            continue
        try:
            field = cl.model._meta.get_field(name)
        except FieldDoesNotExist:
            depends_on = getattr(getattr(cl.model_admin, name, None), "cell_depends_on", None)
            if depends_on is not None:
                shared[name] = (cl.model._meta.get_field(depends_on).attname, True)
            continue
        if field.is_relation and not (field.many_to_one or field.one_to_one):
            continue
        shared[name] = (field.attname, not field.is_relation)
    return shared


def _rows(cl: ChangeList) -> Iterator[ResultList]:
    if cl.formset:  # editable lists keep Django's own path
        yield from results(cl)
        return
    shared = _shared_columns(cl)
    scope = (
        get_language(),
        timezone.get_current_timezone_name(),
        cl.model_admin.admin_site.name,
        cl.opts.label,
    )
    # One ChangeList per column, listing that column alone, for items_for_result.
    columns = []
    for name in cl.list_display:
        one = copy.copy(cl)
        one.list_display = [name]
        attname, plain = shared.get(name, (None, False))
        columns.append((name, one, attname, plain))
    written: dict[tuple, list[str]] = {}
    for result in cl.result_list:
        cells = []
        for name, one, attname, plain in columns:
            if attname is None:
                cells.extend(items_for_result(one, result, None))
                continue
            value = getattr(result, attname)
            # The type too: 1 and True, or 5 and Decimal("5"), are equal keys.
            key = (*scope, name, type(value), value)
            kept = _PLAIN_CELLS if plain else written
            cell = kept.get(key)
            if cell is None:
                cell = list(items_for_result(one, result, None))
                if plain and len(_PLAIN_CELLS) >= _PLAIN_CELLS_MAX:
                    _PLAIN_CELLS.clear()
                kept[key] = cell
            cells.extend(cell)
        yield ResultList(None, cells)


def result_list(cl: ChangeList) -> dict:
    """As django.contrib.admin.templatetags.admin_list.result_list."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(_rows(cl)),
    }


@register.tag(name="shared_cells_result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
