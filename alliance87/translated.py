"""Texts the Secretariat records in English, French and Spanish: each app's translation.py
names them (django-modeltranslation), which adds a column per language (`title_en`,
`title_fr`, `title_es`) beside the original one, kept in English (alliance87.admin's
EnglishOriginalMixin). Pages show them through the `translated` tag (record_texts); a text
that reaches a page as a label made in Python (a table's cell, a chart's bar) is a
`RecordText`, which knows when it is the English showing through, so that the page marks it
`lang="en"` as the tag does."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, F, Q, TextField, Value, When
from django.db.models.functions import Coalesce, NullIf
from modeltranslation.utils import get_language


@dataclass(frozen=True)
class RecordText:
    """A recorded text as the reader sees it; `lang` is the language it is written in when
    that is not the page's (the English shown for want of a translation), else "". `prefix`
    and `suffix`: words of the page's own before and after it ("Secretariat: ", " (Child
    labour)"), in the reader's language."""

    text: str
    lang: str = ""
    prefix: str = ""
    suffix: str = ""

    def __str__(self) -> str:
        return f"{self.prefix}{self.text}{self.suffix}"


def _value(record: Any, name: str) -> str | None:
    """The text under `name`; None where the record has no such field or key."""
    value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
    return None if value is None else str(value)


def record_text(record: Any, field: str) -> RecordText:
    """The text of `field` in the active language, else the English, marked as English. Works on
    a model instance and on a selector's row (a dict with `title_en`, `title_fr`... keys); a
    record without the per-language texts gives its `field` as is."""
    english_code = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    language = get_language()
    own = _value(record, f"{field}_{language}")
    english = _value(record, f"{field}_{english_code}")
    if own is None and english is None:
        own = _value(record, field)
    if own or language == english_code:
        return RecordText(own or "")
    return RecordText(english or "", english_code if english else "")


def shown_record_text(text: str | None, shown_language: str | None) -> RecordText:
    """A RecordText from a row read with `shown_text` and `shown_language`."""
    return RecordText(text or "", shown_language or "")


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


def shown_language(field: str) -> Case:
    """The language `shown_text(field)` is in when not the reader's, as a query expression:
    "en" where the active language has no text of its own, else ""."""
    english = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    language = get_language()
    if language == english:
        return Case(default=Value(""), output_field=CharField())
    own = f"{field}_{language}"
    return Case(
        When(Q(**{f"{own}__isnull": True}) | Q(**{own: ""}), then=Value(english)),
        default=Value(""),
        output_field=CharField(),
    )
