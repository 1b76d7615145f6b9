from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from alliance87.aggregates import AREAS, aggregates_changed
from demo import accounts, financing, governance, pathfinders, translations, vision, workshops

# In this order: countries before the people bound to them, organisations before the events
# and flows that name them.
SEED_STEPS = [
    pathfinders.seed_countries,
    accounts.seed_users,
    governance.seed,
    pathfinders.seed,
    financing.seed,
    workshops.seed,
    translations.seed,  # the French and Spanish of the framework's and the events' texts
    vision.seed,
]


class Command(BaseCommand):
    help = "Load the demo data and demo users (idempotent). Refused in production mode."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production mode (DJANGO_ENV=production)."
            )
        # The records' texts are written as their English originals (and their French and
        # Spanish by name), whatever language the caller has active.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            for seed in SEED_STEPS:
                with transaction.atomic():
                    seed(stdout=self.stdout)
        aggregates_changed(*AREAS)  # some steps write in bulk, past the model signals
        self.stdout.write(accounts.logins_text())
