"""The home page in the menu: the first link on every page. Registered by
``CooperativesConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (Item(key="home", group="start", label=_("Beginpagina"), url_name="home"),)


def register() -> None:
    item_register(*ITEMS)
