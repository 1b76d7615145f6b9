import io

from pypdf import PdfReader


def pdf_text(report) -> str:
    """The text of a report's PDF, with white space folded (titles wrap across lines)."""
    with report.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())
