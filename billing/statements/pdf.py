"""The monthly statement as a PDF (reportlab, pure Python): A4 landscape so the klus table fits
at a readable size, the cooperative's name and the month as title, the subscription, the totals
and one row per klus.

The page streams are left uncompressed: a statement is a few pages of text, and plain streams
let a test (or an auditor with a text editor) find what is in it.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from billing.statements.selectors import RefundLine, Statement, StatementLine
from billing.subscriptions.models import Subscription
from shared.pdf import fonts_register, pdf_text

BODY_SIZE = 12
TABLE_SIZE = 10
ACCENT = colors.HexColor("#00567a")
SOFT = colors.HexColor("#f2f6f8")


def _text(value: object) -> str:
    """Text for a paragraph: every letter kept (DejaVu Sans has them all), markup escaped."""
    return pdf_text(value)


def euro(value: Decimal) -> str:
    return "€\u00a0" + formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def _hours(value: Decimal) -> str:
    """1,5 and 10 rather than 1,50 and 10,00 (and never 1E+1, as normalize() would give)."""
    return formats.number_format(value, 2, use_l10n=True).rstrip("0").rstrip(",.")


def _day(value: dt.date | None) -> str:
    return formats.date_format(value, "d-m-Y") if value else "–"


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    regular, bold = fonts_register()
    return {
        "title": ParagraphStyle(
            "title",
            parent=base["Title"],
            fontName=bold,
            fontSize=20,
            leading=25,
            alignment=0,
            spaceAfter=4,
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
        "body": ParagraphStyle(
            "body", parent=base["BodyText"], fontName=regular, fontSize=BODY_SIZE, leading=16
        ),
        "cell": ParagraphStyle(
            "cell", parent=base["BodyText"], fontName=regular, fontSize=TABLE_SIZE, leading=13
        ),
        "head": ParagraphStyle(
            "head",
            parent=base["BodyText"],
            fontName=bold,
            fontSize=TABLE_SIZE,
            leading=13,
            textColor=colors.white,
        ),
        "num": ParagraphStyle(
            "num",
            parent=base["BodyText"],
            fontName=regular,
            fontSize=TABLE_SIZE,
            leading=13,
            alignment=2,
        ),
    }


def _grid(rows: list[list], widths: list[float] | None, *, header: bool, total: bool) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa9aa")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT))
    if total:
        style += [
            ("BACKGROUND", (0, -1), (-1, -1), SOFT),
            ("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black),
            # The label spans the date, cluster and name columns.
            ("SPAN", (0, -1), (3, -1)),
        ]
    table.setStyle(TableStyle(style))
    return table


def _pairs(rows: list[tuple[str, str]], s: dict[str, ParagraphStyle]) -> Table:
    data = [
        [Paragraph(_text(label), s["body"]), Paragraph(_text(value), s["body"])]
        for label, value in rows
    ]
    return _grid(data, [95 * mm, 70 * mm], header=False, total=False)


def _subscription_rows(statement: Statement) -> list[tuple[str, str]]:
    sub = statement.subscription
    if sub is None:
        return [
            (_("Abonnement"), _("Nog geen abonnement")),
            (_("Status"), Subscription.Status.word(Subscription.Status.NONE)),
        ]
    period = (
        _("%(start)s tot %(end)s") % {"start": _day(sub.period_start), "end": _day(sub.period_end)}
        if sub.period_start or sub.period_end
        else "–"
    )
    paid_by = [(_("Betaald door"), sub.paid_by)] if sub.paid_by else []
    return [
        *paid_by,
        (_("Abonnementsvorm"), sub.plan_name or "–"),
        (_("Prijs per maand"), euro(sub.monthly_price)),
        (_("Status (zoals Stripe nu meldt)"), sub.status_label),
        (_("Lopende periode"), period),
    ]


def _total_rows(statement: Statement) -> list[tuple[str, str]]:
    t = statement.totals
    return [
        (_("Aantal klussen"), str(t.klussen)),
        (_("Uren"), _hours(t.hours)),
        (_("In rekening gebracht"), euro(t.charged)),
        (_("Deel van de coöperatie"), euro(t.cooperative_shares)),
        (_("Voor de vrijwilligers"), euro(t.volunteer_amounts)),
        (_("Platformkosten (online)"), euro(t.platform_fees)),
        (_("Contant betaald"), euro(t.paid_cash)),
        (_("Online betaald"), euro(t.paid_online)),
        (_("Nog te betalen"), euro(t.owed)),
        (
            _("Ontvangen in deze maand (ook voor eerdere klussen)"),
            euro(statement.received_cash + statement.received_online),
        ),
    ]


# Millimetres; together the 267 mm between the margins of a landscape A4.
KLUS_WIDTHS = [22, 27, 30, 30, 12, 20, 21, 21, 18, 22, 22, 22]


def _klus_rows(lines: list[StatementLine], s: dict[str, ParagraphStyle]) -> list[list]:
    head = [
        _("Datum"),
        _("Cluster"),
        _("Vrijwilliger"),
        _("Hulpvrager"),
        _("Uren"),
        _("Bedrag"),
        _("Deel coöperatie"),
        _("Vrijwilliger krijgt"),
        _("Platform"),
        _("Betaalwijze"),
        _("Status"),
        _("Betaald op"),
    ]
    rows: list[list] = [[Paragraph(_text(h), s["head"]) for h in head]]
    for line in lines:
        text = [
            _day(line.performed_on),
            line.cluster,
            line.volunteer,
            line.requester,
        ]
        numbers = [
            _hours(line.hours),
            euro(line.amount),
            euro(line.cooperative_share),
            euro(line.volunteer_amount),
            euro(line.platform_fee),
        ]
        after = [line.method_label or "–", line.status_label, _day(line.paid_on)]
        rows.append(
            [Paragraph(_text(v), s["cell"]) for v in text]
            + [Paragraph(_text(v), s["num"]) for v in numbers]
            + [Paragraph(_text(v), s["cell"]) for v in after]
        )
    return rows


# Millimetres, for the double payments: together the 267 mm between the margins, with the
# headings and "terugbetaald op <datum>" each on one line.
REFUND_WIDTHS = [38, 35, 29, 34, 34, 22, 28, 47]


def _refund_rows(lines: list[RefundLine], s: dict[str, ParagraphStyle]) -> list[list]:
    head = [
        _("Online ontvangen op"),
        _("Klus uitgevoerd op"),
        _("Cluster"),
        _("Vrijwilliger"),
        _("Hulpvrager"),
        _("Bedrag"),
        _("De klus was al"),
        _("Terugbetaald"),
    ]
    rows: list[list] = [[Paragraph(_text(h), s["head"]) for h in head]]
    for line in lines:
        refunded = (
            _("terugbetaald op %(date)s") % {"date": _day(line.refunded_on)}
            if line.refunded_on
            else _("nog niet")
        )
        rows.append(
            [
                Paragraph(_text(v), s["cell"])
                for v in (
                    _day(line.received_on),
                    _day(line.performed_on),
                    line.cluster,
                    line.volunteer,
                    line.requester,
                )
            ]
            + [Paragraph(_text(euro(line.amount)), s["num"])]
            + [Paragraph(_text(v), s["cell"]) for v in (line.earlier_label, refunded)]
        )
    return rows


def _refund_story(statement: Statement, s: dict[str, ParagraphStyle]) -> list:
    """Twice paid: not in the totals above; what is still to be refunded, and what was."""
    story: list = [
        Paragraph(_text(_("Terug te betalen")), s["h2"]),
        Paragraph(
            _text(
                _(
                    "Online ontvangen voor klussen die al betaald of vervallen waren. Dit staat "
                    "niet in de totalen hierboven."
                )
            ),
            s["body"],
        ),
        _grid(
            _refund_rows(statement.to_refund, s),
            [w * mm for w in REFUND_WIDTHS],
            header=True,
            total=False,
        ),
        Spacer(1, 3 * mm),
        Paragraph(
            _text(
                _("Nog terug te betalen: %(total)s") % {"total": euro(statement.to_refund_total)}
            ),
            s["body"],
        ),
    ]
    if statement.refunded_total:
        story.append(
            Paragraph(
                _text(_("Al terugbetaald: %(total)s") % {"total": euro(statement.refunded_total)}),
                s["body"],
            )
        )
    return story


def statement_pdf(*, statement: Statement) -> bytes:
    s = _styles()
    title = _("%(cooperative)s: maandoverzicht %(month)s") % {
        "cooperative": statement.cooperative_name,
        "month": statement.label,
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author=statement.cooperative_name,
        lang="nl",
        pageCompression=0,
    )
    made = formats.date_format(timezone.localtime(), "d-m-Y H:i")

    def footer(canvas, document) -> None:  # reportlab's page callback
        canvas.saveState()
        canvas.setFont(fonts_register()[0], 9)
        canvas.drawString(15 * mm, 8 * mm, _text(_("Gemaakt op %(when)s") % {"when": made}))
        canvas.drawRightString(
            landscape(A4)[0] - 15 * mm, 8 * mm, _("Pagina %(page)s") % {"page": document.page}
        )
        canvas.restoreState()

    story: list = [
        Paragraph(_text(title), s["title"]),
        Paragraph(
            _text(
                _("Klussen uitgevoerd van %(first)s tot en met %(last)s, in euro's.")
                % {"first": _day(statement.first_day), "last": _day(statement.last_day)}
            ),
            s["body"],
        ),
        Paragraph(_text(_("Abonnement")), s["h2"]),
        _pairs(_subscription_rows(statement), s),
        Paragraph(_text(_("Totalen")), s["h2"]),
        _pairs(_total_rows(statement), s),
        Paragraph(_text(_("Klussen")), s["h2"]),
    ]
    widths = [w * mm for w in KLUS_WIDTHS]
    if statement.lines:
        t = statement.totals
        rows = _klus_rows(statement.lines, s)
        total = [
            _("Totaal (zonder vervallen)"),
            "",
            "",
            "",
            _hours(t.hours),
            euro(t.charged),
            euro(t.cooperative_shares),
            euro(t.volunteer_amounts),
            euro(t.platform_fees),
            "",
            "",
            "",
        ]
        rows.append(
            [Paragraph(f"<b>{_text(v)}</b>", s["cell"]) for v in total[:4]]
            + [Paragraph(f"<b>{_text(v)}</b>", s["num"]) for v in total[4:9]]
            + [Paragraph("", s["cell"]) for _v in total[9:]]
        )
        story.append(_grid(rows, widths, header=True, total=True))
    else:
        story.append(Paragraph(_text(_("Geen klussen in deze maand.")), s["body"]))
    if statement.earlier_owed:
        story += [
            Paragraph(_text(_("Nog te betalen uit eerdere maanden")), s["h2"]),
            _grid(_klus_rows(statement.earlier_owed, s), widths, header=True, total=False),
            Spacer(1, 3 * mm),
            Paragraph(
                _text(
                    _("Samen nog te betalen: %(total)s")
                    % {"total": euro(statement.earlier_owed_total)}
                ),
                s["body"],
            ),
        ]
    if statement.to_refund:
        story += _refund_story(statement, s)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
