"""Reads for klussen in euros: who sees which klus, and the volunteers' allowance totals per
year. Everything here runs in the cooperative's own schema, so another cooperative's klussen
are never in reach."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When

from billing.klussen.models import (
    AllowanceOverride,
    AllowanceYear,
    KlusDoublePayment,
    KlusPayment,
)
from cooperatives.settlement import Member
from shared import permissions

ZERO = Decimal("0.00")
# Percentages of the yearly limit at which the coordinators are warned; the last one blocks.
WARN_LEVEL, BLOCK_LEVEL = 80, 100
LEVELS = (WARN_LEVEL, BLOCK_LEVEL)


def klus_payments_visible_to(*, member: Member) -> QuerySet[KlusPayment]:
    """The klussen ``member`` may see: their own (as requester or volunteer); every klus for
    coordinators, the board and the audit committee (klus.overview); and for a neighbourhood
    assistant also those of the members in the buurten they assist (they act for them)."""
    payments = KlusPayment.objects.select_related(
        "service", "service__cluster", "service__request", "requester", "volunteer"
    )
    if permissions.can(member, "klus.overview"):
        return payments
    own = Q(requester=member) | Q(volunteer=member)
    if permissions.can(member, "service.coordinate"):
        scope = permissions.neighbourhood_filter_for(member, "service.coordinate")
        if scope is None:
            return payments
        buurten = permissions.assisted_neighbourhood_ids(member)
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
    if not (permissions.can(member, "klus.overview") or permissions.can(member, "statement.view")):
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


def percent_of(total: Decimal, limit: Decimal | None) -> int | None:
    """Whole percent of the yearly limit (rounded down, so 79.9% is not yet 80%)."""
    if not limit:
        return None
    return int(total * 100 / limit)


def override_for(*, volunteer: Member, year: int) -> AllowanceOverride | None:
    return AllowanceOverride.objects.filter(volunteer=volunteer, year=year).first()


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
            percent=percent_of(t["total"] or ZERO, limits.per_year if limits else None),
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
