import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alliance87.backups import BackupError, restore, spool


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` (PATH, or - for standard input) into an empty "
        "database and media storage, then check every row count and file against it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the archive to read, or -")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that holds records, and overwrite files of the same name",
        )

    def handle(self, *args, path: str, force: bool, **options) -> None:
        source = spool(sys.stdin.buffer) if path == "-" else Path(path)
        try:
            if not source.is_file():
                raise CommandError(f"{path}: no such file.")
            summary = restore(source, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        finally:
            if path == "-":
                source.unlink(missing_ok=True)
        self.stdout.write(
            f"Restored {summary.rows} rows in {summary.tables} tables and {summary.files} files "
            f"({summary.bytes} bytes); every count and file matches the backup. Run "
            "`python manage.py migrate` if this version of the portal has newer migrations."
        )
