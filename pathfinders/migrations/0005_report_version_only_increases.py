"""A progress report's version only ever goes up: the database refuses an UPDATE that would
lower it, whoever sends it (a revert, a script, a bulk update). The workflow's conditional
updates raise it by one; this guard catches what goes around them."""

from django.db import migrations

MESSAGE = "pathfinders_progressreport.version may only increase"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION pathfinders_report_version_only_increases() RETURNS trigger AS $$
    BEGIN
        IF NEW.version < OLD.version THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER pathfinders_report_version_only_increases
    BEFORE UPDATE OF version ON pathfinders_progressreport
    FOR EACH ROW EXECUTE FUNCTION pathfinders_report_version_only_increases();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS pathfinders_report_version_only_increases "
    "ON pathfinders_progressreport;",
    "DROP FUNCTION IF EXISTS pathfinders_report_version_only_increases();",
]
SQLITE = [
    f"""
    CREATE TRIGGER pathfinders_report_version_only_increases
    BEFORE UPDATE OF version ON pathfinders_progressreport
    FOR EACH ROW WHEN NEW.version < OLD.version
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS pathfinders_report_version_only_increases;"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("pathfinders", "0004_report_reopened_status")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
