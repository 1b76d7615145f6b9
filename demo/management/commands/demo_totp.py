import time

from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliance87.accounts import totp
from demo.accounts import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo Secretariat account."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_totp refuses to run in production mode.")
        now = time.time()
        period = mfa_settings.TOTP_PERIOD
        remaining = period - int(now) % period
        code = totp.code_for(DEMO_TOTP_SECRET, totp.time_step(now))
        self.stdout.write(f"{code}  (valid for {remaining} more seconds)")
