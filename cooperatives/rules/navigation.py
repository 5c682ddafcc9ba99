"""The house rules in the menu: to read for every member, to change for the board. Registered
by ``CooperativesConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="rules.rulebook",
        group="cooperative",
        label=_("Spelregels en tarieven"),
        url_name="rulebook",
        action="rulebook.view",
        order=10,
    ),
    Item(
        key="rules.edit",
        group="board",
        label=_("Spelregels wijzigen"),
        url_name="rulebook-edit",
        action="rulebook.edit",
        order=10,
    ),
)


def register() -> None:
    item_register(*ITEMS)
