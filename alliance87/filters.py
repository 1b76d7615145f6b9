"""What every list page's filters share: each value is checked for its type and range before
any query runs, and a value refused is named next to its field while the page still answers.

Every FilterSet of the portal derives from `FilterSet` here (tests/test_hostile_input.py
checks it). Django's form fields already refuse text that is not a number, a date or one of
the choices; this adds what they let through and the database refuses or overflows on: NUL
characters (PostgreSQL stores none) and numbers beyond the database's integers.
"""

import re

import django_filters
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection

# Ids and whole numbers the database can compare: a 64-bit signed integer.
_, LARGEST_ID = connection.ops.integer_field_range("BigAutoField")
SMALLEST_NUMBER, LARGEST_NUMBER = connection.ops.integer_field_range("BigIntegerField")
_DIGITS = re.compile(r"[0-9]{1,19}")


def database_id(text: str) -> int | None:
    """The id written in `text` if it is one (ASCII digits, within the database's range);
    None for anything else, which is then text to search for rather than an error."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= LARGEST_ID else None


class FilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for list_filter in self.filters.values():
            if isinstance(list_filter, django_filters.NumberFilter):
                # A number filter compares with integer columns: no more than they hold.
                list_filter.extra.setdefault("min_value", SMALLEST_NUMBER)
                list_filter.extra.setdefault("max_value", LARGEST_NUMBER)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                field.to_python = _refusing_nul(field.to_python)
        return self._form


def _refusing_nul(to_python):
    """A field's conversion that first refuses a NUL character, so the message names it
    (before, a choice field answered "… is not one of the available choices" for it)."""
    null_characters = ProhibitNullCharactersValidator()

    def convert(value):
        for one in value if isinstance(value, list | tuple) else [value]:
            if isinstance(one, str):
                null_characters(one)
        return to_python(value)

    return convert
