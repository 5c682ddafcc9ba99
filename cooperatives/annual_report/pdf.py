"""The annual report as a PDF (reportlab): A4 portrait, the cooperative and the year as
title, its status, the board's texts, every section of figures, the kascommissie's findings
and the ALV's decisions. DejaVu Sans (shared.pdf), so every Dutch letter prints."""

from __future__ import annotations

import io
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cooperatives.annual_report.models import AnnualReport
from cooperatives.annual_report.selectors import SectionView
from shared.pdf import fonts_register, pdf_text

ACCENT = colors.HexColor("#00567a")
WIDTH = A4[0] - 36 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    regular, bold = fonts_register()
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName=bold, fontSize=20, leading=25, alignment=0
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName=bold,
            fontSize=15,
            leading=19,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base["Heading3"],
            fontName=bold,
            fontSize=12,
            leading=16,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "body": ParagraphStyle(
            "body", parent=base["BodyText"], fontName=regular, fontSize=12, leading=16
        ),
        "cell": ParagraphStyle(
            "cell", parent=base["BodyText"], fontName=regular, fontSize=11, leading=14
        ),
        "head": ParagraphStyle(
            "head",
            parent=base["BodyText"],
            fontName=bold,
            fontSize=11,
            leading=14,
            textColor=colors.white,
        ),
    }


def _grid(rows: list[list[Any]], widths: list[float], *, header: bool) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa9aa")),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT))
    table.setStyle(TableStyle(style))
    return table


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    return [Paragraph(pdf_text(part), style) for part in text.split("\n\n") if part.strip()]


def _section(section: SectionView, s: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [Paragraph(pdf_text(section.title), s["h2"])]
    if section.rows:
        rows = [
            [
                Paragraph(("\u00a0" * 4 * row.level) + pdf_text(row.label), s["cell"]),
                Paragraph(pdf_text(row.value), s["cell"]),
            ]
            for row in section.rows
        ]
        story.append(_grid(rows, [WIDTH * 0.65, WIDTH * 0.35], header=False))
    for table in section.tables:
        story.append(Paragraph(pdf_text(table.label), s["h3"]))
        if not table.rows:
            story.append(Paragraph(pdf_text(_("Geen.")), s["body"]))
            continue
        width = WIDTH / max(len(table.head), 1)
        rows = [[Paragraph(pdf_text(h), s["head"]) for h in table.head]]
        rows += [[Paragraph(pdf_text(v), s["cell"]) for v in row] for row in table.rows]
        story.append(_grid(rows, [width] * len(table.head), header=True))
    return story


def _decision(label: str, decision: Any) -> str:
    return _("%(label)s: besluit %(number)s van %(date)s, %(outcome)s") % {
        "label": label,
        "number": decision.number,
        "date": formats.date_format(decision.decided_on, "d-m-Y"),
        "outcome": decision.get_outcome_display(),
    }


def report_pdf(
    *, report: AnnualReport, cooperative_name: str, sections: list[SectionView]
) -> bytes:
    s = _styles()
    title = _("%(cooperative)s: jaarverslag %(year)s") % {
        "cooperative": cooperative_name,
        "year": report.year,
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=cooperative_name,
        lang="nl",
    )
    made = formats.date_format(timezone.localtime(), "d-m-Y H:i")

    def footer(canvas: Any, document: Any) -> None:  # reportlab's page callback
        canvas.saveState()
        canvas.setFont(fonts_register()[0], 9)
        canvas.drawString(18 * mm, 9 * mm, _("Gemaakt op %(when)s") % {"when": made})
        canvas.drawRightString(
            A4[0] - 18 * mm, 9 * mm, _("Pagina %(page)s") % {"page": document.page}
        )
        canvas.restoreState()

    story: list[Any] = [
        Paragraph(pdf_text(title), s["title"]),
        Paragraph(
            pdf_text(_("Status: %(status)s") % {"status": report.get_status_display()}), s["body"]
        ),
    ]
    for label, text in (
        (_("Voorwoord"), report.foreword),
        (_("Activiteiten"), report.activities),
    ):
        if text:
            story += [Paragraph(pdf_text(label), s["h2"]), *_paragraphs(text, s["body"])]
    for section in sections:
        story += _section(section, s)
    if report.outlook:
        story += [
            Paragraph(pdf_text(_("Vooruitblik")), s["h2"]),
            *_paragraphs(report.outlook, s["body"]),
        ]
    story.append(Paragraph(pdf_text(_("Kascommissie")), s["h2"]))
    if report.audit_findings:
        story += _paragraphs(report.audit_findings, s["body"])
        advice = (
            _("De kascommissie adviseert de ALV het bestuur decharge te verlenen.")
            if report.audit_recommends_discharge
            else _("De kascommissie adviseert geen decharge.")
        )
        story.append(Paragraph(pdf_text(advice), s["body"]))
    else:
        story.append(
            Paragraph(
                pdf_text(_("De kascommissie heeft nog geen bevindingen vastgelegd.")), s["body"]
            )
        )
    if report.approved_by is not None:
        story += [Spacer(1, 4 * mm), Paragraph(pdf_text(_("Vaststelling")), s["h2"])]
        story.append(
            Paragraph(
                pdf_text(_decision(_("Vastgesteld door de ALV"), report.approved_by)), s["body"]
            )
        )
        if report.discharge is not None:
            story.append(Paragraph(pdf_text(_decision(_("Decharge"), report.discharge)), s["body"]))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
