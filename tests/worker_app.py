"""The Celery app of the worker-kill tests: the portal's app with the test report kind, and
a pause before an import named "slow…" is checked (time enough to kill the worker)."""

import time

import django

django.setup()

from alliance87.celery import app  # noqa: E402
from alliance87.reports import kinds  # noqa: E402
from alliance87.reports.kinds import ReportKind  # noqa: E402
from financing import services as financing_services  # noqa: E402
from tests.reports import kinds_for_tests  # noqa: E402

kinds.KINDS["test_kind"] = ReportKind(
    code="test_kind",
    label="Test report",
    template="reports/pdf/test_kind.html",
    context=kinds_for_tests.context,
    can_view=kinds_for_tests.can_view,
    parameters=("country",),
)

_check_file = financing_services.check_file


def _slow_check_file(name, content, **options):
    if name.startswith("slow"):
        time.sleep(4)
    return _check_file(name, content, **options)


financing_services.check_file = _slow_check_file

__all__ = ["app"]
