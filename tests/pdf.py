"""Reading the PDF reports as a person would see them: text, fonts, images, colours, pixels."""

import io
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

_XHTML = "{http://www.w3.org/1999/xhtml}"


def pdf_text(report) -> str:
    """The text of a report's PDF, with white space folded (titles wrap across lines)."""
    with report.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Every font the pages use, named without the subset prefix ("DejaVu-Sans"), and
    whether the PDF embeds it (a font that is not embedded is drawn by the reader's own)."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            described = descendant[0].get_object() if descendant else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            name = str(font["/BaseFont"]).lstrip("/")
            fonts[re.sub(r"^[A-Z]{6}\+", "", name)] = embedded
    return fonts


def pdf_images(data: bytes) -> list[list[tuple[int, int]]]:
    """The raster images of each page, as their sizes in pixels."""
    return [
        [image.image.size for image in page.images] for page in PdfReader(io.BytesIO(data)).pages
    ]


def pdf_colours(data: bytes, page: int = 0) -> set[str]:
    """The RGB colours a page paints and strokes with, as "#rrggbb"."""
    reader = PdfReader(io.BytesIO(data))
    content = ContentStream(reader.pages[page].get_contents(), reader)
    return {
        "#" + "".join(f"{round(float(value) * 255):02x}" for value in operands)
        for operands, operator in content.operations
        if operator in (b"rg", b"RG") and len(operands) == 3
    }


def pdf_page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@dataclass(frozen=True)
class TextLine:
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the top left


def pdf_lines(path) -> list[list[TextLine]]:
    """The lines of text of each page with their boxes, as poppler lays them out."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], check=True, capture_output=True, timeout=60
    ).stdout
    pages = []
    for page in ET.fromstring(xhtml).iter(f"{_XHTML}page"):  # noqa: S314  poppler's, on our PDF
        lines = []
        for line in page.iter(f"{_XHTML}line"):
            words = [word.text or "" for word in line.iter(f"{_XHTML}word")]
            box = tuple(float(line.get(edge)) for edge in ("xMin", "yMin", "xMax", "yMax"))
            lines.append(TextLine(" ".join(words), box))
        pages.append(lines)
    return pages


def pdf_pixels(path, dpi: int = 72) -> list[np.ndarray]:
    """Each page drawn by poppler at `dpi`, as an RGB array (rows, columns, 3)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(path), f"{folder}/page"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return [
            np.asarray(Image.open(png).convert("RGB")) for png in sorted(Path(folder).glob("*.png"))
        ]
