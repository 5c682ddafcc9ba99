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
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.marketplace.models import CompensationDue
from cooperatives.marketplace.services import due_mark_settled
from cooperatives.members.models import Member
from cooperatives.points.models import Account, Posting, Transfer, YearEndSnapshot
from cooperatives.rules.selectors import rulebook_current
from shared import permissions
from shared.audit.services import audit_record
from shared.permissions import Actor
from shared.validation import field_error as _refuse

RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
ATTEMPTS = 6
CENT = Decimal("0.01")
# Far beyond any real transfer, and far below what the columns hold (12 digits, 2 decimals), so
# an absurd amount is a clear refusal instead of a database error.
MAX_AMOUNT = Decimal("1000000")
T = TypeVar("T")
# A number of points as a form ("1,5"), the API ("1.5", 1.5) or code (Decimal, int) gives it.
PointsInput = Decimal | int | float | str


def _actor(member: Member) -> Actor:
    # The permission layer's view of a member. django-stubs does not see the reverse relation
    # ``assisted_neighbourhoods`` (declared on Neighbourhood by a relative model name), so
    # mypy cannot match Member to the protocol by itself.
    return cast(Actor, member)


def _points(value: Decimal | int) -> str:
    """Points as the pages write them: 21, -20,50."""
    return floatformat(value, -2)


def _number(value: PointsInput) -> Decimal:
    """A number of points from a form ("1,5") or the API (1.5), to the cent."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    # NaN and Infinity parse, but compare and round with an exception, not a refusal.
    if not number.is_finite():
        raise _refuse("amount", _("Vul een aantal punten in, bijvoorbeeld 2 of 1,5."), "invalid")
    if abs(number) >= MAX_AMOUNT:
        raise _refuse(
            "amount", _("Zoveel punten kunnen niet in één keer worden overgeboekt."), "too_large"
        )
    return number.quantize(CENT)


def _amount(value: PointsInput) -> Decimal:
    amount = _number(value)
    if amount <= 0:
        raise _refuse("amount", _("Vul een aantal punten groter dan 0 in."), "invalid")
    return amount


# --- accounts ----------------------------------------------------------------------------------


def account_open(*, member: Member) -> Account:
    """The member's account, opened when they have none yet."""
    account, _created = Account.objects.get_or_create(
        member=member, defaults={"kind": Account.Kind.MEMBER}
    )
    return account


def _accounts_of(*members: Member) -> list[Account]:
    """The accounts of ``members``, in one query (opened where missing)."""
    found = {a.member_id: a for a in Account.objects.filter(member__in=[m.pk for m in members])}
    return [found.get(m.pk) or account_open(member=m) for m in members]


def system_account_open(*, kind: str) -> Account:
    """One of the cooperative's own accounts (issuance, share, solidarity), opened when it
    does not exist yet."""
    account, _created = Account.objects.get_or_create(kind=kind, member=None)
    return account


def _label(account: Account) -> str:
    if account.kind == Account.Kind.MEMBER:
        return account.member.name if account.member is not None else _("lid")
    return str(account.get_kind_display())


def _check_limits(
    account: Account, amount: Decimal, new_balance: Decimal, lowest: int | None, highest: int | None
) -> None:
    """Members stay within the rulebook's lowest and highest balance; the solidarity pot never
    goes below zero. A posting that moves a balance back towards its limits is always fine."""
    if account.kind == Account.Kind.SOLIDARITY and amount < 0 and new_balance < 0:
        raise _refuse(
            "amount", _("Er staan niet genoeg punten in de solidariteitspot."), "pot_empty"
        )
    if account.kind != Account.Kind.MEMBER:
        return
    if amount < 0 and lowest is not None and new_balance < lowest:
        raise _refuse(
            "amount",
            _("Dan komt het saldo van %(who)s op %(new)s; het laagste saldo is %(min)s.")
            % {
                "who": _label(account),
                "new": _points(new_balance),
                "min": _points(lowest),
            },
            "below_minimum",
        )
    if amount > 0 and highest is not None and new_balance > highest:
        raise _refuse(
            "amount",
            _("Dan komt het saldo van %(who)s op %(new)s; het hoogste saldo is %(max)s.")
            % {
                "who": _label(account),
                "new": _points(new_balance),
                "max": _points(highest),
            },
            "above_maximum",
        )


def _retryable(error: Exception) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES


def _with_retry(work: Callable[[], T]) -> T:
    """Run ``work`` in a transaction of its own (a savepoint inside an outer one). A deadlock
    or serialization failure rolls it back and runs it again, a few times, never shown."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if not _retryable(error) or attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.005 * 2**attempt)
    raise AssertionError("unreachable")


def _same_row(stored: Account | Transfer | None, given: Account | Transfer) -> bool:
    """Is ``stored`` (found in this schema by ``given``'s id) the row ``given`` was read from?
    Every cooperative's schema numbers its rows from 1, so an object read in another one can
    carry an id that exists here too; its creation time tells them apart."""
    return stored is not None and stored.created_at == given.created_at


def _unknown_transfer() -> ValidationError:
    return _refuse(None, _("Deze overboeking hoort niet bij deze coöperatie."), "unknown_transfer")


def transfer_book(
    *,
    kind: str,
    postings: list[tuple[Account, PointsInput]],
    idempotency_key: str,
    memo: str = "",
    actor: Member | None = None,
    service_id: int | None = None,
    reverses: Transfer | None = None,
    pending: bool = False,
) -> Transfer:
    """Book a transfer of two or more postings that sum to zero. ``pending`` records it
    without touching balances (see ``transfer_decide``)."""
    return _book(
        kind=kind,
        postings=postings,
        idempotency_key=idempotency_key,
        memo=memo,
        actor=actor,
        service_id=service_id,
        reverses=reverses,
        pending=pending,
    )[0]


def _book(
    *,
    kind: str,
    postings: list[tuple[Account, PointsInput]],
    idempotency_key: str,
    memo: str = "",
    actor: Member | None = None,
    service_id: int | None = None,
    reverses: Transfer | None = None,
    pending: bool = False,
) -> tuple[Transfer, bool]:
    """transfer_book, and whether this call booked it (False: the key was booked before)."""
    lines = [(account, Decimal(str(amount)).quantize(CENT)) for account, amount in postings]
    if len(lines) < 2 or any(amount == 0 for _a, amount in lines):
        raise _refuse(
            None, _("Een overboeking heeft minstens twee boekingen, geen van nul."), "invalid"
        )
    if sum(amount for _a, amount in lines) != 0:
        raise _refuse(None, _("Een overboeking moet in evenwicht zijn."), "unbalanced")
    transfer = Transfer(
        kind=kind,
        idempotency_key=idempotency_key,
        memo=memo[:300],
        created_by_id=actor.pk if actor is not None else None,
        service_id=service_id,
        reverses=reverses,
        status=Transfer.Status.PENDING if pending else Transfer.Status.BOOKED,
        pending_postings=[[a.pk, str(m)] for a, m in lines] if pending else [],
    )

    def work() -> tuple[Transfer, bool]:
        if not _insert_once(transfer):
            return Transfer.objects.get(idempotency_key=idempotency_key), False
        if not pending:
            _post(transfer, lines)
        return transfer, True

    return _with_retry(work)


def _insert_once(transfer: Transfer) -> bool:
    """Insert ``transfer`` unless its idempotency key is booked already (False then). The key
    is unique: when the same key arrives twice at once, the second insert waits for the first
    transaction and then inserts nothing, so the first booking stands."""
    json = Transfer._meta.get_field("pending_postings")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO points_transfer (kind, status, idempotency_key, memo, created_by_id, "
            "reverses_id, service_id, pending_postings, created_at, decided_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, NULL) "
            "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
            [
                transfer.kind,
                transfer.status,
                transfer.idempotency_key,
                transfer.memo,
                transfer.created_by_id,
                transfer.reverses_id,
                transfer.service_id,
                json.get_db_prep_save(transfer.pending_postings, connection),
                transfer.created_at,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    transfer.pk = row[0]
    transfer._state.adding, transfer._state.db = False, connection.alias
    return True


ACCOUNT_FIELDS = ["id", "kind", "member_id", "balance", "created_at"]
# The accounts to book on, locked in id order, with the limits of the rulebook in force today
# (the rulebook_current rule: the highest version whose effective date has come).
LOCK_ACCOUNTS = (
    "SELECT a.id, a.kind, a.member_id, a.balance, a.created_at, r.min_balance, r.max_balance "
    "FROM points_account a LEFT JOIN LATERAL ("
    " SELECT min_balance, max_balance FROM cooperatives_rulebook WHERE effective_from <= %s"
    " ORDER BY version DESC LIMIT 1) r ON true "
    "WHERE a.id = ANY(%s) ORDER BY a.id FOR UPDATE OF a"
)


def _post(transfer: Transfer, lines: list[tuple[Account, Decimal]]) -> None:
    """Lock the accounts in id order, check the limits, write postings and balances.

    This is the hot path of every booking, so it speaks SQL: one statement locks and reads
    the accounts, one writes all postings and balances. PostgreSQL's triggers check every
    posting and balance either way."""
    with connection.cursor() as cursor:
        cursor.execute(
            LOCK_ACCOUNTS, [timezone.localdate(), sorted({account.pk for account, _m in lines})]
        )
        rows = cursor.fetchall()
        locked = {
            row[0]: Account.from_db(connection.alias, ACCOUNT_FIELDS, row[:5]) for row in rows
        }
        lowest, highest = rows[0][5:] if rows else (None, None)
        if not all(_same_row(locked.get(account.pk), account) for account, _m in lines):
            raise _refuse(
                None, _("Deze rekening hoort niet bij deze coöperatie."), "unknown_account"
            )
        # Sum per account first: one account may appear twice in a transfer.
        per_account: dict[int, Decimal] = {}
        for account, amount in lines:
            per_account[account.pk] = per_account.get(account.pk, Decimal("0")) + amount
        for pk, amount in per_account.items():
            if amount:
                _check_limits(locked[pk], amount, locked[pk].balance + amount, lowest, highest)
        after = []
        for account, amount in lines:
            locked[account.pk].balance += amount
            after.append(locked[account.pk].balance)
        # The postings in the order of the lines (so their ids continue each account's chain)
        # and every new balance, in one statement.
        cursor.execute(
            "WITH posted AS ("
            " INSERT INTO points_posting (transfer_id, account_id, amount, balance_after,"
            " created_at)"
            " SELECT %s, line.account, line.amount, line.after, %s"
            " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[])"
            " AS line(account, amount, after)) "
            "UPDATE points_account SET balance = new.balance"
            " FROM unnest(%s::bigint[], %s::numeric[]) AS new(id, balance)"
            " WHERE points_account.id = new.id",
            [
                transfer.pk,
                Posting._meta.get_field("created_at").get_default(),  # the model's own default
                [account.pk for account, _m in lines],
                [amount for _a, amount in lines],
                after,
                list(per_account),
                [locked[pk].balance for pk in per_account],
            ],
        )


def transfer_decide(*, actor: Member, transfer: Transfer, approve: bool) -> Transfer:
    """Commit or reject a pending service payment (the recipient approved the quality, or did
    not). A coordinator may decide on the recipient's behalf. A committed payment settles
    what the service owed in points; a rejected one leaves it owed."""

    def work() -> Transfer:
        current = Transfer.objects.select_for_update().filter(pk=transfer.pk).first()
        if current is None or not _same_row(current, transfer):
            raise _unknown_transfer()
        if current.status != Transfer.Status.PENDING:
            raise _refuse(None, _("Over deze betaling is al besloten."), "decided")
        payer = Account.objects.select_related("member").get(pk=current.pending_postings[0][0])
        if actor.pk != payer.member_id and not permissions.can(
            _actor(actor),
            "service.coordinate",
            about=_actor(payer.member) if payer.member is not None else None,
        ):
            raise _refuse(
                None, _("Alleen wie geholpen is, beslist over deze betaling."), "forbidden"
            )
        current.decided_at = timezone.now()
        if approve:
            accounts = Account.objects.in_bulk([pk for pk, _m in current.pending_postings])
            _post(
                current,
                [(accounts[pk], Decimal(amount)) for pk, amount in current.pending_postings],
            )
            current.status = Transfer.Status.BOOKED
            if current.service_id:
                due_mark_settled(service_id=current.service_id, kind=CompensationDue.Kind.POINTS)
        else:
            current.status = Transfer.Status.REJECTED
        current.save(update_fields=["status", "decided_at"])
        audit_record(
            actor_id=actor.pk,
            action="points.approve" if approve else "points.reject",
            target=current,
            summary=f"Betaling #{current.pk} {'goedgekeurd' if approve else 'afgewezen'}",
        )
        return current

    return _with_retry(work)


# --- the kinds of transfer ---------------------------------------------------------------------


def starter_points_grant(*, member: Member) -> Transfer | None:
    """A new member's starter points, from the issuance account, once."""
    rulebook = rulebook_current()
    if not rulebook or not rulebook.starter_points:
        return None
    return transfer_book(
        kind=Transfer.Kind.STARTER,
        postings=[
            (system_account_open(kind=Account.Kind.ISSUANCE), -rulebook.starter_points),
            (account_open(member=member), rulebook.starter_points),
        ],
        idempotency_key=f"starter:{member.pk}",
        memo=_("Startpunten"),
    )


def service_payment_book(*, due: CompensationDue) -> Transfer:
    """Pay what a confirmed service owes in points: the requester pays, the volunteer receives,
    the cooperative's share goes to its own account. Pending when the rules let the recipient
    approve the quality first and they have not done so yet."""
    service = due.service
    paying, earning = _accounts_of(due.payer, due.payee)
    # A share of 0 % or 100 % leaves a line of nothing, which a transfer cannot hold.
    lines: list[tuple[Account, PointsInput]] = [(paying, -due.amount)]
    if due.amount != due.cooperative_share:
        lines.append((earning, due.amount - due.cooperative_share))
    if due.cooperative_share:
        lines.append((system_account_open(kind=Account.Kind.SHARE), due.cooperative_share))
    # Held for the recipient's approval of the quality when the rules ask it, unless they
    # approved it already while confirming (one step on the service page).
    pending = bool(
        due.rulebook and due.rulebook.recipient_approves_quality and due.quality_approved_at is None
    )
    return transfer_book(
        kind=Transfer.Kind.SERVICE,
        postings=lines,
        idempotency_key=f"service-due:{due.pk}",
        memo=_("Dienst: %(title)s") % {"title": service.request.title},
        service_id=service.pk,
        pending=pending,
    )


def points_gift(
    *, giver: Member, receiver: Member, amount: PointsInput, memo: str = "", key: str
) -> Transfer:
    """A member gives points to another (an organisation: as thanks, its own kind)."""
    if giver.pk == receiver.pk:
        raise _refuse("receiver", _("U kunt geen punten aan uzelf geven."), "self")
    if receiver.status != Member.Status.ACTIVE:
        raise _refuse("receiver", _("Dit lid is niet meer actief."), "inactive")
    points = _amount(amount)
    kind = (
        Transfer.Kind.ORGANISATION if giver.kind == Member.Kind.ORGANISATION else Transfer.Kind.GIFT
    )
    giving, receiving = _accounts_of(giver, receiver)
    return transfer_book(
        kind=kind,
        postings=[(giving, -points), (receiving, points)],
        idempotency_key=f"gift:{giver.pk}:{key}",
        memo=memo,
        actor=giver,
    )


def points_donate(*, member: Member, amount: PointsInput, key: str) -> Transfer:
    """A member gives points to the solidarity pot."""
    points = _amount(amount)
    return transfer_book(
        kind=Transfer.Kind.DONATION,
        postings=[
            (account_open(member=member), -points),
            (system_account_open(kind=Account.Kind.SOLIDARITY), points),
        ],
        idempotency_key=f"donation:{member.pk}:{key}",
        memo=_("Gift aan de solidariteitspot"),
        actor=member,
    )


@transaction.atomic  # the booking and its audit entry, together or not at all
def points_grant(
    *, actor: Member, member: Member, amount: PointsInput, reason: str, key: str
) -> Transfer:
    """A coordinator grants a member points from the solidarity pot, with a reason; audited."""
    if not permissions.can(_actor(actor), "points.grant", about=_actor(member)):
        raise _refuse(
            None, _("Alleen een coördinator kent punten uit de solidariteitspot toe."), "forbidden"
        )
    if not (reason or "").strip():
        raise _refuse("reason", _("Geef een reden op."), "required")
    if member.status != Member.Status.ACTIVE:
        raise _refuse("member", _("Dit lid is niet meer actief."), "inactive")
    points = _amount(amount)
    transfer, booked = _book(
        kind=Transfer.Kind.GRANT,
        postings=[
            (system_account_open(kind=Account.Kind.SOLIDARITY), -points),
            (account_open(member=member), points),
        ],
        idempotency_key=f"grant:{actor.pk}:{key}",
        memo=reason.strip(),
        actor=actor,
    )
    if booked:  # a repeat of the same key booked nothing, so there is nothing to log
        audit_record(
            actor_id=actor.pk,
            action="points.grant",
            target=transfer,
            summary=f"{points} punten uit de solidariteitspot",
        )
    return transfer


@transaction.atomic  # the booking and its audit entry, together or not at all
def points_correct(
    *, actor: Member, account: Account, amount: PointsInput, reason: str, key: str
) -> Transfer:
    """The board corrects a balance (positive or negative amount) against the issuance
    account, with a reason; audited."""
    if not permissions.can(_actor(actor), "points.correct"):
        raise _refuse(None, _("Alleen het bestuur kan een correctie boeken."), "forbidden")
    if not (reason or "").strip():
        raise _refuse("reason", _("Geef een reden op."), "required")
    if account.kind == Account.Kind.ISSUANCE:
        raise _refuse(
            "account", _("De uitgifterekening is de tegenrekening van elke correctie."), "invalid"
        )
    value = _number(amount)
    if value == 0:
        raise _refuse("amount", _("Een correctie van 0 punten verandert niets."), "invalid")
    transfer, booked = _book(
        kind=Transfer.Kind.CORRECTION,
        postings=[(system_account_open(kind=Account.Kind.ISSUANCE), -value), (account, value)],
        idempotency_key=f"correction:{actor.pk}:{key}",
        memo=reason.strip(),
        actor=actor,
    )
    if booked:
        audit_record(
            actor_id=actor.pk,
            action="points.correct",
            target=transfer,
            summary=f"Correctie van {value} punten op rekening #{account.pk}",
        )
    return transfer


@transaction.atomic  # the booking and its audit entry, together or not at all
def transfer_reverse(*, actor: Member, transfer: Transfer, reason: str) -> Transfer:
    """Undo a booked transfer with a new one that mirrors it; the original stays."""
    if not permissions.can(_actor(actor), "points.correct"):
        raise _refuse(None, _("Alleen het bestuur kan een boeking terugdraaien."), "forbidden")
    original = Transfer.objects.filter(pk=transfer.pk).first()
    if original is None or not _same_row(original, transfer):
        raise _unknown_transfer()
    if original.status != Transfer.Status.BOOKED or original.kind == Transfer.Kind.REVERSAL:
        raise _refuse(None, _("Deze overboeking kan niet worden teruggedraaid."), "not_reversible")
    lines: list[tuple[Account, PointsInput]] = [
        (p.account, -p.amount) for p in original.postings.select_related("account").order_by("id")
    ]
    result, booked = _book(
        kind=Transfer.Kind.REVERSAL,
        postings=lines,
        idempotency_key=f"reverse:{original.pk}",
        memo=(reason or "").strip(),
        actor=actor,
        reverses=original,
    )
    if booked:
        audit_record(
            actor_id=actor.pk,
            action="points.reverse",
            target=result,
            summary=f"Overboeking #{original.pk} teruggedraaid",
        )
    return result


@transaction.atomic
def year_end_snapshot_take(*, year: int) -> int:
    """Keep every account's balance at the end of ``year`` (idempotent). Returns the count.
    Only a year that has ended: a snapshot is kept for good and never changes."""
    if year >= timezone.localdate().year:
        raise _refuse("year", _("Een jaaroverzicht maakt u na afloop van het jaar."), "not_ended")
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


def due_settle_points(*, due: CompensationDue) -> None:
    """The points ledger's settler (registered in cooperatives.points.apps): books what a
    confirmed service owes in points right away, or holds it pending when the rules let the
    recipient approve the quality first (``transfer_decide`` settles it then)."""
    if due.status != CompensationDue.Status.OWED:
        return
    transfer = service_payment_book(due=due)
    if transfer.status == Transfer.Status.BOOKED:
        due_mark_settled(service_id=due.service_id, kind=CompensationDue.Kind.POINTS)


def due_approve_points(*, due: CompensationDue, actor: Member) -> Transfer | None:
    """The points ledger's approver (registered in cooperatives.points.apps): the requester
    (or a coordinator for them) approves the quality from the service page, which books the
    payment held for it. Nothing held (booked already, or never made): nothing to do."""
    transfer = Transfer.objects.filter(
        idempotency_key=f"service-due:{due.pk}", status=Transfer.Status.PENDING
    ).first()
    if transfer is None:
        return None
    return transfer_decide(actor=actor, transfer=transfer, approve=True)
