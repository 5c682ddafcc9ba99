"""The monthly statements in the menu, for the board and the audit committee. Registered by
``BillingConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="statements.index",
        group="board",
        label=_("Maandoverzichten"),
        url_name="statements:index",
        action="statement.view",
        order=50,
    ),
)


def register() -> None:
    item_register(*ITEMS)
