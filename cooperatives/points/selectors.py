"""Reads of the points ledger. Everything here runs in the schema of the cooperative the
request belongs to, so an id of another cooperative's account, member or transfer simply does
not exist; member-facing reads are narrowed to the member's own account."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import cast

from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone

from cooperatives.members.models import Member
from cooperatives.points.models import Account, Posting, Transfer, YearEndSnapshot
from shared import permissions

ZERO = Decimal("0")
# Year-end snapshots are taken of years from this one until last year.
FIRST_YEAR = 2000


def may(member: Member, action: str) -> bool:
    """``shared.permissions.can`` for a member. (The cast: django-stubs does not see the
    reverse relation ``assisted_neighbourhoods`` that setup declares by a relative model name,
    so mypy cannot match Member to ``permissions.Actor`` by itself.)"""
    return permissions.can(cast(permissions.Actor, member), action)


def _kind_order(field: str = "kind") -> Case:
    """The cooperative's own accounts first, then members (sorted by name after this)."""
    order = [Account.Kind.ISSUANCE, Account.Kind.SOLIDARITY, Account.Kind.SHARE]
    return Case(
        *(When(**{field: kind}, then=Value(i)) for i, kind in enumerate(order)),
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def holder(account: Account) -> str:
    """Who an account belongs to, as the pages show it: the member's name (an erased member's
    name is already their pseudonym) or the name of the cooperative's own account."""
    if account.kind == Account.Kind.MEMBER and account.member is not None:
        return account.member.name
    return str(account.get_kind_display())


def account_of(*, member: Member) -> Account | None:
    return Account.objects.filter(member=member).first()


def system_balance(kind: str) -> Decimal:
    account = Account.objects.filter(kind=kind, member=None).first()
    return account.balance if account else ZERO


def statement(*, member: Member) -> QuerySet[Posting]:
    """The member's own postings, newest first."""
    return Posting.objects.filter(account__member=member).select_related("transfer").order_by("-id")


def with_counterparties(postings: Iterable[Posting]) -> list[Posting]:
    """Each posting gets ``other``: who is on the other side of its transfer (the postings of
    the opposite sign). One query for the whole page, not one per row."""
    rows = list(postings)
    sides: dict[int, list[Posting]] = defaultdict(list)
    for side in Posting.objects.filter(
        transfer_id__in={p.transfer_id for p in rows}
    ).select_related("account__member"):
        sides[side.transfer_id].append(side)
    for posting in rows:
        names = [
            holder(side.account)
            for side in sides[posting.transfer_id]
            if side.account_id != posting.account_id and (side.amount > 0) != (posting.amount > 0)
        ]
        posting.other = ", ".join(dict.fromkeys(names))
    return rows


def service_payments_to_decide(*, member: Member) -> QuerySet[Transfer]:
    """Service payments where ``member`` was helped and so approves the quality (the payer is
    the first line of a pending payment), whatever has been decided since."""
    account = account_of(member=member)
    if account is None:
        return Transfer.objects.none()
    return Transfer.objects.filter(
        kind=Transfer.Kind.SERVICE, pending_postings__0__0=account.pk
    ).order_by("created_at", "id")


def pending_for(*, member: Member) -> QuerySet[Transfer]:
    return service_payments_to_decide(member=member).filter(status=Transfer.Status.PENDING)


def pending_all() -> QuerySet[Transfer]:
    return Transfer.objects.filter(status=Transfer.Status.PENDING).order_by("created_at", "id")


def with_pending_lines(transfers: Iterable[Transfer]) -> list[Transfer]:
    """A pending payment gets ``payer``, ``payee`` (names) and ``amount`` from the lines it
    will book, all accounts loaded in one query."""
    rows = list(transfers)
    ids = {line[0] for t in rows for line in t.pending_postings}
    accounts = Account.objects.select_related("member").in_bulk(ids)
    for transfer in rows:
        lines = [(accounts[pk], Decimal(amount)) for pk, amount in transfer.pending_postings]
        transfer.payer = holder(lines[0][0])
        transfer.amount = -lines[0][1]
        transfer.payee = ", ".join(holder(a) for a, amount in lines[1:] if amount > 0)
    return rows


def transfer_lines(transfer: Transfer) -> list[tuple[Account, Decimal]]:
    """What a transfer books (or, while pending, will book), per account."""
    if transfer.status == Transfer.Status.BOOKED:
        return [(p.account, p.amount) for p in transfer.postings.select_related("account__member")]
    accounts = Account.objects.select_related("member").in_bulk(
        [pk for pk, _amount in transfer.pending_postings]
    )
    return [(accounts[pk], Decimal(amount)) for pk, amount in transfer.pending_postings]


def transfer_get(*, pk: int) -> Transfer | None:
    return Transfer.objects.filter(pk=pk).first()


def transfers_recent(*, limit: int = 25) -> list[Transfer]:
    return list(Transfer.objects.filter(status=Transfer.Status.BOOKED).order_by("-id")[:limit])


def active_members() -> QuerySet[Member]:
    return Member.objects.filter(status=Member.Status.ACTIVE).order_by("name", "id")


def members_not_erased() -> QuerySet[Member]:
    return Member.objects.exclude(status=Member.Status.ERASED).order_by("name", "id")


def accounts_with_holders() -> QuerySet[Account]:
    return Account.objects.select_related("member").order_by(_kind_order(), "member__name", "id")


def _circulation_of(balances: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal | bool]:
    """The totals from each account's (kind, balance): what the members hold (positive and
    negative apart), the cooperative's own accounts, and whether what everyone holds mirrors
    what the issuance account gave out."""
    positive = negative = held = solidarity = share = issuance = ZERO
    for kind, balance in balances:
        if kind == Account.Kind.MEMBER:
            positive += max(balance, ZERO)
            negative += min(balance, ZERO)
        if kind == Account.Kind.ISSUANCE:
            issuance += balance
        else:
            held += balance
        if kind == Account.Kind.SOLIDARITY:
            solidarity += balance
        if kind == Account.Kind.SHARE:
            share += balance
    return {
        "positive": positive,
        "negative": negative,
        "solidarity": solidarity,
        "share": share,
        "in_circulation": held,
        "issued": -issuance,
        "balanced": held == -issuance,
    }


def year_end_balances(*, year: int) -> list[tuple[str, Decimal]]:
    """Each account's (kind, balance) at the end of ``year``: the year-end snapshot where it
    was taken, else the balance after the account's last posting of the year (as the
    snapshot would keep it)."""
    snapshot = list(
        YearEndSnapshot.objects.filter(year=year).values_list("account__kind", "balance")
    )
    if snapshot:
        return snapshot
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    last = (
        Posting.objects.filter(created_at__lt=end)
        .order_by("account_id", "-id")
        .distinct("account_id")
        .values_list("account__kind", "balance_after")
    )
    return list(last)


def circulation(*, year: int | None = None) -> dict[str, Decimal | bool]:
    """The cooperative's totals, as the ledger's overview shows them: now, or (``year`` that
    has ended) at the end of that year. Every point came from the issuance account, so what
    the members and the cooperative's other accounts hold together must mirror it exactly."""
    if year is not None and year < timezone.localdate().year:
        return _circulation_of(year_end_balances(year=year))
    return _circulation_of(Account.objects.values_list("kind", "balance"))


def issued_during(*, year: int) -> dict[str, Decimal]:
    """Points that moved during ``year``, per kind of transfer (booked ones only): what the
    issuance account gave out (starter points, organisations, corrections) and what went
    through the solidarity pot, in and out."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    postings = Posting.objects.filter(created_at__gte=start, created_at__lt=end)
    issuance = postings.filter(account__kind=Account.Kind.ISSUANCE)
    solidarity = postings.filter(account__kind=Account.Kind.SOLIDARITY)
    services = postings.filter(
        transfer__kind=Transfer.Kind.SERVICE, account__kind=Account.Kind.MEMBER, amount__gt=0
    )
    return {
        "issued": -(issuance.aggregate(s=Sum("amount"))["s"] or ZERO),
        "paid_for_services": services.aggregate(s=Sum("amount"))["s"] or ZERO,
        "solidarity_in": solidarity.filter(amount__gt=0).aggregate(s=Sum("amount"))["s"] or ZERO,
        "solidarity_out": -(
            solidarity.filter(amount__lt=0).aggregate(s=Sum("amount"))["s"] or ZERO
        ),
    }


def last_ended_year() -> int:
    return timezone.localdate().year - 1


def snapshot_years() -> list[int]:
    return list(YearEndSnapshot.objects.order_by("-year").values_list("year", flat=True).distinct())


def snapshots(*, year: int | None = None) -> QuerySet[YearEndSnapshot]:
    qs = YearEndSnapshot.objects.select_related("account__member")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", _kind_order("account__kind"), "account__member__name", "account_id")
