from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext

from alliance87.routing import route


class ActionCheckboxMixin:
    """Django's row checkbox with the same markup, written out: rendering a widget template
    for each row took a third of a long changelist's time."""

    def action_checkbox(self, obj) -> str:
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )


# Web addresses typed without a scheme are taken as https (Django 6's default, chosen now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class RoutedChangeList(ChangeList):
    """Django's changelist, each row's link built from the change page's address resolved
    once rather than once per row."""

    def url_for_result(self, result) -> str:
        pk = getattr(result, self.pk_attname)
        if not isinstance(pk, int):  # other keys need the admin's own quoting
            return super().url_for_result(result)
        if not hasattr(self, "_change_url"):
            self._change_url = route(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                current_app=self.model_admin.admin_site.name,
            )
        return self._change_url(pk)


class RoutedChangeListMixin:
    def get_changelist(self, request, **kwargs):
        return RoutedChangeList


class JobAdminMixin:
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
