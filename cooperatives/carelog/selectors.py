"""Reads of the care-access log: a member's own entries (AVG art. 15) and the board's view of
the whole log. Neither holds care text: a row says who looked, when, at whose data and where."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cooperatives.carelog.models import CareAccess
from cooperatives.members.models import Member

# Why someone saw the data: the page or API route they opened, in words.
ROUTE_LABELS = {
    "request-detail": _("de pagina van de hulpvraag"),
    "api-request-detail": _("de hulpvraag via de API"),
    "api-request-cancel": _("het intrekken van de hulpvraag via de API"),
    "request-respond": _("de pagina van de hulpvraag"),
    "response-accept": _("de pagina van de hulpvraag"),
    "service-detail": _("de pagina van de dienst"),
    "member-export": _("het downloaden van de gegevens van het lid"),
}
ELSEWHERE = _("een pagina van de dienst")


def route_label(route: str) -> str:
    # The service page's own steps (register hours, send a message...) show the same page.
    return str(ROUTE_LABELS.get(route, ELSEWHERE))


def care_access_of(*, member: Member) -> QuerySet[CareAccess]:
    """Who looked at ``member``'s care data, newest first (for the member themself)."""
    return (
        CareAccess.objects.filter(subject=member)
        .select_related("viewer")
        .order_by("-created_at", "-id")
    )


def care_access_log(*, viewer: Member) -> QuerySet[CareAccess]:
    """The whole log for the board and the audit committee (the view checks the action):
    who, when, whose, where; never the care text."""
    return CareAccess.objects.select_related("viewer", "subject").order_by("-created_at", "-id")
