import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alliance87.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and every uploaded or generated file into one archive "
        "(PATH, or - for standard output). `restore` reads it back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path", help="the archive to write, e.g. alliance87-2026-12-06.tar, or -"
        )

    def handle(self, *args, path: str, **options) -> None:
        # With the archive on standard output, messages go to standard error.
        say = self.stderr if path == "-" else self.stdout
        try:
            if path == "-":
                summary = backup(sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                target = Path(path)
                if target.exists():
                    raise CommandError(f"{target} exists already: choose another name.")
                partial = target.with_name(target.name + ".partial")
                try:
                    with open(partial, "xb") as output:
                        summary = backup(output)
                    partial.rename(target)
                finally:
                    partial.unlink(missing_ok=True)
        except BackupError as error:
            raise CommandError(str(error)) from error
        say.write(
            f"Backed up {summary.rows} rows in {summary.tables} tables and {summary.files} "
            f"files ({summary.bytes} bytes) to {path}."
        )
