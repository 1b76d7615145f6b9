"""The real services behind the portal: PostgreSQL, and Redis as cache and Celery broker."""

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from alliance87.celery import app as celery_app
from alliance87.tasks import HEARTBEAT_KEY, heartbeat
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_refuses_a_second_account_with_the_same_email_in_other_case():
    assert connection.vendor == "postgresql"
    UserFactory(email="ana@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="ANA@example.org")


@pytest.mark.redis
def test_the_cache_is_redis_when_redis_url_is_set():
    assert settings.CACHES["default"]["BACKEND"] == "alliance87.cache.FailSoftRedisCache"
    cache.set("alliance87-test-key", "kept", timeout=30)

    assert cache.get("alliance87-test-key") == "kept"
    cache.delete("alliance87-test-key")


@pytest.mark.redis
def test_a_real_worker_runs_a_task_sent_through_redis():
    from celery.contrib.testing.worker import start_worker

    assert not celery_app.conf.task_always_eager
    cache.delete(HEARTBEAT_KEY)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        heartbeat.delay()
        deadline = time.monotonic() + 20
        while cache.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
            time.sleep(0.2)

    assert cache.get(HEARTBEAT_KEY) is not None
