"""Texts the Secretariat records in English, French and Spanish: each app's translation.py
names them (django-modeltranslation), which adds a column per language (`title_en`,
`title_fr`, `title_es`) beside the original one, kept in English (alliance87.admin's
EnglishOriginalMixin). Pages show them through the `translated` tag (record_texts)."""

from collections.abc import Iterable

from django.conf import settings


def translation_columns(texts: Iterable[str]) -> list[str]:
    """The per-language columns of `texts`. A model's history keeps the original (English)
    column only: pass these to its HistoricalRecords(excluded_fields=...), since its history
    table is made before the columns are added."""
    return [f"{text}_{code}" for text in texts for code, _name in settings.LANGUAGES]
