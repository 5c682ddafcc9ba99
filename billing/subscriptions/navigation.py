"""The cooperative's subscription in the menu, for the board and the audit committee.
Registered by ``BillingConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="subscriptions.subscription",
        group="board",
        label=_("Abonnement"),
        url_name="billing:subscription",
        action="billing.view",
        order=60,
    ),
)


def register() -> None:
    item_register(*ITEMS)
