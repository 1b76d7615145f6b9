import hashlib
from typing import TYPE_CHECKING, Any, cast

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR, ChangeList
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext, override
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from alliance87 import aggregates, fragments
from alliance87.access import role_names

# Web addresses typed without a scheme are taken as https (Django 6's default, chosen now).
HTTPS_URLS: dict[type[models.Field], dict[str, str]] = {models.URLField: {"assume_scheme": "https"}}

if TYPE_CHECKING:
    # A mixin of model admins (or of inlines) is one for the type checker, so that it may call
    # the admin's methods; at run time it is a plain class.
    ModelAdminMixin = admin.ModelAdmin[Any]
    InlineAdminMixin = admin.options.InlineModelAdmin[Any, Any]
else:
    ModelAdminMixin = InlineAdminMixin = object


class EnglishOriginalMixin(ModelAdminMixin):
    """The admin of a model whose texts are kept in English, French and Spanish (the apps'
    translation.py, django-modeltranslation), or of one holding such inlines. It saves with
    English active: modeltranslation writes the active language's text into each original
    column, which lists, exports and the API read as the English one, and which the history
    keeps."""

    def save_model(self, request: HttpRequest, obj, form, change) -> None:
        with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form, formset, change) -> None:
        with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save_formset(request, form, formset, change)


class CachedResultListMixin(ModelAdminMixin):
    """A long list whose rows are kept in the cache as a fragment of Django's own changelist
    (admin/cached_result_list_change_list.html) until the data of `result_list_areas` changes
    (alliance87.aggregates), for each address (filters, search, sort, page), language, time
    zone and set of columns. The list must show data of those areas only."""

    change_list_template = "admin/cached_result_list_change_list.html"
    result_list_areas: tuple[str, ...] = ()

    def changelist_view(self, request: HttpRequest, extra_context=None):
        """The whole page, as Django renders it, is also kept for the person (their
        permissions, the action form's CSRF token) and the address until the data of
        `result_list_areas` changes or the quarter hour turns (alliance87.fragments). A page that
        shows messages, a POST (an action) and any answer but 200 are never kept."""
        if request.method != "GET" or len(messages.get_messages(request)):
            return self._changelist(request, extra_context)
        key = fragments.key(
            request,
            areas=self.result_list_areas,
            name=f"admin-list|{request.get_full_path()}",
            person=True,
            form=True,
        )
        return fragments.cached_response(
            key,
            lambda: self._changelist(request, extra_context),
            payload=_page_content,
            rebuild=HttpResponse,
        )

    def _changelist(self, request: HttpRequest, extra_context) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "result_list_version": aggregates.version(self.result_list_areas),
            "result_list_seconds": aggregates.TIMEOUT_SECONDS,
        }
        return super().changelist_view(request, extra_context)


def _page_content(response: HttpResponseBase) -> bytes | None:
    """What is kept of a list page: the page as rendered, when it answers 200."""
    if isinstance(response, TemplateResponse) and response.status_code == 200:
        response.render()
        return response.content
    return None


# --- Every admin list checks its filter values --------------------------------------------------

# The parts of a date a list filters by (the date bar's year, month and day), and their range.
DATE_PARTS = {
    "year": (1, 9999),
    "iso_year": (1, 9999),
    "month": (1, 12),
    "day": (1, 31),
    "week": (1, 53),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "quarter": (1, 4),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
# Lookups whose value is one of the field's own: checked against its choices.
CHOICE_LOOKUPS = {"exact", "iexact", "in"}
OTHER_PARAMS = {"q": _("Search"), "o": _("Sort"), PAGE_VAR: _("Page")}


def _lookup_target(model, key: str) -> tuple[models.Field | None, str, list[str]]:
    """The field a list filter parameter compares (a relation's key for a relation), the title
    the list's filter shows, and the lookups after it: `period__id__exact` and `period__exact`
    are (ReportingPeriod.id, "Reporting period", ["exact"])."""
    opts, field, title = model._meta, None, ""
    parts = key.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            found = opts.get_field(part)
        except FieldDoesNotExist:
            return _compared(field), title, parts[index:]
        if not (field is not None and field.is_relation and found.primary_key):
            title = capfirst(getattr(found, "verbose_name", found.name))
        field = found
        if field.is_relation:
            opts = cast(type[models.Model], field.related_model)._meta
    return _compared(field), title, []


def _compared(field: models.Field | None) -> models.Field | None:
    if field is None or not field.is_relation:
        return field
    return (
        getattr(field, "target_field", None)
        or cast(type[models.Model], field.related_model)._meta.pk
    )


def _value_refused(field: models.Field, lookups: list[str], value: str) -> bool:
    if "isnull" in lookups:
        return False  # the admin reads any text as yes or no
    if "isempty" in lookups:  # EmptyFieldListFilter takes "1" (empty) or "0" (not empty) only
        return value not in ("0", "1")
    if lookups and lookups[0] in DATE_PARTS:
        low, high = DATE_PARTS[lookups[0]]
        return not (value.isascii() and value.isdigit() and low <= int(value) <= high)
    values = value.split(",") if lookups[-1:] == ["in"] else [value]
    for one in values:
        try:
            python = field.to_python(one)
            choices = {str(key) for key, _label in field.flatchoices} if field.choices else None
            if (
                choices
                and (lookups[-1:] or ["exact"])[0] in CHOICE_LOOKUPS
                and str(python) not in choices
            ):
                return True
            if isinstance(field, models.IntegerField) and python is not None:
                low, high = connection.ops.integer_field_range(field.get_internal_type())
                if (low is not None and python < low) or (high is not None and python > high):
                    return True
            field.get_db_prep_value(python, connection, prepared=False)
        except (ValidationError, ValueError, TypeError, ArithmeticError):
            return True
    return False


def refused_filters(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest
) -> list[tuple[str, str, str]]:
    """(parameter, filter title, value) of each value in the list's address that its filter
    cannot take: text with a NUL character, a number beyond the database's integers, a value of
    the wrong type, a choice the filter does not offer, a date part out of its range."""
    custom = {
        list_filter.parameter_name: list_filter
        for list_filter in model_admin.get_list_filter(request)
        if isinstance(list_filter, type) and issubclass(list_filter, admin.SimpleListFilter)
    }
    refused = []
    for key, values in request.GET.lists():
        for value in values:
            label: StrOrPromise | None = OTHER_PARAMS.get(key, key)
            refuse = "\x00" in value
            if key in custom:
                # Django 5 gives a filter each parameter's values as a list; the stub says str.
                params = {key: [value]}
                spec = custom[key](request, params, model_admin.model, model_admin)  # type: ignore[arg-type]
                label = spec.title
                refuse = refuse or value not in {str(v) for v, _label in spec.lookup_choices}
            elif key not in IGNORED_PARAMS and key not in (PAGE_VAR, ERROR_FLAG):
                field, title, lookups = _lookup_target(model_admin.model, key)
                # Not a field: the admin refuses the lookup itself (400).
                if field is not None:
                    label = title
                    refuse = refuse or _value_refused(field, lookups, value)
            if refuse:
                refused.append((key, str(label), value))
    return refused


class CheckedFiltersMixin(ModelAdminMixin):
    """A list whose address holds a filter value it cannot take is shown without that value,
    with a message naming the filter, rather than failing in the database; a page number
    beyond the list shows its last page (Django's admin answered "Database error")."""

    def get_changelist(self, request: HttpRequest, **kwargs):
        return _page_clamped(super().get_changelist(request, **kwargs))

    def changelist_view(self, request: HttpRequest, extra_context=None):
        refused = refused_filters(self, request)
        if not refused:
            return super().changelist_view(request, extra_context)
        query = request.GET.copy()
        for key, label, value in refused:
            query.pop(key, None)
            shown = Truncator(value.replace("\x00", "\ufffd")).chars(40)
            messages.warning(
                request,
                gettext(
                    "The filter “%(filter)s” cannot take the value “%(value)s”: "
                    "the list is shown without it."
                )
                % {"filter": label, "value": shown},
            )
        return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")


class PageClampedChangeList(ChangeList):
    """A changelist whose page number past the last page shows the last page."""

    def get_results(self, request: HttpRequest) -> None:
        if self.page_num < 1:
            self.page_num = 1
        elif self.page_num > 1:
            # One more COUNT, only for a page past the first.
            paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
            last = max(paginator.num_pages, 1)
            if self.page_num > last:
                messages.info(
                    request,
                    gettext("Page %(asked)s does not exist: this is the last page, %(last)s.")
                    % {"asked": Truncator(str(self.page_num)).chars(20), "last": last},
                )
                self.page_num = last
        super().get_results(request)


_CLAMPED: dict[type[ChangeList], type[ChangeList]] = {}


def _page_clamped(changelist: type[ChangeList]) -> type[ChangeList]:
    """The model admin's own changelist class, with PageClampedChangeList's page number."""
    if changelist not in _CLAMPED:
        _CLAMPED[changelist] = type(
            "PageClampedChangeList", (PageClampedChangeList, changelist), {}
        )
    return _CLAMPED[changelist]


class HistoryContextHelper(HistoricalRecordContextHelper):
    """simple_history's before/after values, with an empty link shown as empty: the package
    shows a link that was never set as a deleted record ("Deleted user (pk=None)")."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, DeletedObject) and value.pk is None:
            return gettext("(none)")
        return value


class HistoryValuesMixin(ModelAdminMixin):
    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryContextHelper(self.model, historical_record)


# The admin's list of apps changes with a person's permissions (part of its key), and with
# the code; the timeout bounds a deployment's stale list.
APP_LIST_SECONDS = 600


def _evaluated(value):
    """`value` with its lazy translations written out (they cannot be pickled)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _evaluated(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_evaluated(item) for item in value]
    return value


class PortalAdminSite(admin.AdminSite):
    """The portal's admin site: every model admin registered, the project's and the installed
    packages' alike, checks its list's filter values (CheckedFiltersMixin), and every history
    page shows an empty link as empty (HistoryValuesMixin)."""

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        admin_class = admin_class or admin.ModelAdmin
        mixins: list[type] = []
        if not issubclass(admin_class, CheckedFiltersMixin):
            mixins.append(CheckedFiltersMixin)
        if issubclass(admin_class, SimpleHistoryAdmin) and not issubclass(
            admin_class, HistoryValuesMixin
        ):
            mixins.append(HistoryValuesMixin)
        if mixins:
            admin_class = type(admin_class.__name__, (*mixins, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The admin signs in through allauth: same rate limit, same two-factor step."""
        return secure_admin_login(super().login)(request, extra_context)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        """Django's list of the apps and models a person may open, kept in the cache for their
        permissions, roles and language: every admin page shows it, and building it asks each
        of some fifty model admins for its permissions and addresses."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        user = request.user
        who = [
            str(user.pk),
            str(user.is_active),
            str(user.is_staff),
            str(user.is_superuser),
            *sorted(role_names(user)),
            "|",
            *sorted(user.get_all_permissions()),
        ]
        fingerprint = hashlib.sha256("\n".join(who).encode()).hexdigest()
        app_list: list[Any] | None = cache.get_or_set(
            f"admin:app-list:{self.name}:{get_language()}:{fingerprint}",
            lambda: _evaluated(super(PortalAdminSite, self).get_app_list(request)),
            APP_LIST_SECONDS,
        )
        return app_list or []


class JobAdminMixin(ModelAdminMixin):
    """The admin of a job model (alliance87.jobs): its state is read-only, and "retry" queues
    failed rows again through the model's own service (`retry_job`)."""

    actions = ["retry_failed_jobs"]

    def retry_job(self, obj) -> bool:
        from alliance87 import jobs

        return jobs.retry(type(obj), obj.pk)

    def has_retry_permission(self, request) -> bool:
        # The model's change permission, even where the admin keeps the row read-only.
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    @admin.action(description=gettext_lazy("Retry the selected failed jobs"), permissions=["retry"])
    def retry_failed_jobs(self, request, queryset) -> None:
        from alliance87.jobs import JobStatus

        retried = [obj for obj in queryset.filter(status=JobStatus.FAILED) if self.retry_job(obj)]
        skipped = queryset.count() - len(retried)
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d job queued again.", "%(count)d jobs queued again.", len(retried)
                )
                % {"count": len(retried)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d job was not retried: only a failed job that can run again is.",
                    "%(count)d jobs were not retried: only a failed job that can run again is.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
