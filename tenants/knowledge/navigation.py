""" "Kennisnetwerk" in the cooperative's menu, for the board and the coordinators (the page
also holds the board's suggestions). Registered by ``KnowledgeConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="knowledge.documents",
        group="cooperative",
        label=_("Kennisnetwerk"),
        url_name="cooperative-documents",
        action="knowledge.read",
        order=60,
    ),
)


def register() -> None:
    item_register(*ITEMS)
