"""Reads of the cooperatives' own Stripe accounts (Stripe Connect)."""

from __future__ import annotations

from billing.connect.models import ConnectAccount
from tenants.models import Cooperative


def connect_account_get(*, cooperative: Cooperative) -> ConnectAccount | None:
    return ConnectAccount.objects.filter(cooperative=cooperative).first()


def connect_can_take_payments(*, cooperative: Cooperative) -> bool:
    account = connect_account_get(cooperative=cooperative)
    return account is not None and account.charges_enabled
