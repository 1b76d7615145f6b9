"""Writing thousands of checked rows fast: one executemany per table, history included.

Django's bulk_create prepares every value through the query compiler, which for a 10,000-row
import (and as many history rows) costs several seconds of Python. Rows that arrive here were
checked already (financing.importing); the values of plain columns go to the driver as they
are, and only the columns that need it (decimals, dates, times) are adapted by their field.
"""

from collections.abc import Callable, Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _preparer(field: models.Field) -> Callable:
    # A field class of the portal's own (the Durban areas' list) stores another form than it
    # holds: only Django's own plain fields go as they are.
    if (
        isinstance(field, _PLAIN)
        and not isinstance(field, models.AutoField | models.BigAutoField)
        and type(field).__module__.startswith("django.")
    ):
        return lambda value: value
    database = connections[DEFAULT_DB_ALIAS]
    if isinstance(field, models.DateField):
        # Few distinct dates (and one timestamp) in a file: adapt each once.
        cache: dict = {}

        def prepare_date(value):
            if value not in cache:
                cache[value] = field.get_db_prep_save(value, database)
            return cache[value]

        return prepare_date
    return lambda value: field.get_db_prep_save(value, database)


def _executemany(
    model: type[models.Model], columns: list[models.Field], rows: Iterable[tuple]
) -> None:
    quote = connection.ops.quote_name
    sql = "INSERT INTO {table} ({columns}) VALUES ({values})".format(  # noqa: S608  names from the model
        table=quote(model._meta.db_table),
        columns=", ".join(quote(field.column) for field in columns),
        values=", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


def insert_rows(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """INSERT the objects (without primary keys); auto_now fields get one shared timestamp."""
    now = timezone.now()
    columns = [field for field in model._meta.concrete_fields if not field.primary_key]
    for field in columns:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now)
    preparers = [_preparer(field) for field in columns]
    _executemany(
        model,
        columns,
        (
            tuple(
                prepare(getattr(obj, field.attname))
                for field, prepare in zip(columns, preparers, strict=True)
            )
            for obj in objects
        ),
    )


def _field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # the columns named are the model's own fields
    return field


def update_rows(
    model: type[models.Model], objects: Sequence[models.Model], fields: list[str]
) -> None:
    """UPDATE the given columns of each object (by primary key); auto_now fields get one
    shared timestamp."""
    now = timezone.now()
    columns = [_field(model, name) for name in fields]
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            for obj in objects:
                setattr(obj, field.attname, now)
            if field not in columns:
                columns.append(field)
    preparers = [_preparer(field) for field in columns]
    pk = model._meta.pk
    assert pk is not None  # every model has a primary key
    quote = connection.ops.quote_name
    sql = "UPDATE {table} SET {assignments} WHERE {pk} = %s".format(  # noqa: S608  names from the model
        table=quote(model._meta.db_table),
        assignments=", ".join(f"{quote(field.column)} = %s" for field in columns),
        pk=quote(pk.column),
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (
                    *(
                        prepare(getattr(obj, field.attname))
                        for field, prepare in zip(columns, preparers, strict=True)
                    ),
                    obj.pk,
                )
                for obj in objects
            ],
        )


def insert_history(
    model: type[models.Model],
    objects: Sequence[models.Model],
    *,
    user,
    reason: str,
    history_type: str = "+",
) -> None:
    """The history row of each object (django-simple-history's historical model): "+" as
    it was created, "~" as it is after a change."""
    historical = get_history_model_for_model(model)
    now = timezone.now()
    fixed = {
        "history_date": now,
        "history_type": history_type,
        "history_change_reason": reason,
        "history_user_id": user.pk if user else None,
    }
    columns = [field for field in historical._meta.concrete_fields if not field.primary_key]
    preparers = [_preparer(field) for field in columns]

    def row(obj: models.Model) -> tuple:
        return tuple(
            prepare(fixed[field.attname] if field.attname in fixed else getattr(obj, field.attname))
            for field, prepare in zip(columns, preparers, strict=True)
        )

    _executemany(historical, columns, (row(obj) for obj in objects))
