"""Settings of the worker process started by the worker-kill tests: the portal's, plus the
test report kind's template."""

from pathlib import Path

from alliance87.settings import *  # noqa: F403
from alliance87.settings import TEMPLATES

TEMPLATES = [
    {
        **TEMPLATES[0],
        "DIRS": [*TEMPLATES[0]["DIRS"], Path(__file__).parent / "reports" / "templates"],
    }
]
