"""The menu of a network user on the apex. The network level has a handful of pages, so its
menu is a fixed list here (the cooperatives' registry, ``shared.navigation``, is about members'
permissions); an entry whose page is not installed is left out, and so is a manager's page
for an analyst.

The board's "Netwerken" item on a cooperative's subdomain, and its home page's attention item
for an open invitation, are registered in that registry (``register``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from shared.navigation import (
    Attention,
    Context,
    Item,
    Menu,
    MenuGroup,
    MenuLink,
    attention_register,
    item_register,
)
from tenants.models import Network
from tenants.networks.models import NetworkRole

MANAGER = NetworkRole.Role.MANAGER


@dataclass(frozen=True)
class Entry:
    key: str
    group: str
    label: StrOrPromise
    url_name: str
    manager_only: bool = False


GROUP_LABELS: dict[str, StrOrPromise] = {
    "overview": _("Overzicht"),
    "knowledge": _("Kennis"),
    "manage": _("Beheer"),
}
ENTRIES: tuple[Entry, ...] = (
    Entry("dashboard", "overview", _("Cijfers"), "network-dashboard"),
    Entry("map", "overview", _("Kaart"), "network-map"),
    Entry("triple_aim", "overview", _("Triple Aim"), "network-triple-aim"),
    Entry("savings", "overview", _("Gedeelde besparing"), "network-savings"),
    Entry("documents", "knowledge", _("Kennisnetwerk"), "network-documents"),
    Entry("memberships", "manage", _("Aangesloten coöperaties"), "network-memberships", True),
    Entry("sponsorship", "manage", _("Sponsoring"), "network-sponsorship", True),
    Entry("accounts", "manage", _("Beheerders en analisten"), "network-accounts", True),
)


def network_menu(*, request: HttpRequest, network: Network, role: str) -> Menu:
    groups: dict[str, MenuGroup] = {}
    for entry in ENTRIES:
        if entry.manager_only and role != MANAGER:
            continue
        try:
            href = reverse(entry.url_name, kwargs={"network": network.slug})
        except NoReverseMatch:
            continue
        group = groups.setdefault(entry.group, MenuGroup(entry.group, GROUP_LABELS[entry.group]))
        group.links.append(MenuLink(entry.key, entry.label, href, current=request.path == href))
    return Menu(list(groups.values()), [])


# --- the board's menu and home page on a cooperative's subdomain (shared.navigation) -------------


def invitations_to_answer(context: Context) -> list[Attention]:
    """An open invitation of a network waits for the board's answer (one query)."""
    # Imported here: the selectors import the models, which need the app registry ready.
    from shared.tenancy.current import current_cooperative
    from tenants.networks.selectors import invitations_open

    cooperative = current_cooperative()
    if cooperative is None:
        return []
    return [
        Attention(
            kind="networks.invitation",
            text=str(
                _("%(network)s nodigt de coöperatie uit om lid te worden van het netwerk.")
                % {"network": membership.network.name}
            ),
            url=reverse("networks-sharing", args=[membership.pk]),
            link_label=str(_("Uitnodiging beantwoorden")),
            when=timezone.localdate(membership.requested_at),
        )
        for membership in invitations_open(cooperative=cooperative)
    ]


COOPERATIVE_ITEMS = (
    Item(
        key="networks.cooperative",
        group="board",
        label=_("Netwerken"),
        url_name="networks-cooperative",
        action="network.manage",
        order=80,
    ),
)


def register() -> None:
    """Called by ``NetworksConfig.ready``."""
    item_register(*COOPERATIVE_ITEMS)
    attention_register(
        key="networks.invitations",
        provider=invitations_to_answer,
        action="network.manage",
        order=70,
    )
