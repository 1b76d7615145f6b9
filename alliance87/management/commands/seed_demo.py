from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from alliance87.aggregates import AREAS, aggregates_changed

# Run in this order: countries before the people bound to them, organisations before
# the events and flows that name them. A step whose module has not landed is skipped.
SEED_STEPS = [
    "pathfinders.demo.seed_countries",
    "alliance87.accounts.demo.seed_users",
    "governance.demo.seed",
    "pathfinders.demo.seed",
    "financing.demo.seed",
    "workshops.demo.seed",
    "vision.demo.seed",
]


def _load(dotted: str):
    module_name, _, function_name = dotted.rpartition(".")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError:
        return None
    return getattr(module, function_name, None)


class Command(BaseCommand):
    help = "Load the demo data and demo users (idempotent). Refused in production mode."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production mode (DJANGO_ENV=production)."
            )
        for step in SEED_STEPS:
            seed = _load(step)
            if seed is None:
                continue
            with transaction.atomic():
                seed(stdout=self.stdout)
        aggregates_changed(*AREAS)  # some steps write in bulk, past the model signals
        from alliance87.accounts.demo import logins_text

        self.stdout.write(logins_text())
