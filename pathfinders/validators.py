"""The rule for uploaded evidence (alliance87.uploads): its type is read from the content."""

from alliance87.uploads import UploadRule

EVIDENCE_UPLOAD = UploadRule(
    kinds=["pdf", "docx", "xlsx", "png", "jpeg"], max_bytes=10 * 1024 * 1024
)
MAX_EVIDENCE_BYTES = EVIDENCE_UPLOAD.max_bytes


def validate_evidence_file(value) -> None:
    """The evidence rule under the name early migrations refer to."""
    EVIDENCE_UPLOAD(value)
