"""Reads for klussen in euros: who sees which klus and may do what with it, the volunteers'
allowance totals per year, and the figures of paying online. Everything here runs in the
cooperative's own schema, so another cooperative's klussen are never in reach."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.klussen.models import (
    AllowanceOverride,
    AllowanceYear,
    KlusDoublePayment,
    KlusPayment,
)
from billing.klussen.money import euro
from cooperatives.settlement import Member, members_with_seat_role
from shared import permissions
from shared.permissions import Actor
from shared.tenancy.current import current_cooperative
from shared.tenancy.urls import cooperative_url
from shared.validation import field_error

ZERO = Decimal("0.00")
# Percentages of the yearly limit at which the coordinators are warned; the last one blocks.
WARN_LEVEL, BLOCK_LEVEL = 80, 100
LEVELS = (WARN_LEVEL, BLOCK_LEVEL)
# Who may let a klus lapse: those who follow up on every klus (klus.overview) and decide about
# the cooperative's money, so coordinators, the board and administrators. Not the audit
# committee: it checks afterwards what was decided and must not decide itself. Not a
# neighbourhood assistant either (service.coordinate): they act for the members of their buurt,
# and letting the money go is a decision between the volunteer and the cooperative.
WAIVERS = frozenset({permissions.COORDINATOR, permissions.BOARD, permissions.ADMIN})


def as_actor(*, member: Member) -> Actor:
    """A member as the permission layer reads it. (Member is an Actor; the type checker does
    not see its ``assisted_neighbourhoods``, a reverse relation declared on Neighbourhood.)"""
    return cast("Actor", member)


def _actor_or_none(member: Member | None) -> Actor | None:
    return None if member is None else as_actor(member=member)


# --- who sees which klus -----------------------------------------------------------------------


def klus_payments_visible_to(*, member: Member) -> QuerySet[KlusPayment]:
    """The klussen ``member`` may see: their own (as requester or volunteer); every klus for
    coordinators, the board and the audit committee (klus.overview); and for a neighbourhood
    assistant also those of the members in the buurten they assist (they act for them)."""
    payments = KlusPayment.objects.select_related(
        "service", "service__cluster", "service__request", "requester", "volunteer"
    )
    actor = as_actor(member=member)
    if permissions.can(actor, "klus.overview"):
        return payments
    own = Q(requester=member) | Q(volunteer=member)
    if permissions.can(actor, "service.coordinate"):
        scope = permissions.neighbourhood_filter_for(actor, "service.coordinate")
        if scope is None:
            return payments
        buurten = permissions.assisted_neighbourhood_ids(actor)
        own |= Q(requester__neighbourhood_id__in=buurten) | Q(
            volunteer__neighbourhood_id__in=buurten
        )
    return payments.filter(own)


def klus_payment_get(*, member: Member, pk: int) -> KlusPayment | None:
    return klus_payments_visible_to(member=member).filter(pk=pk).first()


def klus_payments_open(*, member: Member) -> QuerySet[KlusPayment]:
    return klus_payments_visible_to(member=member).filter(
        status__in=[KlusPayment.Status.OPEN, KlusPayment.Status.PENDING_ONLINE]
    )


def klus_double_payments_to_refund(*, member: Member) -> QuerySet[KlusDoublePayment]:
    """Klussen paid twice and not yet refunded, for those who follow up on the money
    (klus.overview, which holds everyone with statement.view); nothing for anyone else. Once
    the treasurer marks one refunded it leaves this list (the klus's page and the month's
    statement still show it). Newest first."""
    actor = as_actor(member=member)
    if not (permissions.can(actor, "klus.overview") or permissions.can(actor, "statement.view")):
        return KlusDoublePayment.objects.none()
    return (
        KlusDoublePayment.objects.select_related(
            "payment", "payment__service__cluster", "payment__requester", "payment__volunteer"
        )
        .filter(refunded_at__isnull=True)
        .order_by("-received_at", "-id")
    )


def klus_double_payments_of(*, payment: KlusPayment) -> QuerySet[KlusDoublePayment]:
    """The double payments of one klus, oldest first, with who marked them refunded."""
    return payment.double_payments.select_related("refunded_by").order_by("received_at", "id")


def klus_double_payment_get(*, payment: KlusPayment, pk: int) -> KlusDoublePayment | None:
    """One double payment of ``payment``: an id of another klus's double payment is none."""
    return klus_double_payments_of(payment=payment).filter(pk=pk).first()


# --- who may do what with a klus ---------------------------------------------------------------


def klus_may(*, actor: Member, payment: KlusPayment, action: str) -> bool:
    """Confirming cash is the volunteer's (who got the money), paying online the requester's;
    a coordinator, or the neighbourhood assistant of that member, may do it for them."""
    member = payment.volunteer if action == "cash" else payment.requester
    if actor.pk == member.pk:
        return True
    return permissions.can(
        as_actor(member=actor), "service.coordinate", about=as_actor(member=member)
    )


def klus_may_waive(*, actor: Member | None) -> bool:
    """May ``actor`` let klussen lapse (laten vervallen)? See WAIVERS for who and why."""
    return bool(permissions.roles_of(_actor_or_none(actor)) & WAIVERS)


def klus_may_mark_refunded(*, actor: Member | None) -> bool:
    """Those who manage the cooperative's money and its Stripe account (treasurer, chair,
    administrator) refund a double payment, so they say when it is done. A coordinator or the
    audit committee follows up, but does not move money."""
    return permissions.can(_actor_or_none(actor), "billing.manage")


def klus_actions(*, actor: Member, payment: KlusPayment, online_possible: bool) -> set[str]:
    """What ``actor`` can do with ``payment`` now; pages and the API offer only these."""
    out = set()
    if payment.status == KlusPayment.Status.OPEN and klus_may_waive(actor=actor):
        out.add("waive")
    if payment.status == KlusPayment.Status.OPEN and klus_may(
        actor=actor, payment=payment, action="cash"
    ):
        out.add("cash")
    if (
        online_possible
        and payment.status in (KlusPayment.Status.OPEN, KlusPayment.Status.PENDING_ONLINE)
        and klus_may(actor=actor, payment=payment, action="online")
    ):
        out.add("online")
    return out


# --- paying online -----------------------------------------------------------------------------


def klus_url(*, payment: KlusPayment) -> str:
    """The klus's page on this cooperative's subdomain, for an email."""
    return cooperative_url(
        slug=current_cooperative().slug, path=reverse("klussen:detail", args=[payment.pk])
    )


def klus_double_payment_text(*, double: KlusDoublePayment) -> str:
    """The one sentence the treasurer acts on, on the pages and in the mail."""
    names = {
        "amount": f"€ {double.amount:.2f}".replace(".", ","),
        "date": timezone.localtime(double.received_at).strftime("%d-%m-%Y"),
    }
    if double.earlier == KlusDoublePayment.Earlier.CANCELLED:
        text = _(
            "Dubbel betaald: %(amount)s online op %(date)s terwijl de klus al vervallen was; "
            "betaal het online bedrag terug via Stripe."
        )
    elif double.earlier == KlusDoublePayment.Earlier.ONLINE:
        text = _(
            "Dubbel betaald: %(amount)s online op %(date)s terwijl het al online betaald was; "
            "betaal het online bedrag terug via Stripe."
        )
    else:
        text = _(
            "Dubbel betaald: %(amount)s online op %(date)s terwijl het al contant betaald was; "
            "betaal het online bedrag terug via Stripe."
        )
    return text % names


def treasurers_to_mail() -> list[Member]:
    """Active treasurers (a treasurer's seat today) with an email address: they refund a
    double payment."""
    return list(
        members_with_seat_role(role="board_treasurer").exclude(email="").distinct().order_by("pk")
    )


# --- the volunteer allowance -------------------------------------------------------------------


def allowance_year(*, year: int) -> AllowanceYear | None:
    return AllowanceYear.objects.filter(year=year).first()


def allowance_years() -> QuerySet[AllowanceYear]:
    return AllowanceYear.objects.order_by("-year")


def _counted(year: int) -> QuerySet[KlusPayment]:
    # Open and pending klussen count too, not only paid ones: the work is done and the money
    # is owed for that year, and counting it only once paid would let a volunteer go over the
    # limit while the cash is still in someone's pocket. Only a cancelled klus does not count.
    return KlusPayment.objects.filter(performed_on__year=year).exclude(
        status=KlusPayment.Status.CANCELLED
    )


def volunteer_year_total(*, volunteer: Member, year: int) -> Decimal:
    """What ``volunteer`` receives for klussen done in ``year``."""
    total = _counted(year).filter(volunteer=volunteer).aggregate(t=Sum("volunteer_amount"))["t"]
    return total or ZERO


def percent_of(*, total: Decimal, limit: Decimal | None) -> int | None:
    """Whole percent of the yearly limit (rounded down, so 79.9% is not yet 80%)."""
    if not limit:
        return None
    return int(total * 100 / limit)


def override_for(*, volunteer: Member, year: int) -> AllowanceOverride | None:
    return AllowanceOverride.objects.filter(volunteer=volunteer, year=year).first()


def allowance_reached(*, volunteer: Member, year: int) -> bool:
    """Whether ``volunteer`` reached the yearly limit in ``year`` without the board's
    exception, so that no further paid klus may be planned for them that year."""
    limits = allowance_year(year=year)
    if limits is None:
        return False
    total = volunteer_year_total(volunteer=volunteer, year=year)
    if total < limits.per_year:
        return False
    return override_for(volunteer=volunteer, year=year) is None


def allowance_check_plannable(*, volunteer: Member, year: int) -> None:
    """Refuse to plan ``volunteer`` for another paid klus in ``year`` once they reached the
    yearly limit, unless the board made an exception for them for that year. (The
    marketplace asks this through the settlement interface; it writes nothing.)"""
    if not allowance_reached(volunteer=volunteer, year=year):
        return
    limits = allowance_year(year=year)
    assert limits is not None  # reached means there are limits for the year
    total = volunteer_year_total(volunteer=volunteer, year=year)
    raise field_error(
        None,
        _(
            "%(name)s heeft in %(year)s al %(total)s aan vrijwilligersvergoeding; dat is de grens "
            "van %(limit)s per jaar. Daarom kan %(name)s dit jaar geen betaalde klus meer doen. "
            "Kies een andere vrijwilliger, of vraag het bestuur om een uitzondering."
        )
        % {
            "name": volunteer.name,
            "year": year,
            "total": euro(total),
            "limit": euro(limits.per_year),
        },
        "allowance_limit_reached",
    )


@dataclass(frozen=True)
class AllowanceRow:
    volunteer: Member
    total: Decimal
    percent: int | None
    override: AllowanceOverride | None
    high_rates: int  # klussen paid above the year's per-hour limit

    @property
    def warned(self) -> bool:
        return self.percent is not None and WARN_LEVEL <= self.percent < BLOCK_LEVEL

    @property
    def blocked(self) -> bool:
        return self.percent is not None and self.percent >= BLOCK_LEVEL and self.override is None


def allowance_rows(*, year: int) -> list[AllowanceRow]:
    """Per volunteer with klussen in ``year``: the total, the share of the limit, the board's
    override if any, and how many klussen had a rate above the per-hour limit. Highest first."""
    limits = allowance_year(year=year)
    per_hour = limits.per_hour if limits else None
    totals = (
        _counted(year)
        .values("volunteer")
        .annotate(
            total=Sum("volunteer_amount"),
            high=Sum(
                # Count the klussen above the per-hour limit (1 each).
                _one_if(Q(rate_per_hour__gt=per_hour)) if per_hour is not None else _zero()
            ),
        )
        .order_by("-total")
    )
    members = Member.objects.in_bulk([t["volunteer"] for t in totals])
    overrides = {
        o.volunteer_id: o
        for o in AllowanceOverride.objects.filter(year=year).select_related("decided_by")
    }
    return [
        AllowanceRow(
            volunteer=members[t["volunteer"]],
            total=t["total"] or ZERO,
            percent=percent_of(total=t["total"] or ZERO, limit=limits.per_year if limits else None),
            override=overrides.get(t["volunteer"]),
            high_rates=int(t["high"] or 0),
        )
        for t in totals
    ]


def _one_if(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _zero() -> Value:
    return Value(0, output_field=IntegerField())


def coordinators_to_warn() -> list[Member]:
    """Active coordinators with an email address: they follow up on the allowance."""
    return list(
        Member.objects.filter(
            status=Member.Status.ACTIVE,
            role_assignments__role="coordinator",
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def klussen_export(*, member: Member) -> dict[str, object]:
    """A member's klussen in euros for their own export (AVG art. 15 and 20; registered through
    cooperatives.settlement): each klus, the totals per year as volunteer and as requester, and
    the yearly allowance limit with any override of it."""
    klussen = (
        KlusPayment.objects.filter(Q(volunteer=member) | Q(requester=member))
        .select_related("requester", "volunteer")
        .order_by("performed_on", "id")
    )
    years = sorted({k.performed_on.year for k in klussen})
    overrides = {o.year: o for o in AllowanceOverride.objects.filter(volunteer=member)}
    per_year = []
    for year in years:
        limit = allowance_year(year=year)
        override = overrides.get(year)
        received = volunteer_year_total(volunteer=member, year=year)
        paid = _counted(year).filter(requester=member).aggregate(t=Sum("amount"))["t"] or ZERO
        per_year.append(
            {
                "jaar": year,
                "ontvangen_als_vrijwilliger": str(received),
                "betaald_als_hulpvrager": str(paid),
                "vrijwilligersvergoeding_maximaal": str(limit.per_year) if limit else None,
                "uitzondering_op_het_maximum": override.reason if override else None,
            }
        )
    return {
        "klussen": [
            {
                "u_was": "vrijwilliger" if k.volunteer_id == member.pk else "hulpvrager",
                "uitgevoerd_op": k.performed_on.isoformat(),
                "uren": str(k.hours),
                "bedrag": str(k.amount),
                "voor_de_vrijwilliger": str(k.volunteer_amount),
                "status": k.status,
                "betaalwijze": k.method,
                "reden_van_vervallen": k.cancel_reason,
            }
            for k in klussen
        ],
        "totalen_per_jaar": per_year,
    }
