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

from typing import Any

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html

from alliance87.translated import RecordText, record_text

register = template.Library()


@register.simple_tag
def translated(record: Any, field: str, paragraphs: bool = False) -> str:
    """The text of `field` in the active language; else the English, marked as English.
    `paragraphs`: a text of several lines, set as paragraphs (as the `linebreaks` filter).
    A record without the per-language texts (a row made elsewhere) shows its `field` as is."""
    if record is None or record == "":
        return ""
    shown = record_text(record, field)
    if not shown.text:
        return ""
    text = linebreaks_filter(shown.text, autoescape=True) if paragraphs else shown.text
    if not shown.lang:
        return text
    if paragraphs:
        return format_html('<div lang="{}">{}</div>', shown.lang, text)
    return format_html('<span lang="{}">{}</span>', shown.lang, text)


@register.filter
def marked(value: Any) -> str:
    """A label made in Python (a RecordText) marked with its language when it is not the
    page's; any other value as is."""
    if isinstance(value, RecordText) and value.lang:
        return format_html(
            '{}<span lang="{}">{}</span>{}', value.prefix, value.lang, value.text, value.suffix
        )
    return value
