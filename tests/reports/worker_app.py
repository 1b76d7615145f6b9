"""The Celery app of the worker-kill test: the portal's app with the test report kind."""

import django

django.setup()

from alliance87.celery import app  # noqa: E402
from alliance87.reports import kinds  # noqa: E402
from alliance87.reports.kinds import ReportKind  # noqa: E402

kinds.KINDS["test_kind"] = ReportKind(
    code="test_kind",
    label="Test report",
    template="reports/pdf/test_kind.html",
    context="tests.reports.kinds_for_tests.context",
    can_view="tests.reports.kinds_for_tests.can_view",
    parameters=("country",),
)

__all__ = ["app"]
