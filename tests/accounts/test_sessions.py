import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.utils import timezone

from alliance87.accounts.sessions import expired_session_user_id

pytestmark = pytest.mark.django_db


def request_with_cookie_of(client):
    request = RequestFactory().post("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.cookies["sessionid"].value
    return request


def expire_sessions() -> None:
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))


def test_an_expired_session_names_the_person_it_was_for(client, gcg_member):
    client.force_login(gcg_member)
    expire_sessions()

    assert expired_session_user_id(request_with_cookie_of(client)) == gcg_member.pk


def test_a_session_still_running_is_not_an_expired_one(client, gcg_member):
    client.force_login(gcg_member)

    assert expired_session_user_id(request_with_cookie_of(client)) is None


def test_an_expired_session_from_before_a_password_change_names_nobody(client, gcg_member):
    client.force_login(gcg_member)
    expire_sessions()
    gcg_member.set_password("another-secret-77")
    gcg_member.save()

    assert expired_session_user_id(request_with_cookie_of(client)) is None


def test_an_expired_session_of_a_deactivated_account_names_nobody(client, gcg_member):
    client.force_login(gcg_member)
    expire_sessions()
    gcg_member.is_active = False
    gcg_member.save()

    assert expired_session_user_id(request_with_cookie_of(client)) is None
