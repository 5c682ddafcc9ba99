"""Booking time points. One function books (``transfer_book``); the kinds of transfer the
cooperative knows are thin wrappers that say who pays whom and why.

Guarantees: a transfer is booked once per idempotency key (the first result is returned on a
repeat, also when two arrive at once); accounts are locked in id order (no deadlocks between
transfers, and a deadlock or serialization failure from elsewhere is retried, never shown); the
rulebook's lowest and highest balance are enforced under those locks; PostgreSQL itself refuses
unbalanced or edited postings (see the migrations).
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Member
from cooperatives.points.models import Account, Posting, Transfer, YearEndSnapshot
from cooperatives.services.rules import rulebook_current
from shared import permissions
from shared.audit.services import audit_record

RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
CENT = Decimal("0.01")


def _refuse(field: str | None, message: str, code: str) -> ValidationError:
    return ValidationError({field or "__all__": ValidationError(message, code=code)})


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", ".")).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise _refuse(
            "amount", _("Vul een aantal punten in, bijvoorbeeld 2 of 1,5."), "invalid"
        ) from None
    if amount <= 0:
        raise _refuse("amount", _("Vul een aantal punten groter dan 0 in."), "invalid")
    return amount


# --- accounts ----------------------------------------------------------------------------------


def account_for(*, member: Member) -> Account:
    account, _created = Account.objects.get_or_create(
        member=member, defaults={"kind": Account.Kind.MEMBER}
    )
    return account


def system_account(kind: str) -> Account:
    account, _created = Account.objects.get_or_create(kind=kind, member=None)
    return account


def _label(account: Account) -> str:
    if account.kind == Account.Kind.MEMBER:
        return account.member.name if account.member_id else _("lid")
    return str(account.get_kind_display())


def _check_limits(account: Account, amount: Decimal, new_balance: Decimal) -> None:
    """Members stay within the rulebook's lowest and highest balance; the solidarity pot never
    goes below zero. A posting that moves a balance back towards its limits is always fine."""
    if account.kind == Account.Kind.SOLIDARITY and amount < 0 and new_balance < 0:
        raise _refuse(
            "amount", _("Er staan niet genoeg punten in de solidariteitspot."), "pot_empty"
        )
    if account.kind != Account.Kind.MEMBER:
        return
    rulebook = rulebook_current()
    if rulebook is None:
        return
    if amount < 0 and rulebook.min_balance is not None and new_balance < rulebook.min_balance:
        raise _refuse(
            "amount",
            _("Dan komt het saldo van %(who)s op %(new)s; het laagste saldo is %(min)s.")
            % {"who": _label(account), "new": f"{new_balance:g}", "min": rulebook.min_balance},
            "below_minimum",
        )
    if amount > 0 and rulebook.max_balance is not None and new_balance > rulebook.max_balance:
        raise _refuse(
            "amount",
            _("Dan komt het saldo van %(who)s op %(new)s; het hoogste saldo is %(max)s.")
            % {"who": _label(account), "new": f"{new_balance:g}", "max": rulebook.max_balance},
            "above_maximum",
        )


def _retryable(error: Exception) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES


def transfer_book(
    *,
    kind: str,
    postings: list[tuple[Account, Any]],
    idempotency_key: str,
    memo: str = "",
    actor: Member | None = None,
    service_id: int | None = None,
    reverses: Transfer | None = None,
    pending: bool = False,
) -> Transfer:
    """Book a transfer of two or more postings that sum to zero. ``pending`` records it
    without touching balances (see ``transfer_decide``)."""
    lines = [(account, Decimal(str(amount)).quantize(CENT)) for account, amount in postings]
    if len(lines) < 2 or any(amount == 0 for _a, amount in lines):
        raise _refuse(
            None, _("Een overboeking heeft minstens twee boekingen, geen van nul."), "invalid"
        )
    if sum(amount for _a, amount in lines) != 0:
        raise _refuse(None, _("Een overboeking moet in evenwicht zijn."), "unbalanced")
    for attempt in range(6):
        try:
            with transaction.atomic():
                existing = Transfer.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing
                transfer = Transfer.objects.create(
                    kind=kind,
                    idempotency_key=idempotency_key,
                    memo=memo[:300],
                    created_by_id=getattr(actor, "pk", None),
                    service_id=service_id,
                    reverses=reverses,
                    status=Transfer.Status.PENDING if pending else Transfer.Status.BOOKED,
                    pending_postings=[[a.pk, str(m)] for a, m in lines] if pending else [],
                )
                if not pending:
                    _post(transfer, lines)
                return transfer
        except IntegrityError:
            # The same key booked by someone else at the same moment: theirs stands.
            existing = Transfer.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
            raise
        except OperationalError as error:
            if not _retryable(error) or attempt == 5:
                raise
            time.sleep(0.01 * 2**attempt)
    raise AssertionError("unreachable")


def _post(transfer: Transfer, lines: list[tuple[Account, Decimal]]) -> None:
    """Lock the accounts in id order, check the limits, write postings and balances."""
    ids = sorted({account.pk for account, _m in lines})
    locked = {
        a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    # Sum per account first: one account may appear twice in a transfer.
    per_account: dict[int, Decimal] = {}
    for account, amount in lines:
        per_account[account.pk] = per_account.get(account.pk, Decimal("0")) + amount
    for pk, amount in per_account.items():
        if amount:
            _check_limits(locked[pk], amount, locked[pk].balance + amount)
    postings = []
    for account, amount in lines:
        current = locked[account.pk]
        current.balance += amount
        postings.append(
            Posting(
                transfer=transfer,
                account_id=current.pk,
                amount=amount,
                balance_after=current.balance,
            )
        )
    Posting.objects.bulk_create(postings)
    for pk in per_account:
        Account.objects.filter(pk=pk).update(balance=locked[pk].balance)


@transaction.atomic
def transfer_decide(*, actor: Member, transfer: Transfer, approve: bool) -> Transfer:
    """Commit or reject a pending service payment (the recipient approved the quality, or did
    not). A coordinator may decide on the recipient's behalf."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != Transfer.Status.PENDING:
        raise _refuse(None, _("Over deze betaling is al besloten."), "decided")
    payer = Account.objects.select_related("member").get(pk=transfer.pending_postings[0][0])
    if actor.pk != payer.member_id and not permissions.can(
        actor, "service.coordinate", about=payer.member
    ):
        raise _refuse(None, _("Alleen wie geholpen is, beslist over deze betaling."), "forbidden")
    transfer.decided_at = timezone.now()
    if approve:
        accounts = {
            a.pk: a
            for a in Account.objects.filter(pk__in=[p[0] for p in transfer.pending_postings])
        }
        _post(
            transfer, [(accounts[pk], Decimal(amount)) for pk, amount in transfer.pending_postings]
        )
        transfer.status = Transfer.Status.BOOKED
    else:
        transfer.status = Transfer.Status.REJECTED
    transfer.save(update_fields=["status", "decided_at"])
    audit_record(
        actor_id=actor.pk,
        action="points.approve" if approve else "points.reject",
        target=transfer,
        summary=f"Betaling #{transfer.pk} {'goedgekeurd' if approve else 'afgewezen'}",
    )
    return transfer


# --- the kinds of transfer ---------------------------------------------------------------------


def starter_points_grant(*, member: Member) -> Transfer | None:
    """A new member's starter points, from the issuance account, once."""
    rulebook = rulebook_current()
    if not rulebook or not rulebook.starter_points:
        return None
    return transfer_book(
        kind=Transfer.Kind.STARTER,
        postings=[
            (system_account(Account.Kind.ISSUANCE), -rulebook.starter_points),
            (account_for(member=member), rulebook.starter_points),
        ],
        idempotency_key=f"starter:{member.pk}",
        memo=_("Startpunten"),
    )


def service_payment(*, due: Any) -> Transfer:
    """Pay what a confirmed service owes in points: the requester pays, the volunteer receives,
    the cooperative's share goes to its own account. Pending when the rules let the recipient
    approve the quality first."""
    service = due.service
    lines = [
        (account_for(member=due.payer), -due.amount),
        (account_for(member=due.payee), due.amount - due.cooperative_share),
    ]
    if due.cooperative_share:
        lines.append((system_account(Account.Kind.SHARE), due.cooperative_share))
    pending = bool(due.rulebook and due.rulebook.recipient_approves_quality)
    return transfer_book(
        kind=Transfer.Kind.SERVICE,
        postings=lines,
        idempotency_key=f"service-due:{due.pk}",
        memo=_("Dienst: %(title)s") % {"title": service.request.title},
        service_id=service.pk,
        pending=pending,
    )


def gift(*, giver: Member, receiver: Member, amount: Any, memo: str = "", key: str) -> Transfer:
    if giver.pk == receiver.pk:
        raise _refuse("receiver", _("U kunt geen punten aan uzelf geven."), "self")
    if receiver.status != Member.Status.ACTIVE:
        raise _refuse("receiver", _("Dit lid is niet meer actief."), "inactive")
    amount = _amount(amount)
    kind = (
        Transfer.Kind.ORGANISATION if giver.kind == Member.Kind.ORGANISATION else Transfer.Kind.GIFT
    )
    return transfer_book(
        kind=kind,
        postings=[(account_for(member=giver), -amount), (account_for(member=receiver), amount)],
        idempotency_key=f"gift:{giver.pk}:{key}",
        memo=memo,
        actor=giver,
    )


def donation(*, member: Member, amount: Any, key: str) -> Transfer:
    amount = _amount(amount)
    return transfer_book(
        kind=Transfer.Kind.DONATION,
        postings=[
            (account_for(member=member), -amount),
            (system_account(Account.Kind.SOLIDARITY), amount),
        ],
        idempotency_key=f"donation:{member.pk}:{key}",
        memo=_("Gift aan de solidariteitspot"),
        actor=member,
    )


def grant(*, actor: Member, member: Member, amount: Any, reason: str, key: str) -> Transfer:
    if not permissions.can(actor, "points.grant", about=member):
        raise _refuse(
            None, _("Alleen een coördinator kent punten uit de solidariteitspot toe."), "forbidden"
        )
    if not (reason or "").strip():
        raise _refuse("reason", _("Geef een reden op."), "required")
    amount = _amount(amount)
    transfer = transfer_book(
        kind=Transfer.Kind.GRANT,
        postings=[
            (system_account(Account.Kind.SOLIDARITY), -amount),
            (account_for(member=member), amount),
        ],
        idempotency_key=f"grant:{actor.pk}:{key}",
        memo=reason.strip(),
        actor=actor,
    )
    audit_record(
        actor_id=actor.pk,
        action="points.grant",
        target=transfer,
        summary=f"{amount} punten uit de solidariteitspot",
    )
    return transfer


def correction(*, actor: Member, account: Account, amount: Any, reason: str, key: str) -> Transfer:
    """The board corrects a balance (positive or negative amount) against the issuance
    account, with a reason; audited."""
    if not permissions.can(actor, "points.correct"):
        raise _refuse(None, _("Alleen het bestuur kan een correctie boeken."), "forbidden")
    if not (reason or "").strip():
        raise _refuse("reason", _("Geef een reden op."), "required")
    try:
        value = Decimal(str(amount).replace(",", ".")).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise _refuse("amount", _("Vul een aantal punten in."), "invalid") from None
    if value == 0:
        raise _refuse("amount", _("Een correctie van 0 punten verandert niets."), "invalid")
    transfer = transfer_book(
        kind=Transfer.Kind.CORRECTION,
        postings=[(system_account(Account.Kind.ISSUANCE), -value), (account, value)],
        idempotency_key=f"correction:{actor.pk}:{key}",
        memo=reason.strip(),
        actor=actor,
    )
    audit_record(
        actor_id=actor.pk,
        action="points.correct",
        target=transfer,
        summary=f"Correctie van {value} punten op rekening #{account.pk}",
    )
    return transfer


def reverse(*, actor: Member, transfer: Transfer, reason: str) -> Transfer:
    """Undo a booked transfer with a new one that mirrors it; the original stays."""
    if not permissions.can(actor, "points.correct"):
        raise _refuse(None, _("Alleen het bestuur kan een boeking terugdraaien."), "forbidden")
    if transfer.status != Transfer.Status.BOOKED or transfer.kind == Transfer.Kind.REVERSAL:
        raise _refuse(None, _("Deze overboeking kan niet worden teruggedraaid."), "not_reversible")
    lines = [(p.account, -p.amount) for p in transfer.postings.select_related("account")]
    result = transfer_book(
        kind=Transfer.Kind.REVERSAL,
        postings=lines,
        idempotency_key=f"reverse:{transfer.pk}",
        memo=(reason or "").strip(),
        actor=actor,
        reverses=transfer,
    )
    audit_record(
        actor_id=actor.pk,
        action="points.reverse",
        target=result,
        summary=f"Overboeking #{transfer.pk} teruggedraaid",
    )
    return result


@transaction.atomic
def year_end_snapshot(*, year: int) -> int:
    """Keep every account's balance at the end of ``year`` (idempotent). Returns the count."""
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    made = 0
    for account in Account.objects.all():
        last = Posting.objects.filter(account=account, created_at__lt=end).order_by("-id").first()
        _snap, created = YearEndSnapshot.objects.get_or_create(
            year=year,
            account=account,
            defaults={"balance": last.balance_after if last else Decimal("0")},
        )
        made += created
    return made
