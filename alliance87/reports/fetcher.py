"""The only way a PDF may load anything: the app's own static and media files, from disk.

WeasyPrint asks this fetcher for every stylesheet, image and font. Everything else — other
hosts, file:// paths, data: URIs, redirects — is refused, so nothing a user wrote into a
report can make the renderer read a local file or call a remote address.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

# An address no network resolves (.invalid is reserved): relative links in the report resolve
# against it, and this fetcher answers them from disk.
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
        path = unquote(parts.path)
        if parts.scheme != "https" or parts.netloc != HOST or ".." in path.split("/"):
            return self._refuse(url)
        content_type = _TYPES.get(Path(path).suffix.lower())
        if content_type is None:
            return self._refuse(url)
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if not found:
                return self._refuse(url)
            body = Path(found).read_bytes()
        elif path.startswith(settings.MEDIA_URL):
            name = path.removeprefix(settings.MEDIA_URL)
            if not default_storage.exists(name):
                return self._refuse(url)
            with default_storage.open(name) as handle:
                body = handle.read()
        else:
            return self._refuse(url)
        self.fetched.append(path)
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _refuse(self, url: str):
        self.refused.append(url)
        raise RefusedURL(f"refused to fetch {url!r}")
