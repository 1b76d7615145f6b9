"""Country names in the reader's language, from CLDR (Babel's territory names).

The stored `Country.name` is the Secretariat's English name: English readers see it, and so
does any reader whose language CLDR has no name for that ISO code. The API and the open data
keep returning the stored name; it is a data field, not a caption.
"""

import functools
import unicodedata
from collections.abc import Mapping

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import translation


def _base(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


@functools.cache
def _territories(language: str) -> Mapping[str, str]:
    """CLDR's territory names in that language, parsed once per process."""
    try:
        return Locale.parse(language).territories
    except (ValueError, UnknownLocaleError):
        return {}


def _user_assigned(iso_code: str) -> bool:
    """ISO 3166 leaves AA, QM-QZ, XA-XZ and ZZ to its users: CLDR names some of them
    ("Unknown Region", pseudo-locales), never as the country a record means. Kosovo's XK is
    the exception everyone shares."""
    return iso_code != "XK" and (
        iso_code in ("AA", "ZZ") or iso_code[:1] == "X" or ("QM" <= iso_code <= "QZ")
    )


def country_name(iso_code: str, stored: str, language: str | None = None) -> str:
    """The country's name in that language (the active one by default)."""
    base = _base(language or translation.get_language() or settings.LANGUAGE_CODE)
    if base == _base(settings.LANGUAGE_CODE) or _user_assigned(iso_code):
        return stored
    return _territories(base).get(iso_code) or stored


def name_sort_key(name: str) -> tuple[str, str]:
    """Sorts names as a reader expects whatever the language: accents and case aside
    ("Équateur" among the E), the exact spelling only breaking ties."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold(), name
