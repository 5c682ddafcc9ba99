"""The care-access log in the board's menu (the member's own list is linked from "Mijn
gegevens"). Registered by ``CarelogConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="carelog.log",
        group="board",
        label=_("Inzage in zorggegevens"),
        url_name="care-access-log",
        action="carelog.view",
        order=91,
    ),
)


def register() -> None:
    item_register(*ITEMS)
