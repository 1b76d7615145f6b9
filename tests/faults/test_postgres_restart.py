"""PostgreSQL stopped for a few seconds, then started again, while 8 clients use the portal.

Requests fail only during the outage, and only with the friendly 503 page (never a 500 or a
stack trace); the same gunicorn master and workers serve again once the database is back
(CONN_HEALTH_CHECKS); and no progress form is half-saved: two focal points keep saving their
drafts, every field of one save carrying the same marker, and each stored report holds the
marker of one save only.
"""

import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.translation import gettext

from .harness import (
    PortalProcess,
    PostgresCluster,
    checkpoint,
    copy_session,
    editable_report,
    form_fields,
    indicator_fields,
    portal_env,
    query,
    sign_in_as,
    stored_report,
)

pytestmark = pytest.mark.faults

OUTAGE_SECONDS = 3  # between the stop and the start of the cluster (the start adds ~2 s)
BEFORE_SECONDS = 3
AFTER_SECONDS = 4  # at least, and until every client was served twice again (at most 30 s)
SERVED_AGAIN = 2
# A request that began just before the start returned may still meet the old connection.
GRACE_SECONDS = 1.0

READERS = [
    ("secretariat@alliance87.test", ["/pathfinders/", "/dashboard/", "/events/follow-ups/"]),
    ("gcg.member@alliance87.test", ["/governance/gcg/", "/financing/", "/dashboard/"]),
    ("gcg.observer@alliance87.test", ["/pathfinders/countries/FJ/", "/events/", "/dashboard/"]),
    ("focal.point@alliance87.test", ["/pathfinders/countries/FJ/", "/dashboard/"]),
    ("focal.point.ci@alliance87.test", ["/pathfinders/countries/CI/", "/governance/gcg/"]),
    ("gcg.observer@alliance87.test", ["/financing/", "/pathfinders/public/"]),
]
SAVERS = [("focal.point@alliance87.test", "FJ"), ("focal.point.ci@alliance87.test", "CI")]
MARKER = re.compile(r"\[(save-[A-Z]{2}-\d+)\]")


@dataclass
class Outcome:
    client: str
    method: str
    path: str
    started: float
    ended: float
    status: int  # 0: no HTTP answer at all (refused, reset, timed out)
    problem: str = ""


def unavailable_titles() -> set[str]:
    titles = set()
    for language in ("en", "fr", "es"):
        with translation.override(language):
            titles.add(gettext("The portal is briefly unavailable"))
    return titles


def stored_markers(database_url: str, report_id: int) -> dict[str, list[str | None]]:
    """The marker of every stored part of the report: summary, values, commitment updates."""

    def marker(text: str) -> str | None:
        found = MARKER.search(text or "")
        return found.group(1) if found else None

    report = stored_report(database_url, report_id)
    return {
        "summary": [marker(report.summary)],
        "indicator narratives": [marker(value.narrative) for value in report.values],
        "text values": [
            marker(value.value_text) for value in report.values if value.kind == "text"
        ],
        "commitment narratives": [marker(narrative) for narrative in report.commitment_narratives],
    }


def test_postgres_restart_fails_only_during_the_outage_with_the_friendly_page(
    database_url, redis_url
):
    cluster = PostgresCluster(os.environ["FAULTS_POSTGRES_CLUSTER"])
    reports = {iso: editable_report(database_url, iso) for _email, iso in SAVERS}
    text_indicators = indicator_fields(database_url, "text")
    titles = unavailable_titles()
    outcomes: list[Outcome] = []
    sent: dict[str, list[tuple[str, int]]] = {iso: [] for iso in reports}
    lock = threading.Lock()
    stop = threading.Event()

    media = tempfile.TemporaryDirectory(prefix="faults-media-")
    portal = PortalProcess(
        portal_env(database_url, media_root=media.name, redis_url=redis_url), workers=4
    )
    try:
        portal.start()
        pids_before = portal.pids()

        def call(client: str, session, method: str, path: str, body=None):
            started = time.monotonic()
            try:
                status, location, content = session.request(method, path, body)
            except OSError as error:
                status, location, content = 0, "", str(error).encode()
            text = content.decode("utf-8", "replace")
            problem = ""
            if status == 500 or "Traceback" in text:
                problem = "a server error or a stack trace"
            elif status == 503 and not any(title in text for title in titles):
                problem = "a 503 without the friendly page"
            outcome = Outcome(client, method, path, started, time.monotonic(), status, problem)
            with lock:
                outcomes.append(outcome)
            return status, location, content

        def reader(client: str, session, paths: list[str]) -> None:
            number = 0
            while not stop.is_set():
                status, _location, _content = call(
                    client, session, "GET", paths[number % len(paths)]
                )
                number += 1
                if status != 200:
                    time.sleep(0.1)

        def saver(client: str, session, iso: str) -> None:
            path = f"/pathfinders/reports/{reports[iso]}/edit/"
            fields: dict[str, list[str]] = {}
            number = 0
            while not stop.is_set():
                if not fields:
                    status, _location, content = call(client, session, "GET", path)
                    if status != 200:
                        time.sleep(0.1)
                        continue
                    fields = form_fields(content, path, fill_choices=True)
                    fields["action"] = ["save"]
                number += 1
                marker = f"[save-{iso}-{number}]"
                body = dict(fields)
                body["summary"] = [f"Summary of the period {marker}"]
                for name in body:
                    if name.endswith("narrative") or name in text_indicators:
                        body[name] = [f"As reported {marker}"]
                status, _location, _content = call(client, session, "POST", path, body)
                with lock:
                    sent[iso].append((marker.strip("[]"), status))
                if status == 302:
                    version = next(name for name in fields if name.endswith("version"))
                    fields[version] = [str(int(fields[version][0]) + 1)]
                else:
                    fields = {}  # the outcome is unknown: read the form again
                    time.sleep(0.1)

        people = {email: sign_in_as(portal.port, email) for email, _ in READERS + SAVERS}
        readers = [(email, copy_session(people[email]), paths) for email, paths in READERS]
        for email, session, paths in readers:
            for path in paths:
                status, _location, _content = session.request("GET", path)
                assert status == 200, (
                    f"{path} answers {status} to {email} before any fault\n{portal.log_tail()}"
                )
        threads = [
            threading.Thread(target=reader, args=(f"reader {n} {email}", session, paths))
            for n, (email, session, paths) in enumerate(readers)
        ]
        threads += [
            threading.Thread(target=saver, args=(f"saver {iso}", copy_session(people[email]), iso))
            for email, iso in SAVERS
        ]
        checkpoint(os.environ["FAULTS_DATABASE_SERVER"])
        for thread in threads:
            thread.start()
        timings = {}
        try:
            time.sleep(BEFORE_SECONDS)
            down_at = time.monotonic()
            cluster.stop()
            timings["stop"] = time.monotonic() - down_at
            time.sleep(OUTAGE_SECONDS)
        finally:
            starting = time.monotonic()
            cluster.start()  # whatever happened, the cluster is left running
            timings["start"] = time.monotonic() - starting
        up_at = time.monotonic()
        ok = {"GET": {200}, "POST": {302}}

        def served_again() -> dict[str, int]:
            counts = {f"reader {n} {email}": 0 for n, (email, _paths) in enumerate(READERS)}
            counts.update({f"saver {iso}": 0 for _email, iso in SAVERS})
            with lock:
                for row in outcomes:
                    if row.started > up_at + GRACE_SECONDS and row.status in ok[row.method]:
                        counts[row.client] += 1
            return counts

        time.sleep(AFTER_SECONDS)
        while time.monotonic() < up_at + 30 and min(served_again().values()) < SERVED_AGAIN:
            time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads), "a client hung"
        pids_after = portal.pids()

        def show(rows: list[Outcome]) -> str:
            lines = [
                f"{row.client}: {row.method} {row.path} -> {row.status} {row.problem} "
                f"at {row.started - down_at:+.2f}..{row.ended - down_at:+.2f} s"
                for row in rows[:10]
            ]
            return (
                f"outage from 0 to {up_at - down_at:.2f} s (pg_ctlcluster took {timings})\n"
                + "\n".join(lines)
                + "\n"
                + portal.log_tail()
            )

        failures = [row for row in outcomes if row.status not in ok[row.method]]
        bad = [row for row in outcomes if row.problem or row.status not in {200, 302, 409, 503}]
        assert not bad, "answers other than the friendly 503:\n" + show(bad)
        outside = [
            row for row in failures if row.ended < down_at or row.started > up_at + GRACE_SECONDS
        ]
        assert not outside, "failures outside the outage:\n" + show(outside)
        conflicts = [row for row in failures if row.status == 409]
        for row in conflicts:
            # A save whose answer was lost may have been stored: the next one is stale.
            assert row.started > down_at, "a conflict before the outage:\n" + show([row])
        assert any(row.status == 503 for row in outcomes), "the outage went unnoticed:\n" + show(
            outcomes[-5:]
        )
        not_served = {
            client: count for client, count in served_again().items() if count < SERVED_AGAIN
        }
        assert not not_served, f"not served again after the outage: {not_served}\n" + show(
            outcomes[-10:]
        )
        assert pids_after == pids_before, (
            f"gunicorn processes changed: {pids_before} -> {pids_after}\n{portal.log_tail()}"
        )
    finally:
        stop.set()
        portal.stop()
        media.cleanup()

    for iso, report_id in reports.items():
        stored = stored_markers(database_url, report_id)
        markers = {marker for parts in stored.values() for marker in parts}
        assert len(markers) == 1 and None not in markers, (
            f"report {iso} mixes saves: {stored}\nsaves sent: {sent[iso]}"
        )
        (marker,) = markers
        confirmed = [index for index, (_m, status) in enumerate(sent[iso]) if status == 302]
        assert confirmed, f"no save of {iso} succeeded: {sent[iso]}"
        # The stored save is the last confirmed one, or a later one whose answer was lost.
        possible = {m for m, _status in sent[iso][confirmed[-1] :]}
        assert marker in possible, f"report {iso} holds {marker}; saves sent: {sent[iso]}"
        # Every indicator and commitment of the form was stored, each by that one save.
        ((indicators, commitments),) = query(
            database_url,
            """SELECT (SELECT count(*) FROM pathfinders_indicator i
                       JOIN pathfinders_reportingperiod p ON p.framework_version_id = i.version_id
                       WHERE p.id = r.period_id),
                      (SELECT count(*) FROM pathfinders_commitment c
                       JOIN pathfinders_roadmap m ON m.id = c.roadmap_id
                       WHERE m.pathfinder_id = r.pathfinder_id)
               FROM pathfinders_progressreport r WHERE r.id = %s""",
            (report_id,),
        )
        assert (len(stored["indicator narratives"]), len(stored["commitment narratives"])) == (
            indicators,
            commitments,
        ), stored
