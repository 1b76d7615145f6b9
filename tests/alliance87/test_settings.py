"""The production mode, checked in a separate process as it would start on a server."""

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7!k2@pLq9#vZ3$wR8^tY6&uI1*oP4(aS5)dF0-gH_jK+lZ=cX",
    "ALLOWED_HOSTS": "portal.alliance87.org",
    "DATABASE_URL": "sqlite:////tmp/alliance87-production-check.sqlite3",
    # Never reached by these checks: the settings only need them named.
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "EMAIL_URL": "smtp+tls://mail.alliance87.org:587",
    "ADMINS": "Tech Team <tech@alliance87.org>, second@alliance87.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE belongs to the test process, not a server.
    unset = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ENV",
        "REDIS_URL",
        "REDIS_CACHE_URL",
        "EMAIL_URL",
        "ADMINS",
        "SENTRY_DSN",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL"])
def test_production_mode_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_the_checklist_warns_when_unhandled_errors_would_reach_no_one():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ADMINS"}

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "(alliance87.W001) Unhandled errors reach no one." in result.stderr


def test_the_technical_contacts_are_read_from_the_environment():
    code = "from django.conf import settings as s; print(s.ADMINS, s.SERVER_EMAIL)"
    env = {**PRODUCTION_ENV, "SERVER_EMAIL": "portal-errors@alliance87.org"}

    result = manage("shell", "--no-imports", "-c", code, env=env)

    assert result.stdout.strip() == (
        "[('Tech Team', 'tech@alliance87.org'), ('', 'second@alliance87.org')] "
        "portal-errors@alliance87.org"
    ), result.stderr


def test_a_technical_contact_that_is_not_an_address_is_refused():
    result = manage("check", env={**PRODUCTION_ENV, "ADMINS": "the tech team"})

    assert result.returncode != 0
    assert "ADMINS must list email addresses" in result.stderr


def test_with_a_dsn_errors_go_to_sentry_without_personal_data():
    received: list[bytes] = []

    class Sentry(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            elif self.headers.get("Content-Encoding") == "br":
                import brotli

                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://public@127.0.0.1:{server.server_address[1]}/1"
    code = """
from unittest import mock
import sentry_sdk
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
print(sentry_sdk.get_client().options["send_default_pii"])
bug = RuntimeError("a bug seen by Sentry")
# The static files are not collected here: the 500 page links its stylesheet anyway.
with mock.patch.object(staticfiles_storage, "url", return_value="/static/portal.css"), \
        mock.patch("alliance87.views.cache.get", side_effect=bug):
    response = Client(raise_request_exception=False).get(
        "/healthz",
        HTTP_HOST="portal.alliance87.org",
        # Built here: the command line (this code) is part of the event.
        HTTP_COOKIE="csrftoken=" + "-".join(["secret", "cookie"]),
        REMOTE_ADDR=".".join(["203", "0", "113", "77"]),
    )
print(response.status_code)
sentry_sdk.flush(10)
"""
    try:
        result = manage(
            "shell",
            "--no-imports",
            "-c",
            code,
            # Sentry alone: no email to an unreachable mail server.
            env={**PRODUCTION_ENV, "ADMINS": "", "SENTRY_DSN": dsn},
        )
    finally:
        server.shutdown()

    assert result.stdout.split() == ["False", "500"], result.stderr
    events = [body for body in received if b"a bug seen by Sentry" in body]
    assert len(events) == 1
    assert b"secret-cookie" not in events[0]
    assert b"203.0.113.77" not in events[0]


def test_production_mode_refuses_the_demo_seed():
    result = manage("seed_demo", env=PRODUCTION_ENV)

    assert result.returncode != 0
    assert "refuses to run in production mode" in result.stderr


def test_production_settings_harden_cookies_and_headers():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_HSTS_SECONDS, s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)

    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_s3_compatible_storage_is_chosen_by_settings_alone():
    env = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "alliance87-reports",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    }
    code = (
        "from django.core.files.storage import default_storage as d;"
        "print(d.__class__.__name__, d.bucket_name, d.default_acl)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)

    assert result.stdout.split() == ["S3Storage", "alliance87-reports", "private"], result.stderr


def test_production_logs_one_json_object_per_line_with_the_event_fields():
    code = (
        "import logging;"
        "logging.getLogger('alliance87.security').info('security event', extra={'event': 'signed_in', 'ip': '203.0.113.5'})"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)

    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert (entry["logger"], entry["event"], entry["ip"]) == (
        "alliance87.security",
        "signed_in",
        "203.0.113.5",
    )
    assert entry["time"].endswith("+00:00")
