"""Hostile values in the address of every list page, download and admin list: huge and negative
numbers, unknown choices, very long text, NUL characters, broken UTF-8, pages that do not
exist. Every page answers with itself and a message, never with a server error.

The pages are found from the URL configuration and the admin lists from the admin site, so a
new page is tested as soon as it exists."""

import re

import django_filters
import pytest
from django.contrib import admin
from django.contrib.admin import FieldListFilter, SimpleListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alliance87.admin import CheckedFiltersMixin
from alliance87.filters import FilterSet
from tests.financing.factories import FundingFlowFactory
from tests.governance.factories import EngagementFactory, MembershipFactory
from tests.pathfinders.factories import ReportFactory
from tests.workshops.factories import FollowUpActionFactory

HOSTILE = [
    "9" * 40,
    "-1",
    str(10**20),
    "no-such-choice",
    "x" * 5000,
    "a\x00b",
    "²",  # a digit to str.isdigit(), not to int()
    "2024-02-30",
]
# Tried alone in each field, so that the other fields' errors hide nothing.
HOSTILE_ALONE = ["9" * 40, "²", "a\x00b"]
BROKEN_UTF8 = "%ff%fe%00"

# Pages with filters, pages or sorting that must be among those found.
KNOWN_LIST_PAGES = {
    "pathfinders:overview",
    "pathfinders:review_queue",
    "pathfinders:public_list",
    "governance:composition",
    "governance:rotation",
    "governance:group_list",
    "governance:meeting_list",
    "governance:partner_analysis",
    "financing:gaps",
    "financing:sustainability",
    "workshops:event_list",
    "workshops:followup_board",
    "workshops:my_registrations",
    "reports:my_reports",
}
APP_NAMESPACES = ("pathfinders", "governance", "financing", "workshops", "reports")


def _patterns(resolvers, namespace: str = ""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner.strip(":"))
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), str(entry.pattern)


def pages() -> list[tuple[str, list]]:
    """(URL name, arguments) of every page of the apps that takes no id: the lists, their
    downloads (in each format) and the dashboard."""
    found = [("dashboard", [])]
    for name, pattern in _patterns(get_resolver().url_patterns):
        if not name.startswith(APP_NAMESPACES):
            continue
        converters = re.findall(r"<(\w+):(\w+)>", pattern)
        if not converters:
            found.append((name, []))
        elif len(converters) == 1 and pattern.endswith(f".<{converters[0][0]}:{converters[0][1]}>"):
            found += [(name, [file_format]) for file_format in ("csv", "xlsx")]
    return sorted(found)


def test_the_pages_found_include_every_known_list_page():
    found = {name for name, _args in pages()}

    assert found >= KNOWN_LIST_PAGES


def _filter_sets() -> list[type]:
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [
        cls
        for cls in subclasses(django_filters.FilterSet)
        if cls.__module__.split(".")[0] in APP_NAMESPACES
    ]


def test_every_filter_set_of_the_portal_checks_its_values():
    ours = _filter_sets()

    assert len(ours) >= 5
    assert [cls for cls in ours if not issubclass(cls, FilterSet)] == []


@pytest.fixture
def records(db):
    ReportFactory()
    FollowUpActionFactory()
    MembershipFactory()
    EngagementFactory()
    FundingFlowFactory()


def _field_names(response, *, method: str = "get") -> set[str]:
    """The names of the fields of the page's forms sent with `method` ("" for every form)."""
    if "html" not in response.get("Content-Type", ""):
        return set()
    text = response.content.decode()
    names = set()
    for attributes, form in re.findall(r"<form([^>]*)>(.*?)</form>", text, re.S | re.I):
        if f'method="{method}"' in attributes.lower() or not method:
            names |= set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', form))
    return names - {"csrfmiddlewaretoken", "next"}


def _filter_names() -> set[str]:
    """The fields of every filter of the portal: what the downloads of the list pages read."""
    from governance.forms import PartnerAnalysisForm

    names = set(PartnerAnalysisForm.base_fields)
    for cls in _filter_sets():
        names |= set(cls.base_filters)
    return names


def _get(client, url: str, query: dict | str):
    """`query` as fields and values, or as an address's raw query string."""
    return client.get(url, query) if isinstance(query, dict) else client.get(f"{url}?{query}")


def _no_server_error(client, url: str, query: dict | str) -> None:
    response = _get(client, url, query)
    assert response.status_code < 500, (url, str(query)[:300])


def _broken_utf8(names: list[str]) -> str:
    """A raw query string: every field, and one more name, in bytes that are not UTF-8."""
    return "&".join(f"{name}={BROKEN_UTF8}" for name in [*names, BROKEN_UTF8])


def _rotations(names: list[str]) -> list[dict]:
    """As many queries as hostile values, each field given every value once across them."""
    return [
        {name: HOSTILE[(index + shift) % len(HOSTILE)] for index, name in enumerate(names)}
        for shift in range(len(HOSTILE))
    ]


@pytest.mark.parametrize(("name", "args"), pages(), ids=lambda value: str(value))
def test_no_list_page_answers_hostile_input_with_a_server_error(
    client_for, secretariat, gcg_member, records, name, args
):
    url = reverse(name, args=args)
    client = client_for(secretariat)
    page = client.get(url)
    assert page.status_code < 500
    names = _field_names(page, method="") | {"page", "sort", "table", "years"}
    if "html" not in page["Content-Type"]:
        names |= _filter_names()
    names = sorted(names)

    for query in _rotations(names):
        _no_server_error(client, url, query)
    for field in _field_names(page):
        for value in HOSTILE_ALONE:
            _no_server_error(client, url, {field: value})
    _no_server_error(client, url, _broken_utf8(names))

    reader = client_for(gcg_member)
    for query in _rotations(names)[:2]:
        _no_server_error(reader, url, query)


# --- The admin --------------------------------------------------------------------------------


def _admin_parameters(model_admin, request) -> list[str]:
    """Every parameter the list's filters and date bar read, and its search, sort and page."""
    model = model_admin.model
    names = {"q", "o", "p"}
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, type) and issubclass(list_filter, SimpleListFilter):
            names.add(list_filter.parameter_name)
            continue
        path, filter_class = (
            list_filter if isinstance(list_filter, tuple) else (list_filter, FieldListFilter.create)
        )
        field = get_fields_from_path(model, path)[-1]
        spec = filter_class(field, request, {}, model, model_admin, field_path=path)
        names |= set(spec.expected_parameters())
        names.add(path)  # the relation itself, as people type it: ?period=3
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return sorted(names)


def _admin_lists():
    return sorted(
        ((model._meta.label, model_admin) for model, model_admin in admin.site._registry.items()),
        key=lambda pair: pair[0],
    )


def test_every_admin_list_checks_its_filter_values():
    unchecked = [
        label
        for label, model_admin in _admin_lists()
        if not isinstance(model_admin, CheckedFiltersMixin)
    ]

    assert len(_admin_lists()) > 40
    assert unchecked == []


@pytest.mark.parametrize(
    "model_admin", [model_admin for _label, model_admin in _admin_lists()], ids=lambda m: str(m)
)
def test_no_admin_list_answers_hostile_input_with_a_server_error(
    client_for, secretariat, records, model_admin
):
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get(url)
    request.user = secretariat
    names = _admin_parameters(model_admin, request)
    client = client_for(secretariat)

    for query in [*_rotations(names), _broken_utf8(names)]:
        response = _get(client, url, query)
        assert response.status_code < 500, (url, str(query)[:300])
        if response.status_code == 302:
            shown = client.get(response.url)
            assert shown.status_code == 200, (response.url, str(query)[:300])
            # The list without the values refused, and a message naming each; or, for a page
            # beyond the last, Django's own answer: the whole list.
            assert (
                response.url.endswith("?e=1") or "cannot take the value" in shown.content.decode()
            )
