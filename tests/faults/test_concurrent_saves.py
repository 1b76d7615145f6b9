"""Twenty clients save the same progress report at the same moment, all from the same version.

Each round, exactly one save wins (302); the other nineteen get the conflict page (409) and
store nothing; the report holds the winner's values, and the history has exactly one new
entry per record the winning save changed.
"""

import re
import tempfile
import threading
from decimal import Decimal

import pytest

from .harness import (
    PortalProcess,
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

CLIENTS = 20
ROUNDS = 3
FOCAL_POINT = "focal.point@alliance87.test"  # answers for Fiji
CONFLICT_TEXTS = [
    "Not saved: someone else changed this report",
    "Someone else saved this report after you opened it",
]
MARKER = re.compile(r"\[(r\d+-c\d+)\]")


def history_counts(database_url: str, report_id: int) -> dict[str, int]:
    tables = {
        "report": "pathfinders_historicalprogressreport WHERE id = %s",
        "indicator values": "pathfinders_historicalindicatorvalue WHERE report_id = %s",
        "commitment updates": "pathfinders_historicalcommitmentupdate WHERE report_id = %s",
    }
    return {
        name: query(database_url, f"SELECT count(*) FROM {where}", (report_id,))[0][0]  # noqa: S608
        for name, where in tables.items()
    }


def stored(database_url: str, report_id: int) -> dict:
    def marker(text: str) -> str | None:
        found = MARKER.search(text or "")
        return found.group(1) if found else None

    report = stored_report(database_url, report_id)
    return {
        "version": report.version,
        "markers": {marker(report.summary)}
        | {marker(value.narrative) for value in report.values}
        | {marker(narrative) for narrative in report.commitment_narratives},
        "percentages": {
            value.value_number for value in report.values if value.kind == "percentage"
        },
        "values": len(report.values),
        "updates": len(report.commitment_narratives),
    }


def test_twenty_simultaneous_stale_saves_one_wins_and_nineteen_conflict(database_url, redis_url):
    report_id = editable_report(database_url, "FJ")
    path = f"/pathfinders/reports/{report_id}/edit/"
    percentages = indicator_fields(database_url, "percentage")
    media = tempfile.TemporaryDirectory(prefix="faults-media-")
    portal = PortalProcess(
        portal_env(database_url, media_root=media.name, redis_url=redis_url), workers=4
    )
    try:
        portal.start()
        # One person in twenty browser tabs: Fiji has one focal point.
        person = sign_in_as(portal.port, FOCAL_POINT)
        clients = [copy_session(person) for _ in range(CLIENTS)]
        for number in range(1, ROUNDS + 1):
            before = stored(database_url, report_id)
            history_before = history_counts(database_url, report_id)
            barrier = threading.Barrier(CLIENTS, timeout=60)
            results: list[tuple | None] = [None] * CLIENTS

            def save(index: int, round_number: int = number, barrier=barrier, results=results):
                session = clients[index]
                status, _location, content = session.request("GET", path)
                if status != 200:
                    results[index] = ("GET", status, "", "")
                    barrier.abort()
                    return
                fields = form_fields(content, path, fill_choices=True)
                marker = f"[r{round_number}-c{index}]"
                fields.update(action=["save"], summary=[f"Summary of the period {marker}"])
                for name in fields:
                    if name.endswith("narrative"):
                        fields[name] = [f"As reported {marker}"]
                    elif name.endswith("change_note"):
                        # A value far from the previous accepted one is explained.
                        fields[name] = [f"Checked with the ministry {marker}"]
                    elif name in percentages:
                        fields[name] = [str(index)]
                barrier.wait()  # all have read the same version: save at the same moment
                status, location, content = session.request("POST", path, fields)
                results[index] = (fields["version"][0], status, location, content.decode())

            threads = [threading.Thread(target=save, args=(index,)) for index in range(CLIENTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=90)
            assert not any(thread.is_alive() for thread in threads), "a client hung"
            assert all(results), f"round {number}: {results}\n{portal.log_tail()}"

            versions = {version for version, *_rest in results}
            assert versions == {str(before["version"])}, f"round {number}: forms at {versions}"
            statuses = sorted(status for _v, status, _l, _c in results)
            assert statuses == [302] + [409] * (CLIENTS - 1), (
                f"round {number}: {statuses}\n{portal.log_tail()}"
            )
            (winner,) = [index for index, result in enumerate(results) if result[1] == 302]
            for index, (_version, status, _location, text) in enumerate(results):
                if status == 409:
                    assert all(message in text for message in CONFLICT_TEXTS), (
                        f"client {index} got a 409 without the conflict message"
                    )

            after = stored(database_url, report_id)
            assert after["version"] == before["version"] + 1
            assert after["markers"] == {f"r{number}-c{winner}"}, (
                f"round {number}: stored {after['markers']}, the winner was client {winner}"
            )
            assert after["percentages"] == {Decimal(winner)}

            # One new history entry per record the winning save changed: the report, each
            # indicator value and each commitment update (every narrative changed).
            history_after = history_counts(database_url, report_id)
            added = {name: history_after[name] - history_before[name] for name in history_after}
            assert added == {
                "report": 1,
                "indicator values": after["values"],
                "commitment updates": after["updates"],
            }, f"round {number}: history entries added {added}"
            ((latest_summary, latest_version),) = query(
                database_url,
                """SELECT summary, version FROM pathfinders_historicalprogressreport
                   WHERE id = %s ORDER BY history_id DESC LIMIT 1""",
                (report_id,),
            )
            assert f"[r{number}-c{winner}]" in latest_summary
            assert latest_version == after["version"]
    finally:
        portal.stop()
        media.cleanup()
