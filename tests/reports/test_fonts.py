"""The PDF reports print every script the Alliance's people write their names in.

Needs the fonts the README names (DejaVu, fonts-noto-core, fonts-noto-cjk): with DejaVu alone
the Japanese names print as empty boxes and this test fails.
"""

import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import NameObject

from alliance87.reports import services
from tests.factories import OrganisationFactory
from tests.pdf import pdf_text
from tests.workshops.factories import AgendaItemFactory, CoLeadFactory, EventFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "山田 花子",  # Japanese: kanji
    "ヒューマン・ライツ・ナウ",  # Japanese: katakana
    "منظمة العمل العربية",  # Arabic
    "Анна Петрова",  # Cyrillic
    "Bộ Lao động – Thương binh và Xã hội",  # Vietnamese: stacked accents
    "Zoë Núñez-Åström",  # accented Latin
]


def test_names_in_japanese_arabic_cyrillic_and_accented_latin_print_without_empty_boxes(
    gcg_member, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Regional consultation", led_by=NAMES[0], supported_by=NAMES[3])
    item = AgendaItemFactory(event=event, title="Partners' commitments")
    for name in [NAMES[1], NAMES[2], NAMES[4], NAMES[5]]:
        CoLeadFactory(agenda_item=item, organisation=OrganisationFactory(name=name, acronym=""))

    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.report_request(
            user=gcg_member, kind="event_outcome", parameters={"event": event.pk}, language="en"
        )

    report.refresh_from_db()
    with report.file.open("rb") as handle:
        fonts = type0_fonts(PdfReader(io.BytesIO(handle.read())))
    assert characters_printed_as_boxes(fonts) == ""
    assert any("CJK" in str(font["/BaseFont"]) for font in fonts)  # Japanese in a font for it
    text = pdf_text(report)
    for name in NAMES:
        assert name in text


def type0_fonts(reader: PdfReader) -> list:
    """Every Type 0 font (WeasyPrint's kind) the pages draw with, also inside forms (charts)."""
    fonts, pending = {}, [page.get("/Resources") for page in reader.pages]
    while pending:
        resources = pending.pop()
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            if font.get_object().get("/Subtype") == "/Type0":
                fonts[id(font.get_object())] = font.get_object()
        pending += [
            form.get_object().get("/Resources")
            for form in (resources.get("/XObject") or {}).values()
        ]
    return list(fonts.values())


def characters_printed_as_boxes(fonts: list) -> str:
    """The characters drawn as an empty box, for want of a glyph in the font drawing them.

    CID 0 is a PDF font's missing glyph (.notdef). The font's encoding maps each code drawn on
    the page to a CID (Identity-H: the code itself) and its ToUnicode map tells the character
    each code stands for: the codes mapped to CID 0 are the characters printed as boxes.
    """
    boxes = set()
    for font in fonts:
        characters = {
            int(code, 16): bytes.fromhex(utf16.decode()).decode("utf-16-be")
            for code, utf16 in cmap_entries(font["/ToUnicode"], b"bfchar", rb"<(\w+)>\s*<(\w+)>")
        }
        encoding = font["/Encoding"].get_object()
        if isinstance(encoding, NameObject):  # Identity-H
            missing = {0}
        else:
            cids = cmap_entries(encoding, b"cidchar", rb"<(\w+)>\s+(\d+)")
            missing = {int(code, 16) for code, cid in cids if int(cid) == 0}
        boxes.update(characters[code] for code in missing if code in characters)
    return "".join(sorted(boxes))


def cmap_entries(stream, section: bytes, entry: bytes) -> list[tuple[bytes, bytes]]:
    """The entries of a CMap's `begin<section>` … `end<section>` blocks."""
    data = stream.get_object().get_data()
    blocks = re.findall(rb"begin" + section + rb"(.*?)end" + section, data, re.S)
    return [pair for block in blocks for pair in re.findall(entry, block)]
