import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from alliance87.accounts import roles
from tests.factories import CountryFactory, FocalPointFactory, SecretariatFactory, UserFactory

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def _skip_reason(marker: str) -> str | None:
    if (
        marker == "postgres"
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if marker == "redis" and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://..."
    if marker == "browser" and not CHROMIUM.exists():
        return f"needs Chromium at {CHROMIUM}: apt-get install chromium"
    if marker == "faults":
        missing = [
            name
            for name in ("FAULTS_POSTGRES_CLUSTER", "FAULTS_DATABASE_SERVER")
            if not os.environ.get(name)
        ]
        missing += [] if shutil.which("redis-server") else ["redis-server"]
        if missing:
            return f"needs {', '.join(missing)}: a PostgreSQL cluster of its own (see .ci/run)"
    return None


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        for marker in ("postgres", "redis", "browser", "faults"):
            if item.get_closest_marker(marker) and (reason := _skip_reason(marker)):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language() -> None:
    # A request in French leaves French active in the thread (Django activates a language per
    # request and never resets it); each test starts in the default language.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Rate limits and two-factor codes live in the cache; each test starts afresh. A cache
    # that shares its Redis database with the broker is left alone (clearing it would drop
    # queued messages).
    from django.core.cache import cache

    if not settings.REDIS_URL or settings.REDIS_CACHE_URL != settings.REDIS_URL:
        cache.clear()


@pytest.fixture
def secretariat(db):
    return SecretariatFactory(email="secretariat@example.org", first_name="Sara")


@pytest.fixture
def gcg_member(db):
    return UserFactory(email="member@example.org", role=roles.GCG_MEMBER)


@pytest.fixture
def gcg_observer(db):
    return UserFactory(email="observer@example.org", role=roles.GCG_OBSERVER)


@pytest.fixture
def country(db):
    return CountryFactory(iso_code="FJ", name="Fiji", ilo_region="asia_pacific")


@pytest.fixture
def other_country(db):
    return CountryFactory(iso_code="GH", name="Ghana", ilo_region="africa")


@pytest.fixture
def focal_point(country):
    return FocalPointFactory(country=country, user__email="focal@example.org").user


@pytest.fixture
def outsider(db):
    """Signed in, but with no role at all."""
    return UserFactory(email="outsider@example.org")


@pytest.fixture
def client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _celery_runs_tasks_in_the_test(request):
    """Tasks run in the test's own process, as without Redis, whatever REDIS_URL says; the
    tests marked `redis` start a real worker and keep the broker."""
    from alliance87.celery import app

    if request.node.get_closest_marker("redis"):
        app.control.purge()  # messages left by an earlier run must not reach this worker
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def flaky_smtp(settings, monkeypatch):
    """The mail server drops the connection on the messages numbered in `refuse` (1: the
    first message sent in the test); the others land in mail.outbox."""
    from tests.outbox.backends import FlakyBackend

    settings.EMAIL_BACKEND = "tests.outbox.backends.FlakyBackend"
    monkeypatch.setattr(FlakyBackend, "handed", 0)
    monkeypatch.setattr(FlakyBackend, "refuse", set())
    return FlakyBackend
