"""gunicorn's settings in the production image (the Dockerfile's command for the web service).

The scheme Django sees (HTTPS or not) comes from gunicorn, which takes X-Forwarded-Proto only
from the addresses in FORWARDED_ALLOW_IPS. Unset, those are the container itself and its
gateway: the port published on the host reaches gunicorn through the gateway, so the TLS proxy
in front of it is trusted, while the other containers on the network and anyone reaching
gunicorn another way are not.
"""

import os
import socket
import struct
import sys

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
max_requests = 2000
max_requests_jitter = 200
# `docker stop` waits ten seconds before it kills: requests in flight get four to finish.
graceful_timeout = 4
accesslog = "-"


def default_gateway(route_table: str = "/proc/net/route") -> str | None:
    """The IPv4 address of the default route's gateway, or None when there is none."""
    try:
        with open(route_table) as table:
            rows = [line.split() for line in table.readlines()[1:]]
    except OSError:
        return None
    for row in rows:
        if len(row) > 2 and row[1] == "00000000" and row[2] != "00000000":
            return socket.inet_ntoa(struct.pack("<L", int(row[2], 16)))
    return None


def trusted_proxies() -> str:
    configured = os.environ.get("FORWARDED_ALLOW_IPS", "").strip()
    if configured:
        return configured
    return ",".join(filter(None, ["127.0.0.1", "::1", default_gateway()]))


forwarded_allow_ips = trusted_proxies()


def worker_exit(server, worker) -> None:
    """End a worker the moment it has left its loop, with the status it was leaving with.

    Python's teardown of a worker's heap (Django, pandas, WeasyPrint) takes seconds on a busy
    machine, and `docker stop` waits for it. Nothing is left to do by then: the request is
    answered, the log lines are written, and the database connections are closed here.
    """
    database = sys.modules.get("django.db")
    if database is not None:
        database.connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    leaving = sys.exc_info()[1]  # gunicorn calls this hook while its sys.exit() unwinds
    status = leaving.code if isinstance(leaving, SystemExit) else 0
    os._exit(status if isinstance(status, int) else 1)
