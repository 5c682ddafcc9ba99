"""The board's "Op de kaart" in the cooperative's menu. Registered by ``MapsConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="maps.place",
        group="board",
        label=_("Op de kaart"),
        url_name="cooperative-place",
        action="cooperative.manage",
        order=6,
    ),
)


def register() -> None:
    item_register(*ITEMS)
