"""The menu of a network user on the apex. The network level has a handful of pages, so its
menu is a fixed list here (the cooperatives' registry, ``shared.navigation``, is about members'
permissions); an entry whose page is not installed is left out, and so is a manager's page
for an analyst."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from shared.navigation import Menu, MenuGroup, MenuLink
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
