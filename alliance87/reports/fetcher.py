"""The only way a PDF may load anything: the app's own static and media files, by name.

WeasyPrint asks this fetcher for every stylesheet, image and font. It answers only the URLs
that {% static %} or the media storage give out, and reads each file through its storage,
whatever the configuration:

- the manifest storage of production (whitenoise): hashed names such as css/pdf.3f1c.css,
  read from the collected files; a name the manifest does not list is refused;
- the plain storage of development: the files of static/, through the finders, without
  collectstatic;
- a remote storage such as S3 (an absolute https STATIC_URL): the name after that URL, read
  through the storage by name, never by a network request to the URL.

Everything else — other hosts, file:// paths, data: URIs, '..', unknown extensions, names the
storage does not hold — is refused, so nothing a user wrote into a report can make the
renderer read a local file or call a remote address.
"""

from pathlib import PurePosixPath
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

# An address no network resolves (.invalid is reserved): relative links in the report resolve
# against it, and this fetcher answers them from the storages.
HOST = "portal.invalid"
BASE_URL = f"https://{HOST}/"
_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
}


class RefusedURL(ValueError):
    pass


class PortalURLFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False, timeout=1)
        self.fetched: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        body = None
        static_name = _name_below(parts, _base_url(staticfiles_storage, settings.STATIC_URL))
        media_name = _name_below(parts, _base_url(default_storage, settings.MEDIA_URL))
        if static_name is not None and _allowed(static_name):
            name, body = static_name, _static_file(static_name)
        elif media_name is not None and _allowed(media_name):
            name, body = media_name, _read(default_storage, media_name)
        if body is None:
            self.refused.append(url)
            raise RefusedURL(f"refused to fetch {url!r}")
        self.fetched.append(unquote(parts.path))
        content_type = _TYPES[PurePosixPath(name).suffix.lower()]
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def _base_url(storage: Storage, setting: str) -> str:
    """Where the storage's URLs start: its own base URL (that of the file-system and
    in-memory storages, which build their URLs on it), else the setting (a remote storage
    serving STATIC_URL or MEDIA_URL)."""
    return getattr(storage, "base_url", None) or setting


def _name_below(parts: SplitResult, base_url: str) -> str | None:
    """The file name a URL gives below a storage's base URL, relative to the portal or
    absolute (same scheme and host); None when the URL is elsewhere. A query string (the
    signature of a remote storage's link) plays no part: the file is read by name."""
    base = urlsplit(urljoin(BASE_URL, base_url))
    path, base_path = unquote(parts.path), unquote(base.path)
    if (parts.scheme, parts.netloc.lower()) != (base.scheme, base.netloc.lower()):
        return None
    if not base_path.endswith("/") or not path.startswith(base_path):
        return None
    return path.removeprefix(base_path)


def _allowed(name: str) -> bool:
    """A plain relative name (no '..', '.', empty or absolute parts) of a known type."""
    segments = name.split("/")
    return (
        all(segment not in {"", ".", ".."} for segment in segments)
        and "\\" not in name
        and name.isprintable()
        and PurePosixPath(name).suffix.lower() in _TYPES
    )


def _static_file(name: str) -> bytes | None:
    storage = staticfiles_storage
    if isinstance(storage, ManifestFilesMixin):
        # {% static %} gives out the hashed names the manifest lists (the source names while
        # DEBUG is on); a stale copy or a file put there by hand is not among them.
        given_out = set(storage.hashed_files.values())
        if settings.DEBUG:
            given_out.update(storage.hashed_files)
        if name not in given_out:
            return None
    elif isinstance(storage, FileSystemStorage):
        # Development serves static/ through the finders, with nothing collected.
        found = finders.find(name)
        if found:
            with open(found, "rb") as handle:
                return handle.read()
    return _read(storage, name)


def _read(storage: Storage, name: str) -> bytes | None:
    if not storage.exists(name):
        return None
    with storage.open(name) as handle:
        return handle.read()
