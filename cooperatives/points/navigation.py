"""Points in the menu, where the rules in force pay help in points, and on the home page: the
payments for help the member received that wait for the member's approval. Registered by
``PointsConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.points import selectors
from cooperatives.rules.models import Compensation
from cooperatives.rules.selectors import rulebook_current, rulebook_pays_in
from shared.navigation import Attention, Context, Item, attention_register, item_register

# Payments named one by one on the home page; beyond it, one line to the points page.
SHOWN = 10


def rules_pay_points(context: Context) -> bool:
    """The rules in force pay help in points (read once per request)."""
    rulebook = context.memo("rulebook", rulebook_current)
    return rulebook_pays_in(rulebook=rulebook, kind=Compensation.POINTS)


ITEMS = (
    Item(
        key="points.mine",
        group="points",
        label=gettext_lazy("Mijn punten"),
        url_name="points-mine",
        action="points.use",
        applies=rules_pay_points,
        order=10,
    ),
    Item(
        key="points.gift",
        group="points",
        label=gettext_lazy("Punten geven"),
        url_name="points-gift",
        action="points.use",
        applies=rules_pay_points,
        order=20,
    ),
    Item(
        key="points.solidarity",
        group="points",
        label=gettext_lazy("Solidariteitspot"),
        url_name="points-solidarity",
        action="points.use",
        applies=rules_pay_points,
        order=30,
    ),
    Item(
        key="points.overview",
        group="board",
        label=gettext_lazy("Punten van de coöperatie"),
        url_name="points-overview",
        action="points.overview",
        applies=rules_pay_points,
        order=40,
    ),
)


def payments_to_approve(context: Context) -> Iterator[Attention]:
    """Payments for help the member received that wait for the member to approve the quality
    (whatever the rules say now: they were made under the rules of their service). Two
    queries."""
    pending = list(selectors.pending_for(member=context.member)[: SHOWN + 1])
    for transfer in pending[:SHOWN]:
        amount = -Decimal(transfer.pending_postings[0][1])
        yield Attention(
            kind="points.approve",
            text=_("%(what)s: was de hulp goed? Dan gaan er %(n)s punten naar de helper.")
            % {"what": transfer.memo, "n": floatformat(amount, -2)},
            url=f"{reverse('points-mine')}#betaling-{transfer.pk}",
            link_label=_("Hulp goedkeuren"),
            when=timezone.localdate(transfer.created_at),
        )
    if len(pending) > SHOWN:
        yield Attention(
            kind="points.more",
            text=_("Er wachten nog meer betalingen op uw goedkeuring."),
            url=reverse("points-mine"),
            link_label=_("Naar mijn punten"),
        )


def register() -> None:
    item_register(*ITEMS)
    attention_register(
        key="points.approve", provider=payments_to_approve, action="points.use", order=30
    )
