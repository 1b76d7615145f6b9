import pytest

from tests.browser.conftest import sign_in_through_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_signs_in_sees_dashboard_and_signs_out(page, live_server, gcg_member):
    sign_in_through_form(page, live_server, gcg_member)

    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert "GCG member" in page.locator("main").inner_text()
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in").first.is_visible()


def test_wrong_password_shows_an_error_and_keeps_the_email(page, live_server, gcg_member):
    sign_in_through_form(page, live_server, gcg_member, password="not-the-password")

    assert page.get_by_role("alert").inner_text().startswith("The email address and/or password")
    assert page.get_by_label("Email").input_value() == gcg_member.email
    assert "/accounts/login/" in page.url


def test_page_behind_sign_in_redirects_to_the_sign_in_form(page, live_server):
    page.goto(f"{live_server.url}/dashboard/")

    assert "/accounts/login/?next=/dashboard/" in page.url
    assert page.get_by_role("button", name="Sign In").is_visible()


def test_secretariat_signs_in_with_a_two_factor_code(page, live_server, secretariat):
    sign_in_through_form(page, live_server, secretariat)

    assert page.url.endswith("/dashboard/")
    assert page.get_by_role("link", name="Admin").is_visible()


def test_language_switch_turns_the_page_french_without_javascript(browser, live_server, gcg_member):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in_through_form(page, live_server, gcg_member)

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()

    assert page.get_by_role("link", name="Tableau de bord").is_visible()
    context.close()
