"""The rule for uploaded evidence (alliance87.uploads): its type is read from the content;
the messages about a commitment's progress, with their percentages in the reader's language."""

from django.utils.translation import gettext

from alliance87.numbers import format_percent
from alliance87.uploads import UploadRule

EVIDENCE_UPLOAD = UploadRule(
    kinds=["pdf", "docx", "xlsx", "png", "jpeg"], max_bytes=10 * 1024 * 1024
)
MAX_EVIDENCE_BYTES = EVIDENCE_UPLOAD.max_bytes


def validate_evidence_file(value) -> None:
    """The evidence rule under the name early migrations refer to."""
    EVIDENCE_UPLOAD(value)


def progress_range_message() -> str:
    """What a progress outside 0 to 100 is told ("between 0% and 100%")."""
    return gettext("Progress is between %(low)s and %(high)s.") % {
        "low": format_percent(0),
        "high": format_percent(100),
    }


def completed_at_full_progress() -> str:
    """What a completed commitment with less than full progress is told."""
    return gettext("A completed commitment is at %(progress)s.") % {"progress": format_percent(100)}
