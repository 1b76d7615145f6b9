"""Every page speaks the reader's language: no English word of the interface on a page read in
French or Spanish.

The English words of the interface are those of the English texts the portal translates (the
msgids of its French catalog), four letters or longer. A word is French (Spanish) too where the
French (Spanish) translations use it: the portal's, Django's and allauth's ("Date", "Total",
"Actions", "active"), save a translation that copies its English, and CLDR's names of places
in that language (a town keeps its own name: "Tell City", "Swift Current"); a few more are
listed below.
What is not the interface's is not read: recorded texts shown in English for want of a
translation are marked `lang="en"` (the `translated` template tag), code is code, and what
people wrote in the records (a report's narrative, an organisation's name) is in the language
its author wrote it in.
"""

import re
from pathlib import Path

import allauth
import django
import pytest
from babel import Locale
from babel.dates import get_timezone_location
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.db import models
from modeltranslation.fields import TranslationField
from modeltranslation.translator import translator

from alliance87.accounts.models import User
from alliance87.timezones import known_time_zones
from tests.reader_pages import admin_pages, demo_loaded, pages_to_read, read, readable_parts

CATALOGS = [
    Path(settings.BASE_DIR) / "locale",
    Path(django.__file__).parent / "conf" / "locale",
    # The admin's own words are those of Django's admin and of its users' and groups' pages.
    Path(django.__file__).parent / "contrib" / "admin" / "locale",
    Path(django.__file__).parent / "contrib" / "auth" / "locale",
    Path(allauth.__file__).parent / "locale",
]
WORD = re.compile(r"[^\W\d_]+")
# What a message holds besides its words: placeholders, HTML tags and entities.
MARKUP = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]*>|&\w+;")

# Words of the language, written as in English, that no translation above happens to use.
ALSO_THEIRS = {
    "fr": {"participant", "absent", "budget", "description"},
    "es": {"virtual", "roles"},
}

# The areas whose records people write, in the language they write in.
RECORD_APPS = {"pathfinders", "governance", "financing", "workshops", "vision"}


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(MARKUP.sub(" ", text)) if len(word) >= 4}


def _messages(catalog: Path, language: str) -> list[tuple[list[str], list[str]]]:
    """(English texts, translations) of each message of the catalog; fuzzy ones untranslated."""
    with open(catalog / language / "LC_MESSAGES" / "django.po", "rb") as po:
        messages = []
        for message in read_po(po):
            if not message.id:
                continue
            english = list(message.id) if isinstance(message.id, tuple) else [message.id]
            texts = message.string if isinstance(message.string, tuple) else [message.string]
            messages.append((english, [] if message.fuzzy else [text for text in texts if text]))
    return messages


def place_names(language: str) -> set[str]:
    """CLDR's names in `language` of the countries and of the cities time zones are named by
    (the zone database's own where CLDR keeps it)."""
    locale = Locale.parse(language)
    cities = {
        get_timezone_location(zone, locale=locale, return_city=True) for zone in known_time_zones()
    }
    return cities | set(locale.territories.values())


def english_words(language: str) -> set[str]:
    """The interface's English words that are not also words of `language`."""
    english = {
        word for texts, _ in _messages(CATALOGS[0], "fr") for text in texts for word in _words(text)
    }
    theirs = set(ALSO_THEIRS[language])
    theirs.update(*(_words(name) for name in place_names(language)))
    for catalog in CATALOGS:
        for texts, translations in _messages(catalog, language):
            # A translation copied from the English proves nothing about the language.
            theirs.update(*(_words(text) for text in translations if text not in texts))
    return english - theirs


def _plain_texts(model) -> list[str]:
    """The names of `model`'s free texts: not a choice, not translated in the admin (nor in
    its history, a copy of the record: django-simple-history's `instance_type`)."""
    recorded = getattr(model, "instance_type", model)
    registered = recorded in translator.get_registered_models()
    options = translator.get_options_for_model(recorded) if registered else None
    translated = set(options.all_fields) if options else set()
    return [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and not isinstance(field, TranslationField)
        and field.name not in translated
    ]


def _stored_texts(model, names: list[str]) -> set[str]:
    texts: set[str] = set()
    for name in names:
        for value in model._default_manager.values_list(name, flat=True):
            texts |= {" ".join(line.split()) for line in str(value or "").splitlines()}
    return texts


def _admin_texts() -> set[str]:
    """What the admin shows of the records as stored: there the Secretariat reads and writes
    each text in the language it was written in (the original of a text recorded in three
    languages is the English), whatever the app, roles and countries included; and Django's
    permissions, named in English when the database is made, which Django never translates."""
    texts: set[str] = set()
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices
        ]
        texts |= _stored_texts(model, names)
        # django-simple-history names the history of a many-to-many field by its class
        # ("HistoricalMembership_representatives"), a name nobody can translate.
        if model.__name__.startswith("Historical") and "_" in model.__name__:
            texts.add(str(model._meta.verbose_name))
    return texts


def written_texts(*, admin: bool = False) -> list[str]:
    """The texts people wrote in the records, each line, longest first. Not the texts the
    Secretariat records in three languages: shown in English, those say so (but in the admin,
    see _admin_texts)."""
    texts = {name for user in User.objects.all() for name in (user.first_name, user.last_name)}
    # The open data's licence goes by its own title ("Creative Commons Attribution 4.0 …").
    texts.add(settings.OPEN_DATA_LICENCE)
    for model in apps.get_models():
        if model._meta.app_label in RECORD_APPS:
            texts |= _stored_texts(model, _plain_texts(model))
    if admin:
        texts |= _admin_texts()
    texts = {text for text in texts if len(text) >= 4 and WORD.search(text)}
    return sorted(texts, key=len, reverse=True)


def _without_written(text: str, written: list[str]) -> str:
    """`text` without what people wrote, whole or cut short ("Circulate the agreed…")."""
    for cut in reversed([match.start() for match in re.finditer("…", text)]):
        for written_text in written:
            start = text.rfind(written_text[:12], 0, cut)
            if start >= 0 and written_text.startswith(text[start:cut].rstrip()):
                text = text[:start] + " " + text[cut + 1 :]
                break
    for written_text in written:
        if written_text in text:
            text = text.replace(written_text, " ")
    return text


def english_found(html: str, vocabulary: set[str], written: list[str]) -> list[str]:
    found = []
    for part in readable_parts(html):
        text = " ".join(part.split())
        if not _words(text) & vocabulary:
            continue
        text = _without_written(text, written)
        for match in WORD.finditer(text):
            if match.group(0).lower() in vocabulary:
                start, end = max(match.start() - 40, 0), match.end() + 40
                found.append(f"{match.group(0)!r} in «{text[start:end]}»")
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_loaded(django_db_blocker):
        yield


@pytest.mark.parametrize("language", ["fr", "es"])
def test_pages_hold_no_english_word_of_the_interface(demo, db, language):
    vocabulary = english_words(language)
    written, in_the_admin = written_texts(), written_texts(admin=True)
    found = []
    for page in [*pages_to_read(), *admin_pages()]:
        html = read(page, language)
        texts = in_the_admin if page.name.startswith("admin") else written
        found += [
            f"{page.name} [{language}]: {line}" for line in english_found(html, vocabulary, texts)
        ]
    found = list(dict.fromkeys(found))
    assert not found, "\n".join(found)
