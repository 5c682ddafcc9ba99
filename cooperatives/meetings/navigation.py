"""The meetings in the menu: every member's list under "Meebeslissen", the secretary's under
"Bestuur", the coordinators' letters under "Coördineren"."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperatives.meetings.selectors import meetings_unanswered
from shared.navigation import Attention, Context, Item, attention_register, item_register

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


def meetings_to_answer(context: Context) -> Iterator[Attention]:
    """Convened meetings still to come that the member has not answered yet (one query)."""
    for meeting in meetings_unanswered(viewer=context.member):
        starts = timezone.localtime(meeting.starts_at)
        yield Attention(
            kind="meetings.rsvp",
            text=gettext("U bent uitgenodigd voor %(title)s op %(day)s.")
            % {"title": meeting.title, "day": starts.strftime("%d-%m-%Y")},
            url=reverse("meeting-detail", args=[meeting.pk]),
            link_label=gettext("Laat weten of u komt"),
            when=starts.date(),
        )


def register() -> None:
    item_register(*ITEMS)
    attention_register(key="meetings.rsvp", provider=meetings_to_answer, action="meeting.rsvp")
