"""Checks on uploaded evidence: the type is read from the content, never from the name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from alliance87.uploads import sniff

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
ALLOWED_EVIDENCE_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}


def validate_evidence_file(value) -> None:
    # A file already stored was checked when it came in.
    if getattr(value, "_committed", False):
        return
    if value.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("This file is %(size)s; evidence may be at most %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(value.size),
                "limit": filesizeformat(MAX_EVIDENCE_BYTES),
            },
        )
    kind = sniff(value)
    if kind is None or kind.mime not in ALLOWED_EVIDENCE_TYPES:
        raise ValidationError(
            _(
                "This file is not a PDF, DOCX, XLSX, PNG or JPEG document (its content was checked)."
            ),
            code="file_type",
        )
