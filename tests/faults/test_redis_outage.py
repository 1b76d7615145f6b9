"""Redis stopped under the production stack: gunicorn, a Celery worker and Celery beat, with
the broker and the cache on one private redis-server.

While Redis is down people still sign in (the Secretariat with its TOTP code), the lockout
of failed sign-ins still holds (counted in the database), every main page answers, a focal
point saves and submits a progress form, and a report request stays queued with the
"background service not reachable" message. Once Redis is back on the same port the report
is produced by itself: beat sends the sweep (every 2 s here, JOB_SWEEP_SECONDS), the
sweep re-sends the queued request (JOB_RESEND_AFTER_SECONDS=2) and the worker renders it.
Beat runs through the outage as it does in production, rather than the test calling the
sweep itself, so the test also shows that beat and the worker come back on their own.
"""

import re
import tempfile
import time
from pathlib import Path

import pytest

from .harness import (
    CeleryBeat,
    CeleryWorker,
    PortalProcess,
    RedisProcess,
    Session,
    editable_report,
    form_fields,
    portal_env,
    query,
    sign_in_as,
)

pytestmark = pytest.mark.faults

FOCAL_POINT = "focal.point@alliance87.test"
SECRETARIAT = "secretariat@alliance87.test"
OBSERVER = "gcg.observer@alliance87.test"
PAGES = {
    SECRETARIAT: [
        "/dashboard/",
        "/pathfinders/",
        "/pathfinders/countries/FJ/",
        "/pathfinders/review/",
        "/governance/gcg/",
        "/governance/groups/",
        "/financing/",
        "/events/",
        "/reports/",
        "/admin/",
        "/admin/pathfinders/progressreport/",
    ],
    FOCAL_POINT: ["/dashboard/", "/pathfinders/countries/FJ/", "/governance/gcg/", "/reports/"],
}
# A request that waited on a socket timeout for every cache call would take many seconds;
# the bound is loose because the test shares two cores with the rest of the suite.
FAST_SECONDS = 5.0
RECOVERY_SECONDS = 150  # the worker's reconnection backs off up to 30 s between tries
QUEUED_MESSAGE = "Waiting for the background service, which is not reachable right now."
LOCKED_MESSAGE = "Too many failed login attempts"


def timed(session: Session, method: str, path: str, body: dict | None = None):
    started = time.monotonic()
    status, location, content = session.request(method, path, body)
    return status, location, content, time.monotonic() - started


def post_form(session: Session, page: str, target: str, **overrides: list[str]):
    """GET `page`, then POST its form sent to `target` with `overrides`, as a browser would."""
    status, _location, content = session.request("GET", page)
    assert status == 200, f"GET {page}: {status}"
    fields = form_fields(content, target, fill_choices=True)
    assert fields, f"no form sent to {target} on {page}"
    fields.update(overrides)
    return timed(session, "POST", target, fields)


def failed_sign_in(port: int, email: str, password: str) -> str:
    session = Session(port)
    _status, _location, content = session.request("GET", "/accounts/login/")
    fields = form_fields(content, "/accounts/login/")
    fields.update({"login": [email], "password": [password]})
    status, _location, content = session.request("POST", "/accounts/login/", fields)
    assert status == 200, f"a refused sign-in answers the form again, not {status}"
    return content.decode("utf-8", "replace")


def test_redis_outage_keeps_the_portal_working_and_reports_complete_after(database_url):
    work = tempfile.TemporaryDirectory(prefix="faults-redis-")
    workdir = Path(work.name)
    redis = RedisProcess()
    portal = worker = beat = None
    try:
        redis.start()
        env = portal_env(
            database_url,
            media_root=workdir / "media",
            redis_url=redis.url_for(0),
            REDIS_CACHE_URL=redis.url_for(1),
            JOB_SWEEP_SECONDS="2",
            JOB_RESEND_AFTER_SECONDS="2",
            LOG_LEVEL="INFO",
        )
        portal = PortalProcess(env, workers=4).start()
        worker = CeleryWorker(env, concurrency=1).start()
        beat = CeleryBeat(env).start()

        def diagnostics() -> str:
            return "\n".join(process.log_tail() for process in (portal, worker, beat, redis))

        redis.stop()

        # Signing in: a focal point, and the Secretariat with its TOTP code.
        started = time.monotonic()
        focal = sign_in_as(portal.port, FOCAL_POINT)
        secretariat = sign_in_as(portal.port, SECRETARIAT)
        assert time.monotonic() - started < 4 * FAST_SECONDS, diagnostics()

        # The lockout holds: five wrong passwords, then even the right one is refused, on
        # whichever of the four workers each attempt lands.
        for _ in range(5):
            assert LOCKED_MESSAGE not in failed_sign_in(portal.port, OBSERVER, "wrong-password")
        assert LOCKED_MESSAGE in failed_sign_in(portal.port, OBSERVER, "alliance87-demo")

        # Browsing: every main page answers, and fast.
        for email, session in ((SECRETARIAT, secretariat), (FOCAL_POINT, focal)):
            for path in PAGES[email]:
                status, _location, _content, seconds = timed(session, "GET", path)
                assert status == 200, f"{email} GET {path}: {status}\n{diagnostics()}"
                assert seconds < FAST_SECONDS, f"{email} GET {path} took {seconds:.2f} s"

        # The progress form: saved, then submitted, both stored.
        report_id = editable_report(database_url, "FJ")
        edit = f"/pathfinders/reports/{report_id}/edit/"
        marker = f"Saved while Redis was down {time.time():.0f}"
        status, _location, _content, seconds = post_form(
            focal, edit, edit, action=["save"], summary=[marker]
        )
        assert status == 302, f"saving the progress form: {status}\n{diagnostics()}"
        assert seconds < FAST_SECONDS
        assert query(
            database_url,
            "SELECT summary FROM pathfinders_progressreport WHERE id = %s",
            (report_id,),
        ) == [(marker,)]
        status, _location, _content, _seconds = post_form(focal, edit, edit, action=["submit"])
        assert status == 302, f"submitting the progress form: {status}\n{diagnostics()}"
        assert query(
            database_url,
            "SELECT status FROM pathfinders_progressreport WHERE id = %s",
            (report_id,),
        ) == [("submitted",)]

        # A report request stays queued, and its page says why.
        status, location, _content, seconds = post_form(
            focal, "/pathfinders/countries/FJ/", "/reports/request/"
        )
        assert status == 302, f"asking for the dossier: {status}\n{diagnostics()}"
        assert seconds < FAST_SECONDS, f"asking for a report took {seconds:.2f} s"
        found = re.search(r"/reports/(\d+)/$", location)
        assert found, f"asking for a report redirected to {location!r}"
        request_id = int(found.group(1))
        status, _location, content = focal.request("GET", f"/reports/{request_id}/")
        assert status == 200
        assert QUEUED_MESSAGE in content.decode("utf-8", "replace")
        assert query(
            database_url,
            "SELECT status, enqueued_at FROM reports_reportrequest WHERE id = %s",
            (request_id,),
        ) == [("queued", None)]

        # Redis comes back on the same port (empty: the message was never taken).
        redis.start()
        deadline = time.monotonic() + RECOVERY_SECONDS
        row = None
        while time.monotonic() < deadline:
            (row,) = query(
                database_url,
                "SELECT status, error_detail FROM reports_reportrequest WHERE id = %s",
                (request_id,),
            )
            if row[0] in ("done", "failed"):
                break
            time.sleep(1)
        assert row is not None and row[0] == "done", (
            f"report {request_id} is {row} {RECOVERY_SECONDS} s after Redis returned\n"
            + diagnostics()
        )
        status, _location, content = focal.request("GET", f"/reports/{request_id}/download/")
        assert status == 200
        assert content.startswith(b"%PDF")
        # Signing in still works with the cache back (rate limits counted in Redis again).
        assert sign_in_as(portal.port, FOCAL_POINT).request("GET", "/dashboard/")[0] == 200
    finally:
        for process in (beat, worker, portal):
            if process is not None:
                process.stop()
        redis.stop()
        work.cleanup()
