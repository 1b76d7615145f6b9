import os
from collections.abc import Iterator

import pytest

from .harness import scratch_database


@pytest.fixture
def database_url() -> Iterator[str]:
    """A scratch database with the demo data on the faults server, dropped after the test."""
    with scratch_database(os.environ["FAULTS_DATABASE_SERVER"]) as url:
        yield url
