"""Euros of klussen as Stripe and the Dutch read them: whole cents, the platform's fee on a
payment online, and an amount written the Dutch way ("€ 5,60")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


def cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def platform_fee_cents(amount: Decimal) -> int:
    """The platform's fee: BILLING_PLATFORM_FEE_PERCENT of the amount, in cents, half up."""
    percent = Decimal(str(settings.BILLING_PLATFORM_FEE_PERCENT or "0"))
    return int((Decimal(cents(amount)) * percent / 100).quantize(Decimal("1"), ROUND_HALF_UP))


def euro(value: Decimal) -> str:
    return f"€ {value:.2f}".replace(".", ",")
