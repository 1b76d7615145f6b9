import pytest
from django.urls import reverse

from alliance87.accounts import roles
from alliance87.accounts.models import User

pytestmark = pytest.mark.django_db
INVITE = reverse("accounts:invite")


def test_secretariat_opens_the_invitation_form(client_for, secretariat):
    assert client_for(secretariat).get(INVITE).status_code == 200


@pytest.mark.parametrize("who", ["gcg_member", "gcg_observer", "focal_point", "outsider"])
def test_others_are_refused_the_invitation_form(client_for, request, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(INVITE).status_code == 403
    assert client.post(INVITE, {"email": "x@example.org"}).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(INVITE).url.startswith(reverse("account_login"))


def test_inviting_a_focal_point_without_country_shows_the_error_beside_the_field_and_keeps_the_input(
    client_for, secretariat
):
    response = client_for(secretariat).post(
        INVITE,
        {
            "email": "ana@example.org",
            "first_name": "Ana",
            "last_name": "Lopez",
            "role": roles.FOCAL_POINT,
            "language": "es",
            "capacity": "government",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_countries_error"' in html and "at least one country" in html
    assert 'value="ana@example.org"' in html and 'value="Lopez"' in html
    assert not User.objects.filter(email="ana@example.org").exists()


def test_inviting_an_existing_address_is_refused_beside_the_email_field(
    client_for, secretariat, gcg_member
):
    response = client_for(secretariat).post(
        INVITE,
        {
            "email": gcg_member.email.upper(),
            "first_name": "A",
            "last_name": "B",
            "role": roles.GCG_MEMBER,
            "language": "en",
            "capacity": "government",
        },
    )

    assert 'id="id_email_error"' in response.content.decode()


def test_inviting_a_member_sends_the_email_and_confirms(
    client_for, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(
            INVITE,
            {
                "email": "new@example.org",
                "first_name": "A",
                "last_name": "B",
                "role": roles.GCG_MEMBER,
                "language": "en",
                "capacity": "government",
            },
            follow=True,
        )

    assert "Invitation sent to new@example.org." in response.content.decode()
    assert mailoutbox[0].to == ["new@example.org"]
