"""Reading stored state back, for the checks of several test modules: snapshots to show that a
refusal changed nothing, the audit log's actions, and the books of the points ledger (which
must add up after anything that books)."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django_tenants.utils import schema_context

from billing.klussen.models import KlusPayment
from cooperatives.joining.models import Application, Invitation
from cooperatives.marketplace.models import CompensationDue, Service
from cooperatives.members.models import Member
from cooperatives.points.models import Account, Posting, Transfer
from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_latest
from cooperatives.setup.models import Cluster
from shared.accounts.models import User
from shared.audit.models import AuditEntry
from tenants.models import Cooperative, Domain

# --- anywhere -----------------------------------------------------------------------------------


def board_member(coop) -> Member:
    """The board member who signed the cooperative up."""
    with schema_context(coop.schema):
        return Member.objects.get(email=coop.board_email)


def cluster_named(coop, name: str) -> Cluster:
    with schema_context(coop.schema):
        return Cluster.objects.get(name=name)


def count_rows(coop, model) -> int:
    with schema_context(coop.schema):
        return model.objects.count()


def table_snapshot(schema: str, model) -> list[tuple]:
    """Every row of ``model``'s table, in id order."""
    with schema_context(schema):
        return sorted(model.objects.values_list(), key=lambda row: row[0])


def audit_actions(schema: str, since: int = 0) -> list[str]:
    """The actions logged after the entry with id ``since``, in order."""
    with schema_context(schema):
        return list(
            AuditEntry.objects.filter(id__gt=since).order_by("id").values_list("action", flat=True)
        )


def last_audit_id(schema: str) -> int:
    with schema_context(schema):
        last = AuditEntry.objects.order_by("-id").first()
        return last.pk if last else 0


def latest_version(schema: str) -> int:
    """The number of the newest rulebook version."""
    with schema_context(schema):
        return rulebook_latest().version


def rulebook_versions(coop) -> list[int]:
    """The numbers of every rulebook version, in order."""
    with schema_context(coop.schema):
        return list(Rulebook.objects.order_by("version").values_list("version", flat=True))


def registry_snapshot() -> tuple[int, int, list[str]]:
    """The cooperatives, their domains and the cooperatives' schemas in PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'coop_%%' ORDER BY 1")
        schemas = [row[0] for row in cursor.fetchall()]
    return Cooperative.objects.count(), Domain.objects.count(), schemas


# --- members and joining ------------------------------------------------------------------------


def member_snapshot(schema: str, pk: int) -> dict:
    """Everything about a member that a refused or invalid request must leave as it was."""
    with schema_context(schema):
        m = Member.objects.get(pk=pk)
        return {
            **{f: getattr(m, f) for f in ("name", "phone", "postcode", "email", "status")},
            "neighbourhood": m.neighbourhood_id,
            "roles": sorted(m.current_roles()),
            "user": m.user_id,
            "audit": AuditEntry.objects.count(),
        }


def joining_counts(schema: str) -> dict[str, int]:
    """What joining can create, to show that a refusal created nothing."""
    with schema_context(schema):
        return {
            "applications": Application.objects.count(),
            "decided": Application.objects.exclude(status="pending").count(),
            "members": Member.objects.count(),
            "users": User.objects.count(),
            "invitations": Invitation.objects.count(),
            "used": Invitation.objects.exclude(used_at=None).count(),
            "audit": AuditEntry.objects.count(),
        }


# --- the marketplace and klussen ----------------------------------------------------------------


def service_stored(coop, service: Service) -> Service:
    with schema_context(coop.schema):
        return Service.objects.get(pk=service.pk)


def dues(coop, service: Service) -> list[tuple]:
    """What a confirmed service owes: one row per kind."""
    with schema_context(coop.schema):
        return [
            (d.kind, d.amount, d.cooperative_share, d.payer_id, d.payee_id, d.rulebook_id, d.status)
            for d in CompensationDue.objects.filter(service=service).order_by("kind")
        ]


def payment_stored(coop, payment: KlusPayment) -> KlusPayment:
    with schema_context(coop.schema):
        return KlusPayment.objects.get(pk=payment.pk)


def payment_snapshot(coop, payment: KlusPayment) -> tuple:
    """A klus payment and its euro due, as far as settling them changes them."""
    with schema_context(coop.schema):
        p = KlusPayment.objects.get(pk=payment.pk)
        due = CompensationDue.objects.get(pk=p.due_id)
        return (p.status, p.method, p.paid_at, p.confirmed_by_id, due.status, due.settled_at)


def due_status(coop, payment: KlusPayment) -> str:
    with schema_context(coop.schema):
        return CompensationDue.objects.get(pk=payment.due_id).status


def payment_audit_actions(coop, payment: KlusPayment) -> list[str]:
    """The actions logged about one klus payment, in order."""
    with schema_context(coop.schema):
        return list(
            AuditEntry.objects.filter(target_type="klussen.kluspayment", target_id=str(payment.pk))
            .order_by("id")
            .values_list("action", flat=True)
        )


# --- the points ledger --------------------------------------------------------------------------


def books(schema: str) -> dict[int, Decimal]:
    """Every account's stored balance, after checking that the books of ``schema`` add up:
    the balances sum to zero, each equals the sum of its postings and its last posting's
    balance_after, and every transfer's postings sum to zero."""
    with schema_context(schema):
        balances = dict(Account.objects.values_list("pk", "balance"))
        posted = dict(
            Posting.objects.values("account").annotate(s=Sum("amount")).values_list("account", "s")
        )
        last = {
            p.account_id: p.balance_after
            for p in Posting.objects.order_by("account_id", "-id").distinct("account_id")
        }
        unbalanced = list(Posting.objects.values("transfer").annotate(s=Sum("amount")).exclude(s=0))
    assert sum(balances.values(), Decimal(0)) == 0
    for pk, balance in balances.items():
        assert balance == posted.get(pk, Decimal(0)) == last.get(pk, Decimal(0)), pk
    assert unbalanced == []
    return balances


def balance(coop, who: Member) -> Decimal:
    """A member's balance (0 without an account)."""
    with schema_context(coop.schema):
        account = Account.objects.filter(member=who).first()
        return account.balance if account else Decimal("0")


def pot(coop) -> Decimal:
    """The solidarity pot's balance."""
    with schema_context(coop.schema):
        account = Account.objects.filter(kind=Account.Kind.SOLIDARITY).first()
        return account.balance if account else Decimal("0")


def ledger_counts(schema: str) -> tuple[int, int]:
    """(transfers, postings): unchanged means nothing was booked."""
    with schema_context(schema):
        return Transfer.objects.count(), Posting.objects.count()


def account_balance(schema: str, member: Member) -> Decimal | None:
    """A member's stored balance, None when they have no account."""
    with schema_context(schema):
        return Account.objects.filter(member=member).values_list("balance", flat=True).first()


def points_account(schema: str, member: Member) -> int:
    with schema_context(schema):
        return Account.objects.get(member=member).pk


def postings_of(schema: str, transfer: Transfer) -> list[tuple[int | None, str, Decimal]]:
    """(member id, account kind, amount) per posting, in booking order."""
    with schema_context(schema):
        return [
            (p.account.member_id, p.account.kind, p.amount)
            for p in transfer.postings.select_related("account").order_by("id")
        ]


def transfer_status(coop, transfer: Transfer) -> str:
    with schema_context(coop.schema):
        return Transfer.objects.get(pk=transfer.pk).status


def payment_volunteer(coop, payment: Transfer) -> Member:
    """Who a pending service payment goes to."""
    with schema_context(coop.schema):
        return Account.objects.get(pk=payment.pending_postings[1][0]).member


# Tables that change on any request (sessions, django-axes' record of requests), whatever its
# answer: left out of ``database_fingerprint``.
_BUSY_TABLES = ("django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog")


def database_fingerprint(*schemas: str) -> dict[str, str]:
    """A checksum of every row of every table of the schemas (the public one included when
    named): equal before and after means nothing was written, not even an update."""
    found: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = ANY(%s) AND table_type = 'BASE TABLE'",
            [list(schemas)],
        )
        for schema, table in cursor.fetchall():
            if table in _BUSY_TABLES:
                continue
            name = f'"{schema}"."{table}"'
            # The names come from the catalog, not from input.
            digest_sql = "md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), ''))"
            cursor.execute(f"SELECT count(*), {digest_sql} FROM {name} t")
            count, digest = cursor.fetchone()
            found[name] = f"{count}:{digest}"
    return found
