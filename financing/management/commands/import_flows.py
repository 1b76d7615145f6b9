from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from financing.importing import summary_lines
from financing.models import DateFormat, FundingFlowImport, NumberFormat
from financing.services import funding_flows_import


class Command(BaseCommand):
    help = (
        "Import a CSV, XLSX or IATI activity file of funding flows through the same checks as "
        "the import page, and print the same summary (row by row: added, updated with its "
        "changes, unchanged, not placed). With --dry-run nothing is written: the import waits "
        "for confirmation on its page."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and preview only")
        parser.add_argument(
            "--number-format",
            choices=NumberFormat.values,
            default=NumberFormat.DOT,
            help="numbers written as text: dot = 1,234.50, comma = 1.234,50, space = 1 234,50",
        )
        parser.add_argument(
            "--date-format",
            choices=DateFormat.values,
            default=DateFormat.YMD,
            help="dates written as text: ymd = yyyy-mm-dd, dmy = dd/mm/yyyy, mdy = mm/dd/yyyy",
        )
        parser.add_argument("--user", help="email of the person recorded as importing it")

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No user with the email {options['user']}.")
        try:
            outcome = funding_flows_import(
                file_name=file.name,
                content=content,
                user=user,
                number_format=options["number_format"],
                date_format=options["date_format"],
                dry_run=dry_run,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        job = outcome.batch
        assert job is not None  # an import always records its batch, a dry run too
        for line in summary_lines(job):
            self.stdout.write(line)
        if job.status == FundingFlowImport.Status.PREVIEWED:
            self.stdout.write(
                f"Dry run: nothing was written. Import {job.pk} waits for confirmation on its page."
            )
        if not outcome.ok:
            raise CommandError(f"Nothing was imported; errors: {job.error_count}.")
