"""The annual report in the menu: for the board and the kascommissie under "Bestuur" (every
version, drafts too); for the other members under "Meebeslissen", the approved ones.
What waits: the kascommissie's review of a draft. Registered by ``AnnualReportConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.annual_report.models import AnnualReport
from shared.navigation import Attention, Context, Item, attention_register, item_register


def _members_read_approved(context: Context) -> bool:
    # Always there for members (the list says when none is approved yet): a steady menu, and
    # no query on every page.
    return not context.can("report.view")


ITEMS = (
    Item(
        key="annual_report.board",
        group="board",
        label=gettext_lazy("Jaarverslag"),
        url_name="annual-report-list",
        action="report.view",
        order=60,
    ),
    Item(
        key="annual_report.members",
        group="govern",
        label=gettext_lazy("Jaarverslagen"),
        url_name="annual-report-list",
        action="report.read",
        applies=_members_read_approved,
        order=60,
    ),
)


def _to_review(context: Context) -> Iterable[Attention]:
    """A draft the kascommissie has not reviewed yet."""
    for report in AnnualReport.objects.filter(status=AnnualReport.Status.DRAFT).order_by("year"):
        yield Attention(
            kind="annual_report.review",
            text=_("Het jaarverslag %(year)s wacht op de bevindingen van de kascommissie.")
            % {"year": report.year},
            url=reverse("annual-report-review", args=[report.year]),
            link_label=_("Bevindingen vastleggen"),
        )


def register() -> None:
    item_register(*ITEMS)
    attention_register(key="annual_report.review", provider=_to_review, action="report.review")
