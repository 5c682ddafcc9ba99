"""Reading back what a PDF the platform made says, and in which fonts."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The text of every page, as a reader's copy-and-paste would give it, with every run of
    white space (a line wrapped in a narrow table cell) as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def pdf_fonts(content: bytes) -> set[str]:
    """The base names of the fonts the pages name (a subset prefix "ABCDEF+" removed).
    reportlab names Helvetica on every page as the canvas's starting font, used or not."""
    reader = PdfReader(io.BytesIO(content))
    names: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {}).get_object()
        for font in fonts.values():
            name = str(font.get_object().get("/BaseFont", ""))
            names.add(name.lstrip("/").split("+", 1)[-1])
    return names
