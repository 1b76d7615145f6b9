"""What an uploaded file really is: read from its first bytes, never from its name."""

import filetype
from filetype.types import Type


def sniff(upload) -> Type | None:
    """The file's type from its content, or None; the file's read position is kept."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    return filetype.guess(head)
