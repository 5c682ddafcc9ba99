"""Bestuur en organen and the statutes in the menu: to read for every member (Meebeslissen), to
change for the board. Registered by ``GovernanceConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="governance.bodies",
        group="govern",
        label=_("Bestuur en organen"),
        url_name="governance-bodies",
        action="governance.view",
        order=10,
    ),
    Item(
        key="governance.statutes",
        group="govern",
        label=_("Statuten"),
        url_name="governance-statutes",
        action="governance.view",
        order=90,
    ),
    Item(
        key="governance.seat_assign",
        group="board",
        label=_("Zetel toewijzen"),
        url_name="governance-seat-assign",
        action="seat.manage",
        order=30,
    ),
    Item(
        key="governance.statutes_edit",
        group="board",
        label=_("Statuten instellen"),
        url_name="governance-statutes-edit",
        action="statutes.edit",
        order=90,
    ),
)


def register() -> None:
    item_register(*ITEMS)
