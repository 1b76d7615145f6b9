import os
from collections.abc import Iterator

import pytest

from .harness import RedisProcess, scratch_database


@pytest.fixture
def database_url() -> Iterator[str]:
    """A scratch database with the demo data on the faults server, dropped after the test."""
    with scratch_database(os.environ["FAULTS_DATABASE_SERVER"]) as url:
        yield url


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A private redis-server for the portal's broker and cache, stopped after the test."""
    redis = RedisProcess().start()
    try:
        yield redis.url
    finally:
        redis.stop()
