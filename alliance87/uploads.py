"""The one rule every stored file passes, whatever path it comes by (a page, the admin, an
import): its kind is read from its content, never from its name; its name must say that
kind; it is neither empty nor larger than its field allows. Each FileField of every model
carries an UploadRule among its validators (a test checks them all), and a record keeps
the detected type.

Requests carrying more files than any page takes are refused before they are read
(UploadLimitMiddleware); a single file beyond the largest limit is not stored past it while
the request is read (CappedUploadHandler).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    mime: str
    extensions: tuple[str, ...]


# Every kind of file the portal may store. "csv" is text: no binary signature, no NUL byte.
FILE_KINDS = {
    kind.code: kind
    for kind in (
        FileKind("pdf", "PDF", "application/pdf", ("pdf",)),
        FileKind(
            "docx",
            "DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
        ),
        FileKind(
            "xlsx",
            "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
        ),
        FileKind(
            "pptx",
            "PPTX",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ("pptx",),
        ),
        FileKind("png", "PNG", "image/png", ("png",)),
        FileKind("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg")),
        FileKind("gif", "GIF", "image/gif", ("gif",)),
        FileKind("webp", "WebP", "image/webp", ("webp",)),
        FileKind("csv", "CSV", "text/csv", ("csv", "txt")),
        # Data in XML (an IATI activity file): a declared XML document, nothing else.
        FileKind("xml", "XML", "application/xml", ("xml",)),
    )
}
_BY_MIME = {kind.mime: kind for kind in FILE_KINDS.values()}


def _head(upload) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(position)
    return head


# Text that opens like markup (after a byte order mark and blank space) is no table.
_MARKUP = re.compile(rb"(?:\xef\xbb\xbf)?\s*<", re.ASCII)
# An XML document declared as such, whose first element is not a web page or an image (or
# an IATI activity file, which may open without the declaration).
_XML_DATA = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>(?:\s|<!--.*?-->)*<(?!(?:svg|html|!DOCTYPE)\b)[A-Za-z_]"
    rb"|<iati-activities\b)",
    re.ASCII | re.IGNORECASE | re.DOTALL,
)


def detect_kind(upload) -> FileKind | None:
    """What the file is, among FILE_KINDS, read from its first bytes; None if none of them."""
    head = _head(upload)
    if not head:
        return None
    guessed = filetype.guess(head)
    if guessed is not None:
        return _BY_MIME.get(guessed.mime)
    if _XML_DATA.match(head):
        return FILE_KINDS["xml"]
    if b"\x00" in head or _MARKUP.match(head):
        return None  # binary, or a web page or script (HTML, SVG, XML) dressed as a table
    return FILE_KINDS["csv"]


def size_label(size: int) -> str:
    """20 MB for a round limit, 20.3 MB for a file."""
    unit, name = (1024 * 1024, _("MB")) if size >= 1024 * 1024 else (1024, _("KB"))
    figure = str(size // unit) if size % unit == 0 else f"{size / unit:.1f}"
    return f"{figure}\N{NO-BREAK SPACE}{name}"


_lazy_size_label = lazy(size_label, str)


def _or_list(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


_lazy_or_list = lazy(_or_list, str)


@deconstructible(path="alliance87.uploads.UploadRule")
class UploadRule:
    """Which kinds of file a field takes, and how large. A validator: model fields and form
    fields list it; the model's own checks (full_clean) then hold for every path."""

    def __init__(self, *, kinds: Iterable[str], max_bytes: int) -> None:
        self.kinds = tuple(kinds)
        unknown = set(self.kinds) - set(FILE_KINDS)
        if unknown:
            raise ValueError(f"Unknown file kinds: {sorted(unknown)}")
        self.max_bytes = max_bytes

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadRule)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_bytes))

    @property
    def kinds_label(self) -> str:
        return _lazy_or_list([FILE_KINDS[code].label for code in self.kinds])

    @property
    def help_text(self) -> StrOrPromise:
        """What the page says before anything is sent: the kinds and the limit."""
        return format_lazy(
            gettext_lazy("{kinds}; at most {limit}."),
            kinds=self.kinds_label,
            limit=_lazy_size_label(self.max_bytes),
        )

    @property
    def accept(self) -> str:
        """For <input type="file" accept="...">."""
        return ",".join(f".{ext}" for code in self.kinds for ext in FILE_KINDS[code].extensions)

    def widget_attrs(self) -> dict[str, StrOrPromise]:
        return {
            "accept": self.accept,
            "data-max-bytes": str(self.max_bytes),
            "data-too-large": format_lazy(
                gettext_lazy("This file is larger than {limit}: it cannot be sent."),
                limit=_lazy_size_label(self.max_bytes),
            ),
            "data-wrong-type": format_lazy(
                gettext_lazy("This kind of file is not accepted here. Choose {kinds}."),
                kinds=self.kinds_label,
            ),
        }

    def check(self, upload) -> FileKind:
        """The kind of an incoming file; ValidationError (code empty, too_large, file_type or
        extension) when the field does not take it."""
        size = upload.size or 0
        if size == 0:
            raise ValidationError(_("The file is empty."), code="empty")
        cut_off = isinstance(upload, TooLargeUpload) or isinstance(
            getattr(upload, "file", None), TooLargeUpload
        )
        if size > self.max_bytes or cut_off:
            limit = min(self.max_bytes, settings.UPLOAD_MAX_FILE_BYTES)
            raise ValidationError(
                _("This file is %(size)s, more than the %(limit)s accepted here.")
                % {"size": size_label(size), "limit": size_label(limit)},
                code="too_large",
            )
        kind = detect_kind(upload)
        if kind is None or kind.code not in self.kinds:
            raise ValidationError(
                _("This kind of file is not accepted (its content was checked). Upload %(kinds)s.")
                % {"kinds": self.kinds_label},
                code="file_type",
            )
        name = upload.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in kind.extensions:
            raise ValidationError(
                _(
                    "The file's name ends in “.%(extension)s” but its content is %(kind)s; "
                    "rename or convert it."
                )
                % {"extension": extension, "kind": kind.label},
                code="extension",
            )
        return kind

    def __call__(self, value) -> None:
        # A file already stored passed this rule when it came in (a history row keeps only
        # its name).
        if not value or getattr(value, "_committed", False) or not hasattr(value, "read"):
            return
        self.check(value)


def detected_type(upload, rule: UploadRule) -> str | None:
    """The MIME type to store for an incoming file that passes `rule`, else None (its field's
    validator reports why)."""
    if not upload or getattr(upload, "_committed", False):
        return None
    try:
        return rule.check(upload).mime
    except ValidationError:
        return None


def named_upload(name: str, content: bytes) -> UploadedFile:
    """Bytes with their file name, for checking content held in memory (e.g. an import)."""
    return UploadedFile(BytesIO(content), name=name, size=len(content))


# --- Large requests -----------------------------------------------------------------------


def _too_large_response(request: HttpRequest) -> HttpResponse:
    html = render_to_string(
        "errors/413.html",
        {
            "limit": size_label(settings.UPLOAD_MAX_REQUEST_BYTES),
            "file_limit": size_label(settings.UPLOAD_MAX_FILE_BYTES),
            "back": request.path,
        },
    )
    return HttpResponse(html, status=413)


class UploadLimitMiddleware:
    """A request declaring more than UPLOAD_MAX_REQUEST_BYTES of form data is answered with
    413 before its body is read (and before CSRF or the session look at it)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.UPLOAD_MAX_REQUEST_BYTES:
            return _too_large_response(request)
        return self.get_response(request)


class TooLargeUpload(UploadedFile):
    """What is left of a file cut off at the limit: nothing stored, only its size, so the
    field's rule says how large it was."""

    def __init__(self, *, name: str | None, size: int, content_type: str | None) -> None:
        super().__init__(BytesIO(b""), name=name, content_type=content_type, size=size)


class CappedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: past UPLOAD_MAX_FILE_BYTES, a file's further chunks
    are dropped instead of being written to memory or disk."""

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, *args):
        super().new_file(field_name, file_name, content_type, content_length, charset, *args)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_FILE_BYTES:
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > settings.UPLOAD_MAX_FILE_BYTES:
            return TooLargeUpload(
                name=self.file_name, size=self.received, content_type=self.content_type
            )
        return None


class ProtectedFieldFile(FieldFile):
    """Media files are never served as they are: a stored file's address is its record's
    download page, which checks who asks (the admin's "Currently:" link included)."""

    field: "ProtectedFileField"

    @property
    def url(self) -> str:
        self._require_file()  # type: ignore[attr-defined]  # Django's own check; not in the stub
        return reverse(self.field.download_view, args=[self.instance.pk])


class ProtectedFileField(models.FileField):
    """A FileField whose files are reached through `download_view` (a URL name taking the
    record's id), never through MEDIA_URL."""

    attr_class = ProtectedFieldFile

    def __init__(self, *args, download_view: str = "", **kwargs) -> None:
        self.download_view = download_view
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["download_view"] = self.download_view
        return name, path, args, kwargs
