"""The PDF fetcher loads whatever {% static %} gives out, in every static storage, and nothing else.

Each storage configuration renders the report template and reads the PDF back: the stylesheet
sets the text in DejaVu Sans (without it WeasyPrint falls back to a serif), and the logo draws
its gold ring on the cover.
"""

from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.management import call_command
from django.test import override_settings
from django.utils.encoding import filepath_to_uri
from django.utils.functional import empty

from alliance87.reports import services
from alliance87.reports.fetcher import PortalURLFetcher, RefusedURL
from tests.pdf import pdf_colours, pdf_fonts
from tests.reports.kinds_for_tests import NARRATIVE

SOURCE = Path(django_settings.BASE_DIR) / "static"
LOGO_GOLD = "#f2b705"
MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"
PLAIN = "django.contrib.staticfiles.storage.StaticFilesStorage"
REMOTE_STATIC_URL = "https://assets.example.org/portal/static/"


class RemoteStorage(Storage):
    """A remote store as S3 is to the portal: files by name, URLs under an absolute
    STATIC_URL, no local path, and nothing to reach over the network."""

    files: dict[str, bytes] = {}

    def _open(self, name, mode="rb"):
        if name not in self.files:
            raise FileNotFoundError(name)
        return ContentFile(self.files[name], name=name)

    def _save(self, name, content):
        self.files[name] = b"".join(content.chunks())
        return name

    def exists(self, name):
        return name in self.files

    def delete(self, name):
        self.files.pop(name, None)

    def size(self, name):
        return len(self.files[name])

    def url(self, name):
        return urljoin(django_settings.STATIC_URL, filepath_to_uri(name))


class RemoteManifestStorage(ManifestFilesMixin, RemoteStorage):
    """The remote store with hashed names, as S3ManifestStaticStorage."""


def render(template="reports/pdf/test_kind.html"):
    context = {"report_title": "T", "narrative": NARRATIVE, "figure": 1, "report_subject": "S"}
    return services.render_pdf(template=template, context=context, language="en")


def assert_styled_with_logo(pdf: bytes) -> None:
    assert {"DejaVu-Sans", "DejaVu-Sans-Bold"} <= set(pdf_fonts(pdf))
    assert LOGO_GOLD in pdf_colours(pdf)


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """The static files as production collects them: the manifest storage, hashed names."""
    root = tmp_path_factory.mktemp("staticfiles")
    storages = {**django_settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    with override_settings(STORAGES=storages, STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def manifest(settings, collected):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    settings.STATIC_ROOT = collected
    return collected


@pytest.fixture
def remote(settings):
    RemoteStorage.files = {
        path.relative_to(SOURCE).as_posix(): path.read_bytes()
        for path in SOURCE.rglob("*")
        if path.is_file()
    }
    settings.STATIC_URL = REMOTE_STATIC_URL
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{__name__}.RemoteStorage"},
    }
    return RemoteStorage.files


def test_with_the_manifest_the_pdf_loads_the_hashed_stylesheet_and_logo(manifest):
    pdf, fetcher = render()

    css = staticfiles_storage.url("css/pdf.css")
    logo = staticfiles_storage.url("img/logo.svg")
    assert css != "/static/css/pdf.css" and logo != "/static/img/logo.svg"
    assert sorted(fetcher.fetched) == sorted([css, logo]) and fetcher.refused == []
    assert_styled_with_logo(pdf)


def test_with_the_manifest_the_fetcher_reads_the_collected_file(manifest):
    (manifest / "css" / staticfiles_storage.stored_name("css/pdf.css").split("/")[-1]).write_text(
        "/* collected */"
    )

    response = PortalURLFetcher().fetch(
        "https://portal.invalid" + staticfiles_storage.url("css/pdf.css")
    )

    assert response.read() == b"/* collected */"


@pytest.mark.parametrize(
    "name",
    [
        "css/pdf.css",  # the source name: {% static %} gives the hashed one
        "css/pdf.0123456789ab.css",  # a hash the manifest does not list
        "css/pdf.css.gz",  # a compressed copy: not a type a PDF loads
        "css/extra.css",  # put in STATIC_ROOT by hand, not collected
    ],
)
def test_with_the_manifest_a_name_it_does_not_list_is_refused(manifest, name):
    (manifest / "css" / "extra.css").write_text("p { color: red }")

    with pytest.raises(RefusedURL):
        PortalURLFetcher().fetch(f"https://portal.invalid/static/{name}")


def test_with_the_manifest_and_debug_on_the_source_names_are_served(manifest, settings):
    settings.DEBUG = True  # {% static %} then gives the source names

    pdf, fetcher = render()

    assert sorted(fetcher.fetched) == ["/static/css/pdf.css", "/static/img/logo.svg"]
    assert_styled_with_logo(pdf)


def test_with_plain_static_files_the_pdf_loads_them_from_the_source_folder(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN}}
    settings.STATIC_ROOT = tmp_path / "nothing-collected"

    pdf, fetcher = render()

    assert sorted(fetcher.fetched) == ["/static/css/pdf.css", "/static/img/logo.svg"]
    assert fetcher.refused == []
    assert_styled_with_logo(pdf)


def test_with_plain_static_files_a_name_absent_from_the_source_is_refused():
    with pytest.raises(RefusedURL):
        PortalURLFetcher().fetch("https://portal.invalid/static/css/absent.css")


def test_with_a_remote_storage_the_pdf_reads_the_files_through_it(remote):
    remote["css/pdf.css"] += b"\n.cover__brand { color: #123456; }"

    pdf, fetcher = render()

    assert sorted(fetcher.fetched) == ["/portal/static/css/pdf.css", "/portal/static/img/logo.svg"]
    assert fetcher.refused == []
    assert_styled_with_logo(pdf)
    assert "#123456" in pdf_colours(pdf)  # the store's copy, not static/


def test_with_a_remote_storage_a_signed_link_is_read_by_name(remote):
    response = PortalURLFetcher().fetch(f"{REMOTE_STATIC_URL}img/logo.svg?X-Amz-Signature=abc")

    assert response.read() == remote["img/logo.svg"]


@pytest.mark.parametrize(
    "url",
    [
        f"{REMOTE_STATIC_URL}css/absent.css",  # not in the store
        "https://assets.example.org/portal/other/css/pdf.css",  # same host, elsewhere
        "http://assets.example.org/portal/static/css/pdf.css",  # another scheme
        "https://assets.example.org.evil.test/portal/static/css/pdf.css",
        "https://portal.invalid/static/css/pdf.css",  # not where {% static %} points now
    ],
)
def test_with_a_remote_storage_everything_else_is_refused(remote, url):
    with pytest.raises(RefusedURL):
        PortalURLFetcher().fetch(url)


def test_with_a_remote_manifest_storage_the_pdf_loads_the_hashed_files(settings):
    RemoteStorage.files = {}
    settings.STATIC_URL = REMOTE_STATIC_URL
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{__name__}.RemoteManifestStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    staticfiles_storage._wrapped = empty  # a new instance reads the stored manifest

    pdf, fetcher = render()

    assert staticfiles_storage.url("css/pdf.css").startswith(f"{REMOTE_STATIC_URL}css/pdf.")
    assert len(fetcher.fetched) == 2 and fetcher.refused == []
    assert_styled_with_logo(pdf)


def test_a_media_file_is_read_from_the_media_storage(settings):
    Path(settings.MEDIA_ROOT, "charts").mkdir(parents=True)
    Path(settings.MEDIA_ROOT, "charts", "chart.svg").write_text("<svg/>")

    response = PortalURLFetcher().fetch("https://portal.invalid/media/charts/chart.svg")

    assert response.read() == b"<svg/>"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "https://portal.invalid/static/../../etc/passwd.css",
        "https://portal.invalid/static/css/%2e%2e/%2e%2e/settings.css",
        "https://portal.invalid/static//etc/passwd.css",
        "https://portal.invalid/media/../static/css/pdf.css",
        "https://portal.invalid/media/charts/absent.svg",
        "https://elsewhere.example/static/css/pdf.css",
        "https://portal.invalid/etc/passwd",
        "https://portal.invalid/static/js/portal.js",  # not a type a PDF loads
        "https://portal.invalid/static/",
        "data:image/svg+xml,<svg/>",
    ],
)
def test_the_pdf_fetcher_refuses_everything_but_own_files(url):
    with pytest.raises(RefusedURL):
        PortalURLFetcher().fetch(url)


def test_the_pdf_fetcher_serves_the_apps_own_stylesheet():
    response = PortalURLFetcher().fetch("https://portal.invalid/static/css/pdf.css")

    assert b"@page" in response.read()


def test_a_refused_file_leaves_the_pdf_unstyled(settings, tmp_path):
    """The check the tests above rely on: without the stylesheet and logo, it shows."""
    template = tmp_path / "bare.html"
    template.write_text("<h1>T</h1><p>Body</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]

    pdf, _fetcher = render(template="bare.html")

    assert not {"DejaVu-Sans", "DejaVu-Sans-Bold"} <= set(pdf_fonts(pdf))
    assert LOGO_GOLD not in pdf_colours(pdf)
