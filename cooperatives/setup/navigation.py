"""The cooperative's set-up in the menu: buurten, clusters and partners to read for every
member, to manage for whoever may (the same page, named for what they do there, shown once).
Registered by ``CooperativesConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Applies, Context, Item, item_register


def _unless(action: str) -> Applies:
    """Applies to a member who may not ``action``: they read the page, another item names it
    for those who manage it."""

    def applies(context: Context) -> bool:
        return not context.can(action)

    return applies


ITEMS = (
    Item(
        key="setup.neighbourhoods",
        group="cooperative",
        label=_("Buurten"),
        url_name="neighbourhood-list",
        action="neighbourhood.view",
        applies=_unless("neighbourhood.manage"),
        order=20,
    ),
    Item(
        key="setup.clusters",
        group="cooperative",
        label=_("Clusters"),
        url_name="cluster-list",
        action="cluster.view",
        applies=_unless("cluster.manage"),
        order=30,
    ),
    Item(
        key="setup.partners",
        group="cooperative",
        label=_("Partners"),
        url_name="partner-list",
        action="partner.view",
        applies=_unless("partner.manage"),
        order=40,
    ),
    Item(
        key="setup.partners_manage",
        group="coordinate",
        label=_("Partners beheren"),
        url_name="partner-list",
        action="partner.manage",
        order=70,
    ),
    Item(
        key="setup.cooperative_details",
        group="board",
        label=_("Gegevens van de coöperatie"),
        url_name="cooperative-details",
        action="cooperative.manage",
        order=5,
    ),
    Item(
        key="setup.neighbourhoods_manage",
        group="board",
        label=_("Buurten beheren"),
        url_name="neighbourhood-list",
        action="neighbourhood.manage",
        order=20,
    ),
    Item(
        key="setup.clusters_manage",
        group="board",
        label=_("Clusters beheren"),
        url_name="cluster-list",
        action="cluster.manage",
        order=30,
    ),
)


def register() -> None:
    item_register(*ITEMS)
