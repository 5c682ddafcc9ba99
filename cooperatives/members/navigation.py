"""Members in the menu: one's own data for everyone; the list of members and the intake for
whoever may. Registered by ``CooperativesConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="members.my_data", group="mine", label=_("Mijn gegevens"), url_name="my-data", order=10
    ),
    Item(
        key="members.list",
        group="coordinate",
        label=_("Leden"),
        url_name="member-list",
        action="member.list",
        order=30,
    ),
    Item(
        key="members.register",
        group="coordinate",
        label=_("Lid inschrijven"),
        url_name="member-register",
        action="member.register",
        order=40,
    ),
)


def register() -> None:
    item_register(*ITEMS)
