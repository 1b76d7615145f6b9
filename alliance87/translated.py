"""Texts the Secretariat records in English, French and Spanish: each app's translation.py
names them (django-modeltranslation), which adds a column per language (`title_en`,
`title_fr`, `title_es`) beside the original one, kept in English (alliance87.admin's
EnglishOriginalMixin). Pages show them through the `translated` tag (record_texts)."""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from modeltranslation.utils import get_language


def translation_columns(texts: Iterable[str]) -> list[str]:
    """The per-language columns of `texts`. A model's history keeps the original (English)
    column only: pass these to its HistoricalRecords(excluded_fields=...), since its history
    table is made before the columns are added."""
    return [f"{text}_{code}" for text in texts for code, _name in settings.LANGUAGES]


def shown_text(field: str) -> Coalesce:
    """The text of `field` a reader sees, as a query expression: the active language's, else the
    English (as the `translated` tag). For ordering and for rows read without the model;
    `field` may cross a relation ("parent__name")."""
    english = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    own = F(f"{field}_{get_language()}")
    # Each language's column is a field class of its own: the result is named as text.
    return Coalesce(NullIf(own, Value("")), F(f"{field}_{english}"), output_field=TextField())
