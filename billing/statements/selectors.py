"""The monthly statement of one cooperative (maandoverzicht): the paid klussen performed in a
month, in euros only (points are never mixed in), what was paid in cash or online and what is
still owed, the cooperative's share and the platform's fee, and the subscription the
cooperative pays the platform. The treasurer pays the volunteers from it and the audit
committee checks it.

Selectors only: they read the current tenant schema (klussen) and the public schema (the
subscription of the current cooperative), and never write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dates import MONTHS

from billing.klussen.models import KlusDoublePayment, KlusPayment
from billing.sponsorship.models import NetworkSubscription, Sponsorship
from billing.subscriptions.models import Subscription
from shared.tenancy.current import connection, current_cooperative
from tenants.models import Cooperative

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Statements start here; an earlier year in an address is a typing error, not a request.
FIRST_YEAR = 2000

S = KlusPayment.Status
OWED_STATUSES = (S.OPEN, S.PENDING_ONLINE)


@dataclass(frozen=True)
class StatementLine:
    """One klus: what was charged, who keeps what, and how and when it was paid."""

    payment_id: int
    service_id: int
    performed_on: dt.date
    cluster: str
    volunteer: str
    requester: str
    hours: Decimal
    rate_per_hour: Decimal
    amount: Decimal
    cooperative_share: Decimal
    volunteer_amount: Decimal
    platform_fee: Decimal
    method: str
    method_label: str
    status: str
    status_label: str
    paid_on: dt.date | None

    @property
    def is_owed(self) -> bool:
        return self.status in OWED_STATUSES

    @property
    def is_cancelled(self) -> bool:
        return self.status == S.CANCELLED


@dataclass(frozen=True)
class RefundLine:
    """An online payment for a klus that was already settled: the treasurer refunds it, then
    marks it refunded (``refunded_on``). A refunded one stays on the month's statement, so the
    money that came in and went out again can still be followed."""

    double_payment_id: int
    payment_id: int
    performed_on: dt.date
    cluster: str
    volunteer: str
    requester: str
    amount: Decimal
    received_on: dt.date
    earlier: str
    earlier_label: str
    refunded_on: dt.date | None = None

    @property
    def is_refunded(self) -> bool:
        return self.refunded_on is not None


@dataclass(frozen=True)
class StatementTotals:
    """Sums over the month's klussen. A cancelled klus is listed but counts in none of them."""

    klussen: int
    cancelled: int
    hours: Decimal
    charged: Decimal
    cooperative_shares: Decimal
    volunteer_amounts: Decimal
    platform_fees: Decimal
    paid_cash: Decimal
    paid_online: Decimal
    owed: Decimal
    owed_count: int


@dataclass(frozen=True)
class SubscriptionInfo:
    """The cooperative's platform subscription as Stripe last reported it. Only the current
    state is kept, so for an earlier month ``covers_month`` says whether the current period
    reaches back that far."""

    plan_name: str
    monthly_price: Decimal
    currency: str
    status: str
    status_label: str
    period_start: dt.date | None
    period_end: dt.date | None
    covers_month: bool | None
    # A network (SAMEN030) that paid the subscription this month: the cooperative pays nothing.
    paid_by: str = ""


@dataclass(frozen=True)
class Statement:
    cooperative_name: str
    cooperative_slug: str
    year: int
    month: int
    first_day: dt.date
    last_day: dt.date
    lines: list[StatementLine]
    totals: StatementTotals
    subscription: SubscriptionInfo | None
    # Klussen of earlier months that are still not paid: the treasurer follows them up.
    earlier_owed: list[StatementLine] = field(default_factory=list)
    earlier_owed_total: Decimal = ZERO
    # Money that came in during this month (by payment date), also for earlier klussen.
    received_cash: Decimal = ZERO
    received_online: Decimal = ZERO
    # Online payments received this month for klussen already settled (paid twice): not in
    # the totals above. All of them are listed, refunded or not; the total is what is still to
    # be refunded, and ``refunded_total`` what the treasurer already paid back.
    to_refund: list[RefundLine] = field(default_factory=list)
    to_refund_total: Decimal = ZERO
    refunded_total: Decimal = ZERO

    @property
    def label(self) -> str:
        return month_label(year=self.year, month=self.month)

    @property
    def file_stem(self) -> str:
        return f"noaber-{self.cooperative_slug}-{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class MonthSummary:
    year: int
    month: int
    klussen: int
    charged: Decimal
    owed: Decimal

    @property
    def label(self) -> str:
        return month_label(year=self.year, month=self.month)


# --- months ------------------------------------------------------------------------------------


def month_label(*, year: int, month: int) -> str:
    """ "november 2026" in the active language (Django's own month names, lower case in Dutch)."""
    return f"{MONTHS[month]} {year}"


def month_bounds(*, year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def statement_month_exists(*, year: int, month: int, today: dt.date | None = None) -> bool:
    """A statement exists from FIRST_YEAR up to and including the current month: a month that
    has not begun has no klussen, and month 13 or year 1800 is a typing error."""
    today = today or timezone.localdate()
    return 1 <= month <= 12 and year >= FIRST_YEAR and (year, month) <= (today.year, today.month)


def month_neighbours(
    *, year: int, month: int, today: dt.date | None = None
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The previous and next month that have a statement, for the month navigation."""
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return (
        previous
        if statement_month_exists(year=previous[0], month=previous[1], today=today)
        else None,
        following
        if statement_month_exists(year=following[0], month=following[1], today=today)
        else None,
    )


# --- the statement -----------------------------------------------------------------------------


def _payments() -> QuerySet[KlusPayment]:
    return KlusPayment.objects.select_related("service__cluster", "volunteer", "requester")


def _line(payment: KlusPayment) -> StatementLine:
    return StatementLine(
        payment_id=payment.pk,
        service_id=payment.service_id,
        performed_on=payment.performed_on,
        cluster=payment.service.cluster.name,
        volunteer=payment.volunteer.name,
        requester=payment.requester.name,
        hours=payment.hours,
        rate_per_hour=payment.rate_per_hour,
        amount=payment.amount,
        cooperative_share=payment.cooperative_share,
        volunteer_amount=payment.volunteer_amount,
        platform_fee=payment.platform_fee,
        method=payment.method,
        method_label=str(payment.get_method_display()) if payment.method else "",
        status=payment.status,
        status_label=str(payment.get_status_display()),
        paid_on=timezone.localdate(payment.paid_at) if payment.paid_at else None,
    )


def _refund_lines(*, first: dt.date, last: dt.date) -> list[RefundLine]:
    doubles = (
        KlusDoublePayment.objects.select_related(
            "payment__service__cluster", "payment__volunteer", "payment__requester"
        )
        .filter(
            received_at__gte=_local_midnight(first),
            received_at__lt=_local_midnight(last + dt.timedelta(days=1)),
        )
        .order_by("received_at", "id")
    )
    return [
        RefundLine(
            double_payment_id=d.pk,
            payment_id=d.payment_id,
            performed_on=d.payment.performed_on,
            cluster=d.payment.service.cluster.name,
            volunteer=d.payment.volunteer.name,
            requester=d.payment.requester.name,
            amount=d.amount,
            received_on=timezone.localdate(d.received_at),
            earlier=d.earlier,
            earlier_label=str(d.get_earlier_display()),
            refunded_on=timezone.localdate(d.refunded_at) if d.refunded_at else None,
        )
        for d in doubles
    ]


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO).quantize(CENT)


def statement_totals(*, lines: list[StatementLine]) -> StatementTotals:
    counted = [line for line in lines if not line.is_cancelled]
    paid = [line for line in counted if line.status == S.PAID]
    owed = [line for line in counted if line.is_owed]
    return StatementTotals(
        klussen=len(counted),
        cancelled=len(lines) - len(counted),
        hours=_sum(line.hours for line in counted),
        charged=_sum(line.amount for line in counted),
        cooperative_shares=_sum(line.cooperative_share for line in counted),
        volunteer_amounts=_sum(line.volunteer_amount for line in counted),
        platform_fees=_sum(line.platform_fee for line in counted),
        paid_cash=_sum(line.amount for line in paid if line.method == KlusPayment.Method.CASH),
        paid_online=_sum(line.amount for line in paid if line.method == KlusPayment.Method.ONLINE),
        owed=_sum(line.amount for line in owed),
        owed_count=len(owed),
    )


def _subscription(
    *, cooperative: Cooperative | None, first: dt.date, last: dt.date
) -> SubscriptionInfo | None:
    if cooperative is None:
        return None
    sponsored = _sponsorship(cooperative=cooperative, first=first, last=last)
    if sponsored is not None:
        return sponsored
    subscription = (
        Subscription.objects.select_related("plan").filter(cooperative_id=cooperative.pk).first()
    )
    if subscription is None:
        return None
    start = subscription.current_period_start
    end = subscription.current_period_end
    start_day = timezone.localdate(start) if start else None
    end_day = timezone.localdate(end) if end else None
    covers = None
    if start and end:
        # The period ends at an instant (midnight of its last day's morrow), so compare
        # instants: a period ending at 1 December 00:00 does not cover December.
        covers = start < _local_midnight(last + dt.timedelta(days=1)) and end > _local_midnight(
            first
        )
    plan = subscription.plan
    return SubscriptionInfo(
        plan_name=plan.name if plan else "",
        monthly_price=(Decimal(plan.monthly_price_cents) / 100).quantize(CENT) if plan else ZERO,
        currency=(plan.currency if plan else "eur").upper(),
        status=subscription.status,
        status_label=Subscription.Status.word(subscription.status),
        period_start=start_day,
        period_end=end_day,
        covers_month=covers,
    )


def _sponsorship(
    *, cooperative: Cooperative, first: dt.date, last: dt.date
) -> SubscriptionInfo | None:
    """A network's sponsorship that ran during the month, with the network's subscription."""
    sponsorship = (
        Sponsorship.objects.select_related("network", "plan")
        .filter(
            cooperative_id=cooperative.pk,
            started_at__lt=_local_midnight(last + dt.timedelta(days=1)),
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=_local_midnight(first)))
        .order_by("-started_at")
        .first()
    )
    if sponsorship is None:
        return None
    network_subscription = NetworkSubscription.objects.filter(
        network_id=sponsorship.network_id
    ).first()
    status = network_subscription.status if network_subscription else ""
    return SubscriptionInfo(
        plan_name=sponsorship.plan.name,
        monthly_price=ZERO,
        currency=sponsorship.plan.currency.upper(),
        status=status,
        status_label=Subscription.Status.word(status),
        period_start=timezone.localdate(sponsorship.started_at),
        period_end=timezone.localdate(sponsorship.ended_at) if sponsorship.ended_at else None,
        covers_month=True,
        paid_by=sponsorship.network.name,
    )


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def statement_month(*, year: int, month: int) -> Statement:
    """The statement of one month in the current cooperative's schema. Klussen count in the
    month they were performed (as the allowance year does), whenever they were paid."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    first, last = month_bounds(year=year, month=month)
    cooperative: Cooperative | None = current_cooperative()

    lines = [
        _line(p)
        for p in _payments()
        .filter(performed_on__gte=first, performed_on__lte=last)
        .order_by("performed_on", "id")
    ]
    earlier = [
        _line(p)
        for p in _payments()
        .filter(performed_on__lt=first, status__in=OWED_STATUSES)
        .order_by("performed_on", "id")
    ]
    refunds = _refund_lines(first=first, last=last)
    received = dict(
        KlusPayment.objects.filter(
            status=S.PAID,
            paid_at__gte=_local_midnight(first),
            paid_at__lt=_local_midnight(last + dt.timedelta(days=1)),
        )
        .values("method")
        .annotate(total=Sum("amount"))
        .values_list("method", "total")
    )
    return Statement(
        cooperative_name=cooperative.name if cooperative else "",
        cooperative_slug=cooperative.slug if cooperative else connection.schema_name,
        year=year,
        month=month,
        first_day=first,
        last_day=last,
        lines=lines,
        totals=statement_totals(lines=lines),
        subscription=_subscription(cooperative=cooperative, first=first, last=last),
        earlier_owed=earlier,
        earlier_owed_total=_sum(line.amount for line in earlier),
        received_cash=(received.get(KlusPayment.Method.CASH) or ZERO).quantize(CENT),
        received_online=(received.get(KlusPayment.Method.ONLINE) or ZERO).quantize(CENT),
        to_refund=refunds,
        to_refund_total=_sum(line.amount for line in refunds if not line.is_refunded),
        refunded_total=_sum(line.amount for line in refunds if line.is_refunded),
    )


def statement_months(*, today: dt.date | None = None) -> list[MonthSummary]:
    """The months with klussen, newest first, always with the current month on top (so the
    treasurer finds this month's statement before anything happened in it)."""
    today = today or timezone.localdate()
    rows = (
        KlusPayment.objects.annotate(month=TruncMonth("performed_on"))
        .values("month")
        .annotate(
            klussen=Count("id", filter=~Q(status=S.CANCELLED)),
            charged=Sum("amount", filter=~Q(status=S.CANCELLED)),
            owed=Sum("amount", filter=Q(status__in=OWED_STATUSES)),
        )
        .order_by("-month")
    )
    months: dict[tuple[int, int], MonthSummary] = {}
    for row in rows:
        key = (row["month"].year, row["month"].month)
        if not statement_month_exists(year=key[0], month=key[1], today=today):
            continue
        months[key] = MonthSummary(
            year=key[0],
            month=key[1],
            klussen=row["klussen"],
            charged=(row["charged"] or ZERO).quantize(CENT),
            owed=(row["owed"] or ZERO).quantize(CENT),
        )
    current = (today.year, today.month)
    months.setdefault(
        current,
        MonthSummary(year=today.year, month=today.month, klussen=0, charged=ZERO, owed=ZERO),
    )
    return [months[key] for key in sorted(months, reverse=True)]


def statement_owed_total() -> Decimal:
    """Everything still owed over all months, for the index page."""
    total = KlusPayment.objects.filter(status__in=OWED_STATUSES).aggregate(total=Sum("amount"))
    return (total["total"] or ZERO).quantize(CENT)


# --- a whole year, for the annual report ------------------------------------------------------


@dataclass(frozen=True)
class StatementYear:
    """The twelve monthly statements of a year added up (months not begun count nothing):
    what the annual report shows of the klussen in euros, equal to the statements' sums."""

    year: int
    totals: StatementTotals
    # The last month's subscription (the current state, as the statements show it).
    subscription: SubscriptionInfo | None


def statement_year(*, year: int, today: dt.date | None = None) -> StatementYear:
    """The year's klussen summed as each month's statement sums them (``statement_totals``
    over the klussen performed in the year, months not begun having none), in one query."""
    today = today or timezone.localdate()
    months = [m for m in range(1, 13) if statement_month_exists(year=year, month=m, today=today)]
    if not months:
        return StatementYear(year=year, totals=statement_totals(lines=[]), subscription=None)
    first = month_bounds(year=year, month=months[0])[0]
    last = month_bounds(year=year, month=months[-1])[1]
    lines = [
        _line(p)
        for p in _payments()
        .filter(performed_on__gte=first, performed_on__lte=last)
        .order_by("performed_on", "id")
    ]
    final_first, final_last = month_bounds(year=year, month=months[-1])
    return StatementYear(
        year=year,
        totals=statement_totals(lines=lines),
        subscription=_subscription(
            cooperative=current_cooperative(), first=final_first, last=final_last
        ),
    )
