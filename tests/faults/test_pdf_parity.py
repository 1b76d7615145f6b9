"""A PDF report made in production looks exactly like the one made in development.

Production as deployed: the production settings (DEBUG off, static files collected with the
manifest storage, so every {% static %} URL carries a hash), gunicorn with several workers, a
real Celery worker and beat, a private redis-server and a scratch PostgreSQL database with the
demo data. The Secretariat asks for each report kind from its page, as the browser form does;
the worker renders them, and each PDF downloaded through the portal must carry what its
stylesheet and logo give it: the stylesheet's fonts embedded, the logo drawn on the cover, and
no "refused to fetch" in any log.

Then the same requests are rendered again with the development settings (static files straight
from static/), and the two PDFs must agree: page count, fonts, images, and every page pixel
for pixel (drawn by poppler's pdftoppm). Only the generation time may differ (the development
rendering is made later; the "data as of" time is the recorded one): the lines whose text
differs must be timestamps, their boxes (from poppler's text layout of both PDFs, so no
coordinates are written into the test) are blanked in both images, and every other pixel must
be equal. A missing stylesheet or logo changes the whole page, so nothing but the clock can
hide in those boxes.
"""

import re
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from alliance87.reports.kinds import KINDS
from tests.pdf import (
    pdf_colours,
    pdf_fonts,
    pdf_images,
    pdf_lines,
    pdf_page_count,
    pdf_pixels,
)

from .harness import (
    CeleryBeat,
    CeleryWorker,
    PortalProcess,
    RedisProcess,
    form_fields,
    portal_env,
    query,
    render_in_development,
    sign_in_as,
)

pytestmark = pytest.mark.faults

SECRETARIAT = "secretariat@alliance87.test"  # may ask for every kind
# The page each kind is asked for from ({event}: a past demo event).
PAGES = {
    "country_dossier": "/pathfinders/countries/FJ/",
    "alliance_accountability": "/pathfinders/",
    "financing_gap": "/financing/",
    "event_outcome": "/events/{event}/",
    "gcg_composition": "/governance/gcg/",
}
# pdf.css sets the text in DejaVu Sans, headings in its bold; without the stylesheet
# WeasyPrint falls back to its default serif.
STYLESHEET_FONTS = {"DejaVu-Sans", "DejaVu-Sans-Bold"}
LOGO = Path(__file__).resolve().parents[2] / "static" / "img" / "logo.svg"
# The cover's "Data as of" and "Generated" times, as the |moment filter writes them in
# English ("Dec. 6, 2026, 7:04 a.m. (UTC)"): the only lines that may differ.
TIMESTAMP = re.compile(
    r"^\w{3,5}\.? \d{1,2}, \d{4}, (\d{1,2}(:\d\d)? [ap]\.m\.|noon|midnight) \(UTC\)$"
)
RENDER_SECONDS = 150
DPI = 60


def logo_colours() -> set[str]:
    """The colours the logo draws with (its SVG is drawn as paths, not as an image)."""
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{3,6})"', LOGO.read_text()))
    return {
        "#" + "".join(2 * c for c in colour[1:]) if len(colour) == 4 else colour.lower()
        for colour in colours
    }


def ask_for_every_kind(session, event: int) -> dict[str, int]:
    requests = {}
    for kind, page in PAGES.items():
        page = page.format(event=event)
        status, _location, content = session.request("GET", page)
        assert status == 200, f"{page} answers {status}"
        fields = form_fields(content, "/reports/request/")
        assert fields.get("kind") == [kind], f"{page} offers {fields.get('kind')}, not {kind}"
        status, location, _content = session.request("POST", "/reports/request/", fields)
        assert status == 302 and re.fullmatch(r"/reports/\d+/", location), (kind, status, location)
        requests[kind] = int(location.strip("/").split("/")[-1])
    return requests


def wait_until_rendered(database_url: str, request_ids: list[int]) -> dict[int, tuple]:
    deadline = time.monotonic() + RENDER_SECONDS
    while True:
        rows = query(
            database_url,
            "SELECT id, status, error_detail FROM reports_reportrequest WHERE id = ANY(%s)",
            (request_ids,),
        )
        if all(state not in {"queued", "running"} for _pk, state, _error in rows):
            break
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    return {pk: (state, error) for pk, state, error in rows}


def timestamp_boxes(ours: list, theirs: list) -> list[tuple]:
    """The boxes of a page's lines whose text differs in the two PDFs: each must be a
    timestamp, and every other line must sit in the same place."""
    assert len(ours) == len(theirs), f"the pages differ:\n{ours}\n{theirs}"
    boxes = []
    for mine, other in zip(ours, theirs, strict=True):
        if mine.text == other.text:
            assert mine.box == other.box, f"the page is laid out differently: {mine} {other}"
        else:
            assert TIMESTAMP.search(mine.text) and TIMESTAMP.search(other.text), (mine, other)
            # Another time may be wider ("9 May" and "10 May"): blank both boxes.
            boxes.append(
                (
                    min(mine.box[0], other.box[0]),
                    min(mine.box[1], other.box[1]),
                    max(mine.box[2], other.box[2]),
                    max(mine.box[3], other.box[3]),
                )
            )
    return boxes


def differing_pixels(production: Path, development: Path) -> dict[int, int]:
    """The pages (1-based) whose pixels differ outside the timestamps, and by how many."""
    images = [pdf_pixels(path, dpi=DPI) for path in (production, development)]
    lines = [pdf_lines(path) for path in (production, development)]
    scale = DPI / 72
    differing = {}
    for number, (ours, theirs, our_lines, their_lines) in enumerate(
        zip(*images, *lines, strict=True), start=1
    ):
        assert ours.shape == theirs.shape, (number, ours.shape, theirs.shape)
        ours, theirs = ours.copy(), theirs.copy()
        for x0, y0, x1, y1 in timestamp_boxes(our_lines, their_lines):
            rows = slice(max(int(y0 * scale) - 1, 0), int(np.ceil(y1 * scale)) + 1)
            columns = slice(max(int(x0 * scale) - 1, 0), int(np.ceil(x1 * scale)) + 1)
            ours[rows, columns] = theirs[rows, columns] = 255
        count = int(np.any(ours != theirs, axis=2).sum())
        if count:
            differing[number] = count
    return differing


def test_pdf_reports_made_in_production_look_like_those_made_in_development(database_url):
    assert set(PAGES) == set(KINDS), "every report kind is asked for from its page"
    ((event,),) = query(
        database_url,
        "SELECT id FROM workshops_event WHERE end_date < now() ORDER BY end_date DESC LIMIT 1",
    )
    work = tempfile.TemporaryDirectory(prefix="faults-pdf-")
    folder = Path(work.name)
    redis = RedisProcess()
    portal = worker = beat = None
    try:
        redis.start()
        env = portal_env(
            database_url,
            media_root=folder / "media",
            redis_url=redis.url_for(0),
            REDIS_CACHE_URL=redis.url_for(1),
            REPORT_REQUESTS_PER_HOUR="1000",
            REPORT_SWEEP_SECONDS="5",  # beat's first due task comes soon after it starts
        )
        portal = PortalProcess(env, workers=3).start()
        worker = CeleryWorker(env).start()
        beat = CeleryBeat(env).start()

        def logs() -> str:
            return f"{portal.log_tail()}\n{worker.log_tail()}\n{beat.log_tail()}"

        session = sign_in_as(portal.port, SECRETARIAT)
        requests = ask_for_every_kind(session, event)
        outcome = wait_until_rendered(database_url, list(requests.values()))
        for kind, pk in requests.items():
            state, error = outcome[pk]
            assert state == "done", f"{kind} (request {pk}) is {state}: {error[-1500:]}\n{logs()}"

        production = {}
        for kind, pk in requests.items():
            status, _location, content = session.request("GET", f"/reports/{pk}/download/")
            assert status == 200 and content.startswith(b"%PDF"), (kind, status, content[:80])
            production[kind] = folder / f"{kind}-production.pdf"
            production[kind].write_bytes(content)
        for kind, path in production.items():
            pdf = path.read_bytes()
            fonts = pdf_fonts(pdf)
            assert {name for name, embedded in fonts.items() if embedded} >= STYLESHEET_FONTS, (
                f"{kind}: the stylesheet's fonts are not embedded: {fonts}"
            )
            assert logo_colours() <= pdf_colours(pdf), f"{kind}: no logo on the cover"
        refused = [
            line
            for process in (portal, worker, beat)
            for line in process.log_path.read_text(errors="replace").splitlines()
            if "refused to fetch" in line
        ]
        assert refused == [], "\n".join(refused[:6])

        development = render_in_development(database_url, list(requests.values()), folder / "dev")
        for kind, pk in requests.items():
            ours, theirs = production[kind], development[pk].pdf
            assert development[pk].refused == [], development[pk].refused
            pdf, dev_pdf = ours.read_bytes(), theirs.read_bytes()
            assert pdf_page_count(pdf) == pdf_page_count(dev_pdf), kind
            assert pdf_fonts(pdf) == pdf_fonts(dev_pdf), kind
            assert pdf_images(pdf) == pdf_images(dev_pdf), kind
            assert differing_pixels(ours, theirs) == {}, f"{kind}: pages differ (page: pixels)"
    finally:
        for process in (portal, worker, beat):
            if process:
                process.stop()
        redis.stop()
        work.cleanup()
