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


def test_an_invitation_links_to_the_address_the_portal_was_reached_at(
    client_for, secretariat, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.test"]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretariat).post(
            INVITE,
            {
                "email": "new@example.org",
                "first_name": "A",
                "last_name": "B",
                "role": roles.GCG_MEMBER,
                "language": "es",
                "capacity": "government",
            },
            HTTP_HOST="portal.test",
        )

    assert "http://portal.test/accounts/password/reset/key/" in mailoutbox[0].body
    assert "?language=es" in mailoutbox[0].body
    assert "127.0.0.1:8000" not in mailoutbox[0].body


# --- A person's own settings: language and time zone -------------------------------------

SETTINGS = reverse("accounts:settings")


def test_the_settings_page_offers_every_zone_grouped_by_region_and_the_country_s_default(
    client_for, focal_point, country
):
    country.time_zone = "Pacific/Fiji"
    country.save()

    html = client_for(focal_point).get(SETTINGS).content.decode()

    assert '<optgroup label="Pacific Ocean">' in html
    assert '<option value="Europe/Paris">France</option>' in html
    assert "Automatic: Fiji (the country you answer for, else UTC)" in html
    assert "Times are shown to you in Fiji" in html


def test_the_settings_page_names_the_zones_in_the_reader_s_language(
    client_for, focal_point, country
):
    country.time_zone = "Pacific/Fiji"
    country.save()
    focal_point.language = "fr"
    focal_point.save()

    html = client_for(focal_point).get(SETTINGS).content.decode()

    assert '<option value="Pacific/Fiji">Fidji</option>' in html
    assert "vous sont montrées dans le fuseau Fidji" in html
    assert "Pacific/Fiji" not in html.replace('value="Pacific/Fiji"', "")


def test_a_person_sets_their_time_zone_and_language(client_for, gcg_member):
    response = client_for(gcg_member).post(
        SETTINGS, {"language": "fr", "time_zone": "Europe/Paris"}
    )

    gcg_member.refresh_from_db()
    assert response.status_code == 302
    assert (gcg_member.language, gcg_member.time_zone) == ("fr", "Europe/Paris")


def test_an_empty_time_zone_means_the_country_s(client_for, gcg_member):
    gcg_member.time_zone = "Europe/Paris"
    gcg_member.save()

    client_for(gcg_member).post(SETTINGS, {"language": "en", "time_zone": ""})

    gcg_member.refresh_from_db()
    assert gcg_member.time_zone == ""


def test_a_bogus_time_zone_is_refused_beside_the_field(client_for, gcg_member):
    response = client_for(gcg_member).post(
        SETTINGS, {"language": "es", "time_zone": "Mars/Olympus"}
    )

    html = response.content.decode()
    gcg_member.refresh_from_db()
    assert response.status_code == 200
    assert 'id="id_time_zone_error"' in html
    assert "“Mars/Olympus” is not a time zone name" in html
    assert 'value="es" selected' in html  # what they chose is kept
    assert (gcg_member.language, gcg_member.time_zone) == ("en", "")


def test_anonymous_visitor_is_sent_to_sign_in_from_the_settings(client):
    assert client.get(SETTINGS).url.startswith(reverse("account_login"))
