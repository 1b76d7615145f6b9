import pytest
from django.urls import reverse

from alliance87.accounts.models import SecurityEvent

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_the_start_page_with_a_sign_in_link(client):
    response = client.get("/")

    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


def test_signed_in_person_is_sent_from_the_start_page_to_the_dashboard(client_for, gcg_member):
    response = client_for(gcg_member).get("/")

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_dashboard_redirects_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=/dashboard/"


def test_dashboard_names_the_role_and_the_focal_points_countries(client_for, focal_point):
    response = client_for(focal_point).get(reverse("dashboard"))

    assert "Pathfinder focal point" in response.content.decode()
    assert "Focal point for Fiji" in response.content.decode()


def test_only_the_secretariat_sees_admin_and_invite_in_the_navigation(
    client_for, secretariat, gcg_member
):
    staff_page = client_for(secretariat).get(reverse("dashboard")).content.decode()
    member_page = client_for(gcg_member).get(reverse("dashboard")).content.decode()

    assert 'href="/admin/"' in staff_page and 'href="/accounts/invite/"' in staff_page
    assert 'href="/admin/"' not in member_page and 'href="/accounts/invite/"' not in member_page


def test_every_page_sends_a_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]

    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy


def test_language_switch_renders_the_page_in_french_and_remembers_it(client_for, gcg_member):
    client = client_for(gcg_member)

    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "/dashboard/"}, follow=True
    )

    assert "Tableau de bord" in response.content.decode()
    gcg_member.refresh_from_db()
    assert gcg_member.language == "fr"


def test_language_switch_works_in_spanish_for_anonymous_visitors(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"}, follow=True)

    assert '<html lang="es">' in response.content.decode()
    assert "Iniciar sesión" in response.content.decode()


def test_language_switch_ignores_a_foreign_next_url(client):
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_refused_access_is_logged_with_user_and_ip(client_for, gcg_member):
    client_for(gcg_member).get(reverse("accounts:invite"), REMOTE_ADDR="203.0.113.9")

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCESS_REFUSED)
    assert (event.user, event.ip_address, event.path) == (
        gcg_member,
        "203.0.113.9",
        "/accounts/invite/",
    )


def test_navigation_marks_only_the_most_specific_entry(client_for, gcg_member):
    html = client_for(gcg_member).get(reverse("workshops:followup_board")).content.decode()

    assert html.count('aria-current="page"') == 1
    assert 'aria-current="page">Follow-ups<' in html


def test_a_person_without_a_role_sees_only_the_dashboard_in_the_navigation(client_for, outsider):
    html = client_for(outsider).get(reverse("dashboard")).content.decode()

    assert 'href="/dashboard/"' in html
    for hidden in ("/pathfinders/", "/governance/", "/financing/", "/reports/"):
        assert f'href="{hidden}' not in html


def test_pages_are_sent_compressed_to_browsers_that_take_it(client_for, focal_point):
    response = client_for(focal_point).get(reverse("dashboard"), HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_the_language_is_changed_with_a_button_not_by_choosing_in_the_list(client_for, gcg_member):
    html = client_for(gcg_member).get(reverse("dashboard")).content.decode()
    switcher = html[html.index('class="language-switcher"') : html.index("</form>")]

    assert "data-autosubmit" not in switcher
    assert 'type="submit"' in switcher
    assert "js-hidden" not in switcher
