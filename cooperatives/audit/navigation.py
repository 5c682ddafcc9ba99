"""The audit log in the menu, for the board and the audit committee. Registered by
``CooperativesConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="audit.log",
        group="board",
        label=_("Logboek"),
        url_name="audit-log",
        action="audit.view",
        order=90,
    ),
)


def register() -> None:
    item_register(*ITEMS)
