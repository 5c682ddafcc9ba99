"""The meetings in the menu: every member's list under "Meebeslissen", the secretary's under
"Bestuur", the coordinators' letters under "Coördineren"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shared.navigation import Item, item_register

ITEMS = (
    Item(
        key="meetings.list",
        group="govern",
        label=_("Vergaderingen"),
        url_name="meeting-list",
        action="meeting.view",
        order=10,
    ),
    Item(
        key="meetings.manage",
        group="board",
        label=_("Vergaderingen voorbereiden"),
        url_name="meeting-manage",
        action="meeting.manage",
        order=30,
    ),
    Item(
        key="meetings.letters",
        group="coordinate",
        label=_("Uitnodigingen per post"),
        url_name="meeting-letters",
        action="meeting.letters",
        order=60,
    ),
)


def register() -> None:
    item_register(*ITEMS)
