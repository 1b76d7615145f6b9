import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import translation

from alliance87.accounts.models import User
from alliance87.aggregates import AREAS, aggregates_changed
from demo.accounts import DEMO_USERS
from demo.scale import financing, governance, pathfinders, workshops

# Countries and demo users come from seed_demo; organisations before the flows, partners,
# events and follow-ups that name them.
SCALE_STEPS = [pathfinders, governance, financing, workshops]


class Command(BaseCommand):
    help = (
        "Load about ten times the Alliance's size on top of the demo (idempotent: counts are "
        "topped up to the targets). Refused in production mode."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--factor",
            type=float,
            default=1.0,
            help="Scale of the targets: 1.0 is ten times today's Alliance; tests use less.",
        )

    def handle(self, *args, factor: float, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "seed_scale refuses to run in production mode (DJANGO_ENV=production)."
            )
        if factor <= 0:
            raise CommandError("--factor must be more than 0.")
        started = time.perf_counter()
        if not User.objects.filter(email=DEMO_USERS[0][0]).exists():
            self.stdout.write("The demo is not there yet: running seed_demo first.")
            call_command("seed_demo", stdout=self.stdout)
        for step in SCALE_STEPS:
            step_started = time.perf_counter()
            # English originals, as seed_demo writes them.
            with (
                translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE),
                transaction.atomic(),
            ):
                created = step.seed(factor=factor, stdout=self.stdout)
            figures = ", ".join(f"{name}: {count}" for name, count in created.items())
            seconds = time.perf_counter() - step_started
            self.stdout.write(
                f"{step.__name__.rpartition('.')[2]}: {figures} new ({seconds:.1f} s)"
            )
        aggregates_changed(*AREAS)  # the steps write in bulk, past the model signals
        # Fresh statistics, so the planner does not take ten times the rows for a handful
        # (a server whose autovacuum is off or has not come round yet would scan whole tables).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data at factor {factor:g} in {time.perf_counter() - started:.1f} s."
            )
        )
