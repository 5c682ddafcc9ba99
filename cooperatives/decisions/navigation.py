"""The decisions register and the minutes in the menu ("Meebeslissen"): to read for every
member. Registered by ``CooperativesConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="decisions.list",
        group="govern",
        label=_("Besluitenlijst"),
        url_name="decision-list",
        action="governance.view",
        order=30,
    ),
    Item(
        key="decisions.minutes",
        group="govern",
        label=_("Notulen"),
        url_name="minutes-list",
        action="governance.view",
        order=35,
    ),
)


def register() -> None:
    item_register(*ITEMS)
