"""The survey as a paper form (reportlab): for members without email or who prefer paper. The
coordinator hands it out or posts it, and enters the answers on the survey's paper page.

The text is set in DejaVu Sans (``shared.pdf``), which has every Dutch letter (é, ë, ï, ĳ, ...)
and the ballot boxes; reportlab's built-in fonts lose accents.
Page streams are left uncompressed, so a test can read what is in the PDF."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from cooperatives.surveys.models import Question, Survey
from shared.pdf import FONT, FONT_BOLD, fonts_register

REGULAR, BOLD = FONT, FONT_BOLD
BOX = "\u2610"  # ☐


def _fonts() -> None:
    fonts_register()


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=13, leading=18, spaceAfter=4)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=20, leading=26),
        "body": body,
        "question": ParagraphStyle(
            "question", parent=body, fontName=BOLD, spaceBefore=10, spaceAfter=6
        ),
        "option": ParagraphStyle("option", parent=body, leftIndent=8 * mm, fontSize=14, leading=22),
        "small": ParagraphStyle(
            "small", parent=body, fontSize=11, leading=15, textColor=colors.HexColor("#333333")
        ),
    }


def _question(number: int, question: Question, styles: dict[str, ParagraphStyle]) -> KeepTogether:
    head = f"{number}. {escape(question.text)}"
    if not question.required:
        head += f" <font name='{REGULAR}'>({escape(_('niet verplicht'))})</font>"
    parts: list[Flowable] = [Paragraph(head, styles["question"])]
    if question.kind == Question.Kind.OPEN:
        parts.append(Paragraph(escape(_("Schrijf uw antwoord hieronder.")), styles["small"]))
        parts.extend(Paragraph("_" * 60, styles["option"]) for _line in range(4))
    elif question.kind == Question.Kind.SCALE:
        parts.append(
            Paragraph(
                escape(_("Zet een kruisje bij één getal: 1 is helemaal niet, 5 is heel erg.")),
                styles["small"],
            )
        )
        parts.append(
            Paragraph(
                "&nbsp;&nbsp;&nbsp;&nbsp;".join(f"{BOX} {n}" for n in range(1, 6)), styles["option"]
            )
        )
    elif question.kind == Question.Kind.SCORE:
        parts.append(
            Paragraph(
                escape(_("Omcirkel één cijfer: 0 is heel slecht, 10 is heel goed.")),
                styles["small"],
            )
        )
        parts.append(
            Paragraph("&nbsp;&nbsp;".join(f"{BOX} {n}" for n in range(0, 11)), styles["option"])
        )
    else:
        hint = (
            _("Zet een kruisje bij één of meer antwoorden.")
            if question.kind == Question.Kind.MULTIPLE
            else _("Zet een kruisje bij één antwoord.")
        )
        parts.append(Paragraph(escape(hint), styles["small"]))
        parts.extend(
            Paragraph(f"{BOX} {escape(option)}", styles["option"]) for option in question.options
        )
    return KeepTogether(parts)


def survey_form_pdf(*, survey: Survey, questions: list[Question]) -> bytes:
    """The printable form of ``survey``: title, introduction, how to answer, the questions."""
    _fonts()
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=survey.title,
        pageCompression=0,
    )
    story: list[Flowable] = [Paragraph(escape(survey.title), styles["title"])]
    if survey.intro:
        story.append(Paragraph(escape(survey.intro).replace("\n", "<br/>"), styles["body"]))
    closes = survey.closes_on.strftime("%d-%m-%Y") if survey.closes_on else ""
    story.append(
        Paragraph(
            escape(
                _(
                    "Geef het ingevulde formulier vóór %(date)s aan de coördinator van uw buurt. "
                    "De coördinator voert uw antwoorden in zonder uw naam; het bestuur ziet nooit "
                    "wie wat heeft geantwoord. Daarna wordt het formulier vernietigd."
                )
                % {"date": closes}
            ),
            styles["small"],
        )
    )
    story.append(
        Paragraph(
            escape(_("Uw naam (alleen voor de coördinator):")) + " " + "_" * 30, styles["body"]
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.extend(_question(n, q, styles) for n, q in enumerate(questions, start=1))
    document.build(story)
    return buffer.getvalue()
