"""Fonts for the PDFs the platform makes (the monthly statement, the annual report).

reportlab's built-in fonts know only Windows-1252: "ĳ" (as in "bĳdrage" typed with the ligature)
or a name like "Şükrü" lose their letters there. DejaVu Sans has every Dutch letter and far
more; it ships in ``shared/fonts`` (Bitstream Vera licence, see LICENSE-DejaVu.txt) so no
machine needs a system font package. reportlab embeds the letters a document uses.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "NoaberSans"
FONT_BOLD = "NoaberSans-Bold"


def fonts_register() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) with reportlab once; returns their names.
    ``<b>`` in a paragraph picks the bold face through the family mapping."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        addMapping(FONT, 0, 0, FONT)
        addMapping(FONT, 1, 0, FONT_BOLD)
        addMapping(FONT, 0, 1, FONT)
        addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT, FONT_BOLD


def pdf_text(value: object) -> str:
    """Text for a reportlab paragraph: every letter kept, markup characters escaped."""
    return escape(str(value))


__all__ = ["FONT", "FONT_BOLD", "fonts_register", "pdf_text"]
