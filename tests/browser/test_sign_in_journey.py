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


def test_arrowing_through_the_languages_changes_nothing_until_the_button(
    page, live_server, gcg_member
):
    sign_in_through_form(page, live_server, gcg_member)
    page.get_by_label("Language").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)

    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"


def test_the_navigation_is_one_menu_row_on_a_phone_and_opens_without_javascript(
    browser, live_server, gcg_member
):
    context = browser.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    sign_in_through_form(page, live_server, gcg_member)

    financing = page.locator(".site-nav").get_by_role("link", name="Financing", exact=True)
    assert not financing.is_visible()
    page.get_by_text("Menu", exact=True).click()
    financing.click()
    assert "/financing/" in page.url
    context.close()


def test_an_invited_secretariat_member_goes_from_the_emailed_link_to_two_factor_setup(
    page, live_server, mailoutbox
):
    import re

    from allauth.mfa.models import Authenticator

    from alliance87.accounts import roles
    from alliance87.accounts.services import user_invite
    from tests.browser.conftest import current_totp

    user = user_invite(
        email="new.staff@example.org", first_name="Noa", last_name="Reyes", role=roles.SECRETARIAT
    )
    link = re.search(r"http://\S+", mailoutbox[-1].body).group(0)
    password = "a-fresh-secret-22"

    page.goto(live_server.url + link.split("8000", 1)[1])
    page.get_by_placeholder("New Password", exact=True).fill(password)
    page.get_by_placeholder("New Password (again)").fill(password)
    page.get_by_role("button", name="Change Password").click()
    sign_in_through_form(page, live_server, user, password=password)
    page.get_by_label("Password").fill(password)  # allauth asks once more before the setup
    page.get_by_role("button", name="Confirm").click()

    assert "/accounts/2fa/totp/activate/" in page.url
    assert "verified your email" not in page.locator("main").inner_text()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(current_totp(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
