"""Fifty people ask for the same country dossier at the same moment: one render, one file.

Asked for from the country page by three signed-in people (the per-person rate limit is
raised out of the way: it must not be what joins the requests), through gunicorn with the
production settings, a real Celery worker and a private redis-server. Every answer leads to
the same request, which ends done after one attempt with exactly one PDF in the media folder.

The worker starts once every answer is in: the dossier renders in about a second, less than
fifty requests may take on a busy machine, and a request made after the render finished
rightly asks for a new one (a request joins only a queued or running one).
"""

import tempfile
import threading
import time
from pathlib import Path

import pytest

from .harness import (
    CeleryWorker,
    PortalProcess,
    RedisProcess,
    copy_session,
    form_fields,
    portal_env,
    query,
    sign_in_as,
)

pytestmark = pytest.mark.faults

BURST = 50
# All three read the portal in English: a request in another language is another report.
PEOPLE = [
    "secretariat@alliance87.test",
    "gcg.observer@alliance87.test",
    "focal.point@alliance87.test",
]
COUNTRY_PAGE = "/pathfinders/countries/FJ/"
RENDER_SECONDS = 90


def test_a_burst_of_identical_report_requests_renders_one_pdf(database_url):
    media = tempfile.TemporaryDirectory(prefix="faults-media-")
    redis = RedisProcess()
    portal = worker = None
    try:
        redis.start()
        env = portal_env(
            database_url,
            media_root=media.name,
            redis_url=redis.url,
            REPORT_REQUESTS_PER_HOUR="1000",
        )
        portal = PortalProcess(env, workers=4).start()
        worker = CeleryWorker(env)

        def logs() -> str:
            return f"{portal.log_tail()}\n{worker.log_tail()}"

        forms = {}
        for email in PEOPLE:
            session = sign_in_as(portal.port, email)
            status, _location, content = session.request("GET", COUNTRY_PAGE)
            assert status == 200, f"{COUNTRY_PAGE} answers {status} to {email}\n{logs()}"
            fields = form_fields(content, "/reports/request/")
            assert fields.get("kind") == ["country_dossier"], fields
            forms[email] = (session, fields)

        barrier = threading.Barrier(BURST, timeout=60)
        answers: list[tuple[int, str] | None] = [None] * BURST

        def ask(index: int) -> None:
            base, fields = forms[PEOPLE[index % len(PEOPLE)]]
            session = copy_session(base)
            barrier.wait()
            try:
                status, location, _content = session.request("POST", "/reports/request/", fields)
            except OSError as error:
                status, location = 0, str(error)
            answers[index] = (status, location)

        threads = [threading.Thread(target=ask, args=(index,)) for index in range(BURST)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
        burst_seconds = time.monotonic() - started
        assert not any(thread.is_alive() for thread in threads), "a request hung"

        locations = set(answers)
        assert len(locations) == 1, f"the answers differ: {sorted(map(str, locations))}\n{logs()}"
        ((status, location),) = locations
        assert status == 302 and location.startswith("/reports/"), (status, location)
        report_id = int(location.strip("/").split("/")[-1])

        worker.start()

        deadline = time.monotonic() + RENDER_SECONDS
        while time.monotonic() < deadline:
            ((state,),) = query(
                database_url, "SELECT status FROM reports_reportrequest WHERE id = %s", (report_id,)
            )
            if state not in {"queued", "running"}:
                break
            time.sleep(0.5)
        rows = query(
            database_url,
            """SELECT id, status, attempts, file, error_detail FROM reports_reportrequest
               WHERE subject_key = 'country_dossier:FJ' AND language = 'en'""",
        )
        assert len(rows) == 1, f"{len(rows)} requests for one dossier: {rows}\n{logs()}"
        ((pk, state, attempts, name, error),) = rows
        assert (pk, state, attempts) == (report_id, "done", 1), (
            f"request {pk}: {state} after {attempts} attempts "
            f"(burst took {burst_seconds:.1f} s) {error[-1500:]}\n{logs()}"
        )
        pdfs = sorted(Path(media.name).rglob("*.pdf"))
        assert [pdf.relative_to(media.name).as_posix() for pdf in pdfs] == [name], pdfs
        assert pdfs[0].read_bytes().startswith(b"%PDF")
        requesters = query(
            database_url,
            "SELECT count(*) FROM reports_reportrequest_requesters WHERE reportrequest_id = %s",
            (report_id,),
        )
        assert requesters == [(len(PEOPLE),)]

        # Each person follows the answer to the same request, now ready to download.
        for email in PEOPLE:
            session, _fields = forms[email]
            status, _location, content = session.request("GET", location)
            assert status == 200 and f"/reports/{report_id}/download/" in content.decode()
        received = [
            line
            for line in worker.log_tail(500, width=1000).splitlines()
            if "render_report[" in line and "received" in line
        ]
        assert len(received) == 1, f"the render task was received {len(received)} times\n{logs()}"
    finally:
        if portal:
            portal.stop()
        if worker:
            worker.stop()  # safe before start() too
        redis.stop()
        media.cleanup()
