"""Klussen in euros in the menu, where the rules in force have paid klussen, and on the home
page: klussen to pay or whose cash to confirm, double payments to refund (treasurer, chair), and
the volunteer allowance limits the board still has to set. Registered by
``KlussenConfig.ready``; billing reads the cooperative's rules through the settlement
interface only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from billing.klussen import selectors
from billing.klussen.models import AllowanceYear, KlusPayment
from cooperatives.settlement import CompensationDue, rulebook_current, rulebook_pays_in
from shared.navigation import Attention, Context, Item, attention_register, item_register

# Klussen named one by one on the home page; beyond it, one line to the list.
SHOWN = 10
# From this month on the board is asked to set next year's allowance limits.
NEXT_YEAR_FROM_MONTH = 10


def rules_pay_euros(context: Context) -> bool:
    """The rules in force have paid klussen (read once per request)."""
    rulebook = context.memo("rulebook", rulebook_current)
    return rulebook_pays_in(rulebook=rulebook, kind=CompensationDue.Kind.EUROS)


ITEMS = (
    Item(
        key="klussen.mine",
        group="klussen",
        label=gettext_lazy("Mijn klussen"),
        url_name="klussen:list",
        action="klus.settle",
        applies=rules_pay_euros,
    ),
    Item(
        key="klussen.allowance",
        group="coordinate",
        label=gettext_lazy("Vrijwilligersvergoeding"),
        url_name="klussen:allowance",
        action="klus.overview",
        applies=rules_pay_euros,
        order=80,
    ),
    Item(
        key="klussen.stripe",
        group="board",
        label=gettext_lazy("Stripe-account voor klussen"),
        url_name="klussen:stripe-account",
        action="billing.manage",
        applies=rules_pay_euros,
        order=70,
    ),
)


def _euros(amount: Decimal) -> str:
    return f"€ {formats.number_format(amount, 2)}"


def klussen_to_settle(context: Context) -> Iterator[Attention]:
    """Open klussen of the member: to pay (the requester), or to confirm the cash (the
    volunteer). One query."""
    member = context.member
    payments = list(
        selectors.klus_payments_visible_to(member=member)
        .filter(Q(requester=member) | Q(volunteer=member), status=KlusPayment.Status.OPEN)
        .order_by("performed_on", "id")[: SHOWN + 1]
    )
    for payment in payments[:SHOWN]:
        title = payment.service.request.title
        if payment.requester_id == member.pk:
            text = _("De klus '%(title)s' van %(name)s is klaar: %(amount)s te betalen.")
            label = _("Klus betalen")
            name = payment.volunteer.name
        else:
            text = _("Heeft u %(amount)s van %(name)s ontvangen voor '%(title)s'? Bevestig het.")
            label = _("Ontvangst bevestigen")
            name = payment.requester.name
        yield Attention(
            kind="klussen.settle",
            text=text % {"title": title, "name": name, "amount": _euros(payment.amount)},
            url=reverse("klussen:detail", args=[payment.pk]),
            link_label=label,
            when=payment.performed_on,
        )
    if len(payments) > SHOWN:
        yield Attention(
            kind="klussen.more",
            text=_("Er wachten nog meer klussen op u."),
            url=reverse("klussen:list"),
            link_label=_("Naar mijn klussen"),
        )


def double_payments(context: Context) -> Iterator[Attention]:
    """Klussen paid twice and not refunded yet, for whoever refunds them. One query."""
    found = selectors.klus_double_payments_to_refund(member=context.member).aggregate(
        n=Count("pk"), last=Max("payment_id")
    )
    if not found["n"]:
        return
    single = found["n"] == 1
    yield Attention(
        kind="klussen.double",
        text=ngettext(
            "%(n)s klus is twee keer betaald. Betaal het te veel betaalde terug.",
            "%(n)s klussen zijn twee keer betaald. Betaal het te veel betaalde terug.",
            found["n"],
        )
        % {"n": found["n"]},
        url=reverse("klussen:detail", args=[found["last"]]) if single else reverse("klussen:list"),
        link_label=_("Terugbetaling regelen"),
    )


def allowance_years_wanted(*, today: dt.date) -> list[int]:
    """The years whose allowance limits the board should have set by ``today``: this one, and
    from October on also the next."""
    return [today.year] + ([today.year + 1] if today.month >= NEXT_YEAR_FROM_MONTH else [])


def allowance_limits(context: Context) -> Iterator[Attention]:
    """The allowance limits of this year, and from October of next year, while unset, where
    the rules have paid klussen. One query."""
    if not rules_pay_euros(context):
        return
    wanted = allowance_years_wanted(today=timezone.localdate())
    known = set(AllowanceYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    for year in wanted:
        if year in known:
            continue
        yield Attention(
            kind="klussen.allowance",
            text=_(
                "Stel de grenzen van de vrijwilligersvergoeding voor %(year)s vast, zoals de "
                "Belastingdienst ze publiceert."
            )
            % {"year": year},
            url=f"{reverse('klussen:allowance')}?jaar={year}#grenzen-kop",
            link_label=_("Grenzen vaststellen"),
        )


def register() -> None:
    item_register(*ITEMS)
    attention_register(
        key="klussen.settle", provider=klussen_to_settle, action="klus.settle", order=40
    )
    attention_register(
        key="klussen.double", provider=double_payments, action="billing.manage", order=80
    )
    attention_register(
        key="klussen.allowance",
        provider=allowance_limits,
        action="allowance.configure",
        order=90,
    )
