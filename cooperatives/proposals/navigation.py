"""Project proposals in the menu: for every member under "Meebeslissen", for the board under
"Bestuur" (the proposals that wait for it), and on the board's home page what waits.
Registered by ``ProposalsConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cooperatives.proposals.selectors import proposals_waiting_count
from shared.navigation import Attention, Context, Item, attention_register, item_register

ITEMS = (
    Item(
        key="proposals.list",
        group="govern",
        label=gettext_lazy("Projectvoorstellen"),
        url_name="proposal-list",
        action="proposal.view",
        order=40,
    ),
    Item(
        key="proposals.projects",
        group="govern",
        label=gettext_lazy("Projecten"),
        url_name="project-list",
        action="project.view",
        order=41,
    ),
    Item(
        key="proposals.handle",
        group="board",
        label=gettext_lazy("Projectvoorstellen behandelen"),
        url_name="proposal-list",
        action="proposal.handle",
        query="status=open",
        order=40,
    ),
)


def proposals_to_handle(context: Context) -> Iterable[Attention]:
    """One line for the board: how many proposals wait for a decision (one query)."""
    count = proposals_waiting_count()
    if not count:
        return []
    return [
        Attention(
            kind="proposals.handle",
            text=ngettext(
                "%(n)s projectvoorstel wacht op behandeling door het bestuur.",
                "%(n)s projectvoorstellen wachten op behandeling door het bestuur.",
                count,
            )
            % {"n": count},
            url=reverse("proposal-list") + "?status=open",
            link_label=_("Projectvoorstellen behandelen"),
        )
    ]


def register() -> None:
    item_register(*ITEMS)
    attention_register(
        key="proposals.handle", provider=proposals_to_handle, action="proposal.handle", order=60
    )
