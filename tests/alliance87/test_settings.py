"""The production mode, checked in a separate process as it would start on a server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7!k2@pLq9#vZ3$wR8^tY6&uI1*oP4(aS5)dF0-gH_jK+lZ=cX",
    "ALLOWED_HOSTS": "portal.alliance87.org",
    "DATABASE_URL": "sqlite:////tmp/alliance87-production-check.sqlite3",
    # Never reached by these checks: the settings only need it named.
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE belongs to the test process, not a server.
    unset = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ENV",
        "REDIS_URL",
        "REDIS_CACHE_URL",
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
