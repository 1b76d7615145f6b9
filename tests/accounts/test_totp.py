"""The portal's one-time codes are those an authenticator app shows and allauth accepts."""

from django.core.management import call_command

from alliance87.accounts import totp
from alliance87.accounts.selectors import FailureLimit, sign_in_failure_limits
from demo.accounts import DEMO_TOTP_SECRET


def test_codes_are_those_of_rfc_6238():
    # RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" at 59 s, last 6 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

    assert totp.code_for(secret, totp.time_step(59)) == "287082"
    assert totp.code_for(secret, totp.time_step(1111111109)) == "081804"


def test_a_code_typed_with_a_space_matches():
    assert totp.codes_match("287 082", "287082")
    assert not totp.codes_match("287083", "287082")
    assert not totp.codes_match("２８７０８２", "287082")


def test_make_totp_prints_the_demo_accounts_current_code(capsys):
    before = totp.code_now(DEMO_TOTP_SECRET)
    call_command("demo_totp")
    after = totp.code_now(DEMO_TOTP_SECRET)  # the period may have turned meanwhile

    assert capsys.readouterr().out.split()[0] in {before, after}


def test_the_sign_in_limits_are_read_in_allauths_rate_syntax(settings):
    settings.SIGN_IN_FAILURE_LIMITS = "20/5m/ip, 5/300s/key,3/h"

    assert sign_in_failure_limits() == [
        FailureLimit(amount=20, seconds=300, per="ip"),
        FailureLimit(amount=5, seconds=300, per="key"),
        FailureLimit(amount=3, seconds=3600, per="ip"),
    ]
