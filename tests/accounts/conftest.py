import socket

import pytest


@pytest.fixture
def cache_down(settings) -> None:
    """The production cache, pointed at a port nothing listens on: a stopped Redis."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "alliance87.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/10",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
