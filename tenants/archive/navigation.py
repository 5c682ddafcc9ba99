"""The whole cooperative's data in the board's menu. Registered by ``ArchiveConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="archive.page",
        group="board",
        label=_("Alle gegevens downloaden"),
        url_name="archive-page",
        action="cooperative.export",
        order=90,
    ),
)


def register() -> None:
    item_register(*ITEMS)
