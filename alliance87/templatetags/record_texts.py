"""A recorded text (an indicator's title, an event's agenda) in the reader's language.

The Secretariat records these texts in English, French and Spanish (the apps' translation.py,
django-modeltranslation). Where the reader's language has none yet, the English shows through,
marked `lang="en"` so that screen readers and browsers read it as English:

    {% load record_texts %}
    <h1>{% translated event "title" %}</h1>
    <div class="prose">{% translated event "purpose" paragraphs=True %}</div>

Works on a model instance and on a selector's row (a dict with the `title_en`, `title_fr`...
keys alike).
"""

from collections.abc import Mapping
from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from modeltranslation.utils import get_language

register = template.Library()


def _value(record: Any, name: str) -> str | None:
    """The text under `name`; None where the record has no such field or key."""
    value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
    return None if value is None else str(value)


@register.simple_tag
def translated(record: Any, field: str, paragraphs: bool = False) -> str:
    """The text of `field` in the active language; else the English, marked as English.
    `paragraphs`: a text of several lines, set as paragraphs (as the `linebreaks` filter).
    A record without the per-language texts (a row made elsewhere) shows its `field` as is."""
    if record is None or record == "":
        return ""
    english_code = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    language = get_language()
    own = _value(record, f"{field}_{language}")
    english = _value(record, f"{field}_{english_code}")
    if own is None and english is None:
        own = _value(record, field)
    text = own or ""
    shows_through = not text and language != english_code
    if shows_through:
        text = english or ""
    if not text:
        return ""
    if paragraphs:
        text = linebreaks_filter(text, autoescape=True)
    if not shows_through:
        return text
    if paragraphs:
        return format_html('<div lang="{}">{}</div>', english_code, text)
    return format_html('<span lang="{}">{}</span>', english_code, text)
