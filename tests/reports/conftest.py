from pathlib import Path

import pytest

from alliance87.reports import kinds
from alliance87.reports.kinds import ReportKind
from tests.reports import kinds_for_tests

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def test_kind(settings, monkeypatch, tmp_path):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}
    ]
    settings.MEDIA_ROOT = tmp_path / "media"
    kind = ReportKind(
        code="test_kind",
        label="Test report",
        template="reports/pdf/test_kind.html",
        context=kinds_for_tests.context,
        can_view=kinds_for_tests.can_view,
        parameters=("country",),
    )
    monkeypatch.setitem(kinds.KINDS, "test_kind", kind)
    return kind
