import datetime

from django.core.management.base import BaseCommand, CommandError

from pathfinders import services


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Send the due-date reminders due now (14 and 3 days before the due date, and when "
        "overdue, by each country's own calendar), as Celery beat does every morning, and "
        "list them. With --dry-run, only list what would be sent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list the reminders due and their recipients; send and record nothing",
        )
        parser.add_argument(
            "--today",
            type=_day,
            metavar="YYYY-MM-DD",
            help="run as if every country's calendar showed this day (default: now)",
        )

    def handle(self, *args, dry_run: bool, today: datetime.date | None, **options) -> None:
        run = services.reminders_send_due(today=today, dry_run=dry_run)
        sent = {(r.pathfinder.pk, r.period.pk, r.stage) for r in run.sent}
        if dry_run:
            self.stdout.write("Dry run: nothing is sent or recorded.")
        for reminder in run.due:
            place = (
                f"{reminder.pathfinder.country.name}, {reminder.period.label}, "
                f"{reminder.stage_label}: "
            )
            if reminder.reaches_nobody:
                self.stdout.write(place + "nobody: no focal point")
                continue
            emails = ", ".join(person.email for person in reminder.recipients)
            key = (reminder.pathfinder.pk, reminder.period.pk, reminder.stage)
            if dry_run or key in sent:
                self.stdout.write(place + emails)
            else:
                self.stdout.write(place + emails + " (already sent by another run)")
        reached = len(run.due) - len(run.unreached)
        if dry_run:
            summary = f"{reached} reminder(s) would be sent"
        else:
            summary = f"{len(run.sent)} reminder(s) sent"
        self.stdout.write(
            f"{summary}; {len(run.unreached)} reach nobody (listed on the review queue until "
            "the country has a focal point)."
        )
