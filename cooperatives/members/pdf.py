"""A member's export (cooperatives.members.export) as a readable PDF: one heading per section,
each record as label and value lines, in large type. Made from the same dict as the JSON, so
the two always hold the same. Set in DejaVu Sans (``shared.pdf``), which has every Dutch
letter; page streams are left uncompressed, so a test can read what is in it."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from shared.pdf import FONT, FONT_BOLD, fonts_register, pdf_text


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=16, spaceAfter=2)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=20, leading=26),
        "section": ParagraphStyle(
            "section", parent=body, fontName=FONT_BOLD, fontSize=15, leading=20, spaceBefore=12
        ),
        "body": body,
        "item": ParagraphStyle("item", parent=body, leftIndent=6 * mm),
    }


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _("ja")
    if value is False:
        return _("nee")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_value(v)}" for k, v in value.items())
    return str(value)


def _lines(value: Any, styles: dict[str, ParagraphStyle], style: str) -> list[Flowable]:
    """A section's content: a record as label: value lines, a list of records one after the
    other with a space between."""
    out: list[Flowable] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, (dict, list)) and inner and not _flat(inner):
                out.append(Paragraph(f"<b>{pdf_text(_label(key))}</b>", styles[style]))
                out.extend(_lines(inner, styles, "item"))
            else:
                text = f"<b>{pdf_text(_label(key))}:</b> {pdf_text(_value(inner))}"
                out.append(Paragraph(text, styles[style]))
    elif isinstance(value, list) and value and not _flat(value):
        for record in value:
            out.extend(_lines(record, styles, style))
            out.append(Spacer(1, 2 * mm))
    else:
        out.append(Paragraph(pdf_text(_value(value)), styles[style]))
    return out


def _flat(value: Any) -> bool:
    """A list of plain values (names, dates) fits on one line."""
    return isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)


def member_export_pdf(*, data: dict[str, Any], cooperative: str) -> bytes:
    fonts_register()
    styles = _styles()
    buffer = io.BytesIO()
    name = str(data.get("lid", {}).get("naam", ""))
    title = _("Alle gegevens van %(name)s bij %(cooperative)s") % {
        "name": name,
        "cooperative": cooperative,
    }
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        pageCompression=0,
    )
    story: list[Flowable] = [
        Paragraph(pdf_text(title), styles["title"]),
        Paragraph(
            pdf_text(
                _("Gemaakt op %(when)s. Dit is alles wat de coöperatie over u bewaart.")
                % {"when": timezone.localtime().strftime("%d-%m-%Y %H:%M")}
            ),
            styles["body"],
        ),
    ]
    for key, value in data.items():
        story.append(Paragraph(pdf_text(_label(key)), styles["section"]))
        story.extend(_lines(value, styles, "body"))
    doc.build(story)
    return buffer.getvalue()
