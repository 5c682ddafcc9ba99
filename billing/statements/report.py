"""The statements' sections of the annual report: the klussen in euros of the year (the
twelve monthly statements added up, so the report says what the statements say) and the
subscription. Registered from ``billing.apps`` through ``cooperatives.settlement``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from billing.statements.selectors import statement_year
from cooperatives.settlement import report_section_register


def klussen(year: int) -> dict[str, Any]:
    t = statement_year(year=year).totals
    return {
        "klussen": t.klussen,
        "hours": t.hours,
        "charged": t.charged,
        "cooperative_shares": t.cooperative_shares,
        "volunteer_amounts": t.volunteer_amounts,
        "platform_fees": t.platform_fees,
        "paid_cash": t.paid_cash,
        "paid_online": t.paid_online,
        "owed": t.owed,
    }


def subscription(year: int) -> dict[str, Any]:
    """The subscription as the year's last statement shows it (the state Stripe reports)."""
    sub = statement_year(year=year).subscription
    if sub is None:
        return {"plan": None}
    return {
        "plan": sub.plan_name or None,
        "monthly_price": sub.monthly_price,
        "status": sub.status_label,
        "paid_by": sub.paid_by or None,
    }


def register() -> None:
    report_section_register(
        "klussen",
        _("Klussen in euro's"),
        klussen,
        labels={
            "klussen": _("Aantal klussen"),
            "hours": _("Uren"),
            "charged": _("In rekening gebracht (€)"),
            "cooperative_shares": _("Deel van de coöperatie (€)"),
            "volunteer_amounts": _("Voor de vrijwilligers (€)"),
            "platform_fees": _("Platformkosten (€)"),
            "paid_cash": _("Contant betaald (€)"),
            "paid_online": _("Online betaald (€)"),
            "owed": _("Nog te betalen (€)"),
        },
        order=70,
    )
    report_section_register(
        "subscription",
        _("Abonnement op het platform"),
        subscription,
        labels={
            "plan": _("Abonnementsvorm"),
            "monthly_price": _("Prijs per maand (€)"),
            "status": _("Status"),
            "paid_by": _("Betaald door"),
        },
        order=90,
    )
