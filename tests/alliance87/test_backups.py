"""Backups restore: `manage.py backup` then `manage.py restore` into an empty database and an
empty media folder, each in its own process as on a server, find every row of every table
and every file (by content) again. Once on SQLite, once on PostgreSQL."""

import json
import os
import secrets
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Some records of every kind that carries a file, through the factories: a progress report
# with an evidence file, a generated PDF report, an event document; and a Secretariat member
# with an authenticator (allauth's tables, the history tables, the many-to-many tables).
SEED = """
from decimal import Decimal
from django.core.files.base import ContentFile
from alliance87.reports.models import ReportRequest
from pathfinders.models import IndicatorValue
from tests.factories import SecretariatFactory
from tests.pathfinders.factories import IndicatorFactory, ReportFactory
from tests.workshops.factories import EventFactory
from workshops.models import EventDocument

SecretariatFactory(email="sara@example.org")
report = ReportFactory()
IndicatorValue.objects.create(
    report=report, indicator=IndicatorFactory(), value_number=Decimal("42.50"),
    evidence=ContentFile(b"%PDF-1.4 evidence of the national action plan", name="plan.pdf"),
)
ReportRequest.objects.create(
    kind="country_dossier", subject_key="country_dossier:FJ", language="fr", status="done",
    file=ContentFile(b"%PDF-1.7 the generated dossier" * 100, name="dossier-FJ.pdf"),
)
event = EventFactory()
EventDocument.objects.create(
    event=event, kind="other", title="Concept note", content_type="application/pdf", size=21,
    file=ContentFile(b"%PDF-1.5 concept note", name="concept-note.pdf"),
)
"""

# What a restore must find again, computed without the backup module: the rows of every
# table (many-to-many and history tables included) and the SHA-256 of every media file.
CONTENTS = """
import hashlib, json, os
from django.apps import apps
from django.conf import settings
rows = {
    m._meta.label_lower: m._base_manager.count()
    for m in apps.get_models(include_auto_created=True) if m._meta.managed
}
files = {}
for folder, _dirs, names in os.walk(settings.MEDIA_ROOT):
    for name in names:
        path = os.path.join(folder, name)
        with open(path, "rb") as f:
            files[os.path.relpath(path, settings.MEDIA_ROOT)] = hashlib.sha256(f.read()).hexdigest()
print(json.dumps({"rows": rows, "files": files}))
"""


def manage(*args: str, env: dict[str, str], stdin=None, stdout=subprocess.PIPE):
    unset = {"DJANGO_ENV", "REDIS_URL", "REDIS_CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env, "LOG_LEVEL": "WARNING"},
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=300,
    )


def contents(env: dict[str, str]) -> dict:
    result = manage("shell", "--no-imports", "-c", CONTENTS, env=env)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


class Databases:
    """New, empty databases of the engine under test, removed at the end."""

    def __init__(self, engine: str, folder: Path) -> None:
        self.engine, self.folder, self.created = engine, folder, []

    def new(self) -> str:
        name = f"backup_{secrets.token_hex(4)}"
        if self.engine == "sqlite":
            return f"sqlite:///{self.folder / name}.sqlite3"
        self._admin(f"CREATE DATABASE {name}")
        self.created.append(name)
        return self._url(name)

    def _url(self, name: str) -> str:
        parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))

    def _admin(self, statement: str) -> None:
        import psycopg2

        connection = psycopg2.connect(self._url("postgres"))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def drop_all(self) -> None:
        for name in self.created:
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def backed_up(request, tmp_path_factory):
    """A migrated database with records and files, its backup, and its contents."""
    folder = tmp_path_factory.mktemp(f"backup-{request.param}")
    databases = Databases(request.param, folder)
    source = {"DATABASE_URL": databases.new(), "MEDIA_ROOT": str(folder / "source-media")}
    for args in (("migrate", "--noinput", "-v0"), ("shell", "--no-imports", "-c", SEED)):
        result = manage(*args, env=source)
        assert result.returncode == 0, result.stderr.decode()
    archive = folder / "alliance87.tar"
    result = manage("backup", str(archive), env=source)
    assert result.returncode == 0, result.stderr.decode()
    yield {"databases": databases, "folder": folder, "source": source, "archive": archive}
    databases.drop_all()


def empty_target(backed_up) -> dict[str, str]:
    media = backed_up["folder"] / f"media-{secrets.token_hex(4)}"
    return {"DATABASE_URL": backed_up["databases"].new(), "MEDIA_ROOT": str(media)}


def test_a_restore_into_an_empty_database_finds_every_row_and_file_again(backed_up):
    target = empty_target(backed_up)

    result = manage("restore", str(backed_up["archive"]), env=target)

    assert result.returncode == 0, result.stderr.decode()
    assert "every count and file matches the backup" in result.stdout.decode()
    expected, restored = contents(backed_up["source"]), contents(target)
    assert restored == expected
    assert len(expected["files"]) == 3
    assert expected["rows"]["pathfinders.indicatorvalue"] == 1
    assert expected["rows"]["mfa.authenticator"] == 1


def test_a_restore_refuses_a_database_that_holds_records(backed_up):
    before = contents(backed_up["source"])

    result = manage("restore", str(backed_up["archive"]), env=backed_up["source"])

    assert result.returncode != 0
    assert "The database is not empty" in result.stderr.decode()
    assert "--force" in result.stderr.decode()
    assert contents(backed_up["source"]) == before


def test_a_restore_refuses_a_media_folder_that_holds_files(backed_up):
    target = empty_target(backed_up)
    Path(target["MEDIA_ROOT"], "reports").mkdir(parents=True)
    Path(target["MEDIA_ROOT"], "reports", "old.pdf").write_bytes(b"%PDF old")

    result = manage("restore", str(backed_up["archive"]), env=target)

    assert result.returncode != 0
    assert "The media storage is not empty (e.g. reports/old.pdf)" in result.stderr.decode()


def test_a_damaged_backup_is_refused_before_anything_is_written(backed_up):
    damaged = backed_up["folder"] / "damaged.tar"
    data = bytearray(backed_up["archive"].read_bytes())
    position = data.index(b"%PDF-1.4 evidence")
    data[position : position + 4] = b"XXXX"
    damaged.write_bytes(bytes(data))
    target = empty_target(backed_up)

    result = manage("restore", str(damaged), env=target)

    assert result.returncode != 0
    assert "is damaged or missing" in result.stderr.decode()
    assert not Path(target["MEDIA_ROOT"]).exists()


def test_a_backup_piped_out_of_one_portal_restores_into_another(backed_up):
    # As with `docker compose exec -T web python manage.py backup - > backup.tar`.
    target = empty_target(backed_up)
    piped = backed_up["folder"] / f"piped-{secrets.token_hex(4)}.tar"
    with open(piped, "wb") as output:
        result = manage("backup", "-", env=backed_up["source"], stdout=output)
    assert result.returncode == 0, result.stderr.decode()

    with open(piped, "rb") as source:
        result = manage("restore", "-", env=target, stdin=source)

    assert result.returncode == 0, result.stderr.decode()
    assert contents(target) == contents(backed_up["source"])


def test_with_force_a_restore_replaces_what_the_database_holds(backed_up):
    target = empty_target(backed_up)
    assert manage("restore", str(backed_up["archive"]), env=target).returncode == 0
    added = "from tests.factories import UserFactory; UserFactory(email='added@example.org')"
    assert manage("shell", "--no-imports", "-c", added, env=target).returncode == 0

    result = manage("restore", "--force", str(backed_up["archive"]), env=target)

    assert result.returncode == 0, result.stderr.decode()
    assert contents(target) == contents(backed_up["source"])
