"""PostgreSQL guards the books of the points ledger, whatever writes to them: postings are never
changed or removed, a transfer's postings sum to zero and each continues its account's
balance, and a stored balance always equals the postings. In `beta` (WIJ rules) while `alfa`
looks on."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from cooperatives.members.services import member_register_on_behalf
from cooperatives.points import services as points
from cooperatives.points.models import Account, Transfer
from tests.factories import MemberFactory, fresh_cooperative
from tests.state import account_balance, books, ledger_counts, points_account, postings_of

D = Decimal


def raw_transfer(cursor, key: str) -> int:
    cursor.execute(
        "INSERT INTO points_transfer (kind, status, idempotency_key, memo, pending_postings,"
        " created_at) VALUES ('correction', 'booked', %s, '', '[]', now()) RETURNING id",
        [key],
    )
    return cursor.fetchone()[0]


def raw_posting(cursor, transfer_id: int, account_id: int, amount: str, after: str) -> None:
    cursor.execute(
        "INSERT INTO points_posting (transfer_id, account_id, amount, balance_after, created_at)"
        " VALUES (%s, %s, %s, %s, now())",
        [transfer_id, account_id, amount, after],
    )


def test_a_posting_is_never_updated_deleted_or_truncated(alfa, beta):
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    alfa_books = books(alfa.schema)
    with schema_context(beta.schema):
        booked = points.points_gift(giver=a, receiver=b, amount="5", key="k1")
    before = postings_of(beta.schema, booked)
    assert before == [(a.pk, "member", D("-5.00")), (b.pk, "member", D("5.00"))]

    with schema_context(beta.schema), connection.cursor() as cursor:
        # Run the checks that wait for the commit now: PostgreSQL itself refuses a TRUNCATE
        # while they are pending, before the ledger's own guard is asked.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for sql in (
        "UPDATE points_posting SET amount = amount * 2",
        "UPDATE points_posting SET balance_after = 0 WHERE amount > 0",
        "DELETE FROM points_posting",
        "TRUNCATE points_posting",
    ):
        with (
            schema_context(beta.schema),
            pytest.raises(DatabaseError, match="nooit gewijzigd of verwijderd"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert postings_of(beta.schema, booked) == before
    assert books(beta.schema) == {
        points_account(beta.schema, a): D("-5.00"),
        points_account(beta.schema, b): D("5.00"),
    }
    assert books(alfa.schema) == alfa_books


def test_a_posting_must_continue_its_accounts_balance(alfa, beta):
    """The check runs at the insert itself: a balanced pair whose balance_after skips a
    step is refused, and nothing of it stays."""
    a, b = (
        MemberFactory(schema=beta.schema, name="Ans"),
        MemberFactory(schema=beta.schema, name="Bas"),
    )
    with schema_context(beta.schema):
        points.points_gift(giver=a, receiver=b, amount="5", key="k1")
        acc_a, acc_b = Account.objects.get(member=a), Account.objects.get(member=b)
        with (
            pytest.raises(IntegrityError, match="sluit niet aan"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            transfer_id = raw_transfer(cursor, "raw-chain")
            raw_posting(cursor, transfer_id, acc_a.pk, "-1", "-1")  # should be -6
            raw_posting(cursor, transfer_id, acc_b.pk, "1", "6")
        assert not Transfer.objects.filter(idempotency_key="raw-chain").exists()
    assert ledger_counts(beta.schema) == (1, 2)
    assert books(beta.schema) == {acc_a.pk: D("-5.00"), acc_b.pk: D("5.00")}
    assert books(alfa.schema) == {}


def test_an_unbalanced_insert_or_a_wrong_balance_fails_at_commit(coops, django_db_blocker):
    """Committed data in a cooperative of the test's own: the deferred checks run when the
    transaction commits, so the block raises as it ends and nothing of it stays."""
    with django_db_blocker.unblock():
        session_books = {key: books(coop.schema) for key, coop in coops.items()}
    with (
        fresh_cooperative(django_db_blocker, "grootboek") as schema,
        django_db_blocker.unblock(),
        schema_context(schema),
    ):
        a, b = MemberFactory(schema=schema, name="Ans"), MemberFactory(schema=schema, name="Bas")
        points.points_gift(giver=a, receiver=b, amount="5", key="k1")
        acc_a, acc_b = Account.objects.get(member=a), Account.objects.get(member=b)

        # One posting of +3, correctly chained, but no counter-posting.
        with (
            pytest.raises(IntegrityError, match="niet in evenwicht"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            transfer_id = raw_transfer(cursor, "raw-unbalanced")
            raw_posting(cursor, transfer_id, acc_a.pk, "3", "-2")
            cursor.execute("UPDATE points_account SET balance = -2 WHERE id = %s", [acc_a.pk])
        assert not Transfer.objects.filter(idempotency_key="raw-unbalanced").exists()
        assert ledger_counts(schema) == (1, 2)

        # A stored balance the postings do not explain.
        with (
            pytest.raises(IntegrityError, match="klopt niet met de boekingen"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE points_account SET balance = balance + 1 WHERE id = %s", [acc_b.pk]
            )
        assert books(schema) == {acc_a.pk: D("-5.00"), acc_b.pk: D("5.00")}

        # The same guards let a correct raw transfer through.
        with transaction.atomic(), connection.cursor() as cursor:
            transfer_id = raw_transfer(cursor, "raw-balanced")
            raw_posting(cursor, transfer_id, acc_a.pk, "-1", "-6")
            raw_posting(cursor, transfer_id, acc_b.pk, "1", "6")
            cursor.execute("UPDATE points_account SET balance = -6 WHERE id = %s", [acc_a.pk])
            cursor.execute("UPDATE points_account SET balance = 6 WHERE id = %s", [acc_b.pk])
        assert books(schema) == {acc_a.pk: D("-6.00"), acc_b.pk: D("6.00")}

        # A member registered and given starter points in one transaction, then two more
        # bookings on the same account before the commit: the stored balance is checked
        # as it stands at the commit, not as each row was first written.
        coordinator = MemberFactory(schema=schema, name="Coby", roles=["coordinator"])
        with transaction.atomic():
            newcomer = member_register_on_behalf(
                actor=coordinator,
                accept_privacy=True,
                accept_disclaimer=True,
                name="Nieuw Lid",
                phone="030 123 45 67",
            )
            points.points_gift(giver=newcomer, receiver=b, amount="2", key="1")
            points.points_gift(giver=newcomer, receiver=a, amount="3", key="2")
        assert account_balance(schema, newcomer) == D("5.00")
        assert books(schema)[acc_a.pk] == D("-3.00")
    with django_db_blocker.unblock():
        assert {key: books(coop.schema) for key, coop in coops.items()} == session_books
