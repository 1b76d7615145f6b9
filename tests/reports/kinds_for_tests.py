"""A report kind that exists only in tests, to exercise the pipeline on its own."""

import time

from alliance87.access import can_read_everything


def context(*, country: str) -> dict:
    if country == "ZZ":  # slow on purpose: time enough to kill the worker mid-render
        time.sleep(4)
    return {
        "report_subject": f"Test subject {country}",
        "narrative": NARRATIVE,
        "figure": 4217,
    }


def can_view(user, *, country: str) -> bool:
    return can_read_everything(user) or country in getattr(user, "test_countries", ())


NARRATIVE = 'Progress made. <img src="file:///etc/passwd"> <img src="http://169.254.169.254/latest"> <link rel="stylesheet" href="http://169.254.169.254/x.css">'
