"""Back up and restore everything the portal keeps: the database and the media storage.

A backup is one tar file: the database (`pg_dump --format=custom`, or a copy made with
SQLite's backup API), every file of the media storage under `media/` (read through Django's
storage API, so an S3 bucket is backed up as a local folder is), and `manifest.json` last:
the database engine, the applied migrations, the row count of every table and the size and
SHA-256 of every file. The counts are taken in the same snapshot as the dump.

A restore checks the whole archive first (every file against its hash, the migrations against
the code), refuses a database or media storage that already holds records unless told to
replace them, restores the database in one transaction, writes the files, and then checks
every count and every hash again. Nothing is left half-done without an error that says so.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TypedDict

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# Rows `migrate` writes by itself into a new database: they do not make it "not empty".
FILLED_BY_MIGRATE = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


class MediaEntry(TypedDict):
    """A media file as the manifest lists it."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Summary:
    rows: int
    tables: int
    files: int
    bytes: int


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _tables() -> dict[str, str]:
    """Every table of the portal's models (many-to-many tables included), by model label."""
    return {
        model._meta.label_lower: model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _count_rows(cursor, tables: dict[str, str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for label, table in sorted(tables.items()):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608  names from models
        counts[label] = cursor.fetchone()[0]
    return counts


def _media_files(storage=default_storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a media folder not created yet holds nothing
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from _media_files(storage, f"{folder}{sub}/")


def _sha256(fileobj: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class _HashingReader(io.RawIOBase):
    """Reads a file for tarfile while hashing what it reads."""

    def __init__(self, fileobj: IO[bytes]) -> None:
        self.fileobj, self.digest, self.size = fileobj, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.fileobj.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _pg_env() -> dict[str, str]:
    """libpq's variables for the portal's database: the password never shows in `ps`."""
    settings = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
        "PGSSLMODE": settings.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run(command: list[str]) -> None:
    try:
        # The PostgreSQL client tools, with arguments from the settings: no shell.
        result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install the PostgreSQL client "
            "(apt-get install postgresql-client), of the server's version or newer."
        ) from None
    if result.returncode:
        raise BackupError(f"{command[0]} failed:\n{result.stderr.strip()[-2000:]}")


def _dump_database(path: Path, tables: dict[str, str]) -> dict[str, int]:
    """Write the database to `path` and count its rows, both in one snapshot."""
    if engine() == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
            return _count_rows(copy.cursor(), tables)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}"])
        return _count_rows(cursor, tables)


def backup(output: IO[bytes]) -> Summary:
    """Write the backup archive to `output` (a file or a pipe: the archive is streamed)."""
    vendor = engine()
    tables = _tables()
    applied = sorted(MigrationRecorder(connection).applied_migrations())
    with tempfile.TemporaryDirectory(prefix="alliance87-backup-") as work:
        dump = Path(work) / DATABASE_MEMBERS[vendor]
        counts = _dump_database(dump, tables)
        files: list[MediaEntry] = []
        with tarfile.open(fileobj=output, mode="w|") as archive:
            archive.add(dump, arcname=dump.name)
            for name in _media_files():
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size = default_storage.size(name)
                info.mtime = int(datetime.now(UTC).timestamp())
                with default_storage.open(name, "rb") as stored:
                    reader = _HashingReader(stored)
                    archive.addfile(info, reader)
                files.append(
                    {"name": name, "size": reader.size, "sha256": reader.digest.hexdigest()}
                )
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(),
                "engine": vendor,
                "database": dump.name,
                "migrations": [list(key) for key in applied],
                "rows": counts,
                "media": files,
            }
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
    return Summary(
        rows=sum(counts.values()),
        tables=len(counts),
        files=len(files),
        bytes=sum(f["size"] for f in files),
    )


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
        if member is None:  # a folder of that name: no manifest either
            raise KeyError(MANIFEST)
        manifest = json.load(member)
    except (KeyError, ValueError, TypeError):
        raise BackupError("This file is not a portal backup: it holds no manifest.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _check_archive(archive: tarfile.TarFile, manifest: dict) -> None:
    """Everything the restore will need is there and intact, before anything is written."""
    vendor = engine()
    if manifest["engine"] != vendor:
        raise BackupError(
            f"This backup is of a {manifest['engine']} database; the portal now uses {vendor}. "
            "Restore it into the same kind of database."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(
            "This backup was made by a newer version of the portal (unknown migrations: "
            f"{', '.join(unknown[:5])}). Restore it with the code it was made with."
        )
    if manifest["database"] not in archive.getnames():
        raise BackupError("The backup holds no database dump: it is incomplete.")
    for entry in manifest["media"]:
        member = archive.extractfile(MEDIA_PREFIX + entry["name"])
        if member is None or _sha256(member) != (entry["sha256"], entry["size"]):
            raise BackupError(f"The file {entry['name']} in the backup is damaged or missing.")


def database_contents() -> dict[str, int]:
    """The rows of the current database, table by table, leaving out what `migrate` writes
    by itself and the tables that do not exist yet."""
    existing = set(connection.introspection.table_names())
    tables = {
        label: table
        for label, table in _tables().items()
        if table in existing and label not in FILLED_BY_MIGRATE
    }
    with connection.cursor() as cursor:
        return {label: n for label, n in _count_rows(cursor, tables).items() if n}


def _restore_database(archive: tarfile.TarFile, manifest: dict, work: Path) -> None:
    # Copied under a name of ours, never a path taken from the archive (and without
    # TarFile.extract's `filter`, which Debian bookworm's Python 3.11.2 lacks).
    dump = work / "database"
    member = archive.extractfile(manifest["database"])
    if member is None:
        raise BackupError("The archive's database is not a file.")
    with member, open(dump, "wb") as target:
        shutil.copyfileobj(member, target)
    if engine() == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(dump)) as source:
            source.backup(connection.connection)  # replaces the whole database at once
        connection.close()
        return
    connection.close()  # pg_restore must not wait on a lock this process holds
    # One transaction: either the whole database is restored or none of it.
    _run(
        [
            "pg_restore",
            "--single-transaction",
            "--exit-on-error",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ]
    )


def _restore_media(archive: tarfile.TarFile, manifest: dict) -> None:
    total = len(manifest["media"])
    for written, entry in enumerate(manifest["media"]):
        name = entry["name"]
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, File(archive.extractfile(MEDIA_PREFIX + name)))
            if saved != name:
                raise BackupError(f"the storage saved it as {saved}")
        except Exception as error:
            raise BackupError(
                f"The database was restored and {written} of {total} files written, then "
                f"writing {name} failed: {error}. Fix the cause and run the restore again "
                "with --force."
            ) from error


def verify(manifest: dict) -> list[str]:
    """What differs between the portal's database and media storage and the manifest."""
    problems = []
    with connection.cursor() as cursor:
        tables = {label: table for label, table in _tables().items() if label in manifest["rows"]}
        counts = _count_rows(cursor, tables)
    for label, expected in manifest["rows"].items():
        if counts.get(label) != expected:
            problems.append(f"{label}: {counts.get(label)} rows instead of {expected}")
    for entry in manifest["media"]:
        try:
            with default_storage.open(entry["name"], "rb") as stored:
                found = _sha256(stored)
        except FileNotFoundError:
            found = None
        if found != (entry["sha256"], entry["size"]):
            problems.append(f"{entry['name']}: missing or different")
    return problems


def restore(path: Path, *, force: bool = False) -> Summary:
    """Restore the archive at `path` into the portal's database and media storage."""
    with tarfile.open(path, mode="r:") as archive, tempfile.TemporaryDirectory() as work:
        manifest = read_manifest(archive)
        _check_archive(archive, manifest)
        if not force:
            held = database_contents()
            if held:
                examples = ", ".join(f"{label} ({n})" for label, n in list(held.items())[:3])
                raise BackupError(
                    f"The database is not empty: {sum(held.values())} rows, e.g. {examples}. "
                    "Restore into an empty database, or add --force to replace its contents."
                )
            stored = next(_media_files(), None)
            if stored is not None:
                raise BackupError(
                    f"The media storage is not empty (e.g. {stored}). Restore into an empty "
                    "media folder or bucket, or add --force to overwrite the files of the backup."
                )
        _restore_database(archive, manifest, Path(work))
        _restore_media(archive, manifest)
    problems = verify(manifest)
    if problems:
        raise BackupError("The restore does not match the backup:\n" + "\n".join(problems[:20]))
    return Summary(
        rows=sum(manifest["rows"].values()),
        tables=len(manifest["rows"]),
        files=len(manifest["media"]),
        bytes=sum(entry["size"] for entry in manifest["media"]),
    )


def spool(stream: IO[bytes], folder: str | None = None) -> Path:
    """Copy a backup read from a pipe into a temporary file (a restore reads it twice)."""
    handle, name = tempfile.mkstemp(prefix="alliance87-restore-", suffix=".tar", dir=folder)
    with os.fdopen(handle, "wb") as copy:
        shutil.copyfileobj(stream, copy, CHUNK)
    return Path(name)
