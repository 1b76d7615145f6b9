"""The funding flows' admin list, written once per distinct value of a column.

Django formats each cell of a changelist on its own (a choice's label, a localised date, a
boolean's icon, a related record's name): fifty rows of twelve columns were a third of the
page's time, though most columns hold a handful of values (statuses, themes, currencies,
years). Here each cell is still written by Django's own items_for_result, one column at a
time, and kept for the other rows with the same value of that column, so the markup is
Django's own.
"""

import copy

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


def _shared_columns(cl) -> dict[str, str]:
    """The columns whose cell depends on the field's value alone: model fields that are
    neither a link to the record nor editable in the list (name -> attribute to read)."""
    shared = {}
    for name in cl.list_display:
        if not isinstance(name, str) or name in (cl.list_display_links or ()):
            continue
        if name in cl.list_editable:
            continue
        try:
            field = cl.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.is_relation and not (field.many_to_one or field.one_to_one):
            continue
        shared[name] = field.attname
    return shared


def _rows(cl):
    if cl.formset:  # editable lists keep Django's own path
        from django.contrib.admin.templatetags.admin_list import results

        yield from results(cl)
        return
    shared = _shared_columns(cl)
    # One ChangeList per column, listing that column alone, for items_for_result.
    columns = []
    for name in cl.list_display:
        one = copy.copy(cl)
        one.list_display = [name]
        columns.append((name, one, shared.get(name)))
    written: dict[tuple, list[str]] = {}
    for result in cl.result_list:
        cells = []
        for name, one, attname in columns:
            if attname is None:
                cells.extend(items_for_result(one, result, None))
                continue
            key = (name, getattr(result, attname))
            try:
                cell = written.get(key)
            except TypeError:  # a value that cannot be a key (a list, a dict)
                cells.extend(items_for_result(one, result, None))
                continue
            if cell is None:
                cell = written[key] = list(items_for_result(one, result, None))
            cells.extend(cell)
        yield ResultList(None, cells)


def result_list(cl) -> dict:
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
