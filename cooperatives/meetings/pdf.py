"""The convocation as a printed letter, for members without email: one page each, for the
coordinators to deliver. Set in DejaVu Sans, which has every Dutch letter (ë, ï, é, ĳ)."""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from cooperatives.meetings import emails, selectors
from cooperatives.meetings.models import Meeting
from shared.mail import cooperative_link, recipient_language
from shared.pdf import fonts_register


def _font() -> str:
    # DejaVu Sans, shipped in shared/fonts: no system font package needed.
    return fonts_register()[0]


def _lines(text: str, width: int = 85) -> list[str]:
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    return out


def letters_pdf(*, meeting: Meeting) -> bytes:
    font = _font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(meeting.title)
    link = cooperative_link(reverse("meeting-detail", args=[meeting.pk]))
    agenda = emails.agenda_titles(meeting)
    for member in selectors.members_without_email(meeting=meeting):
        with translation.override(recipient_language(member)):
            mail = emails.convocation_compose(meeting, link=link, agenda=agenda)
            address = [
                member.name,
                f"{member.street} {member.house_number}".strip(),
                member.postcode,
            ]
            body = [
                *[a for a in address if a],
                "",
                "",
                _("Beste %(name)s,") % {"name": member.name},
                "",
            ]
            body += _lines(mail.body)
            body += [
                "",
                _("Wilt u laten weten of u komt, of iemand machtigen? Bel uw coördinator."),
            ]
        y = A4[1] - 30 * mm
        page.setFont(font, 16)
        page.drawString(25 * mm, y, mail.subject[:70])
        y -= 14 * mm
        page.setFont(font, 12)
        for line in body:
            if y < 20 * mm:
                page.showPage()
                page.setFont(font, 12)
                y = A4[1] - 25 * mm
            page.drawString(25 * mm, y, line)
            y -= 6.5 * mm
        page.showPage()
    page.save()
    return buffer.getvalue()
