"""A hypothesis state machine drives the points services of `beta` (WIJ: balances -20..+20)
through random runs of earn, spend, gift, donate, grant, reverse and erase, against a model of
what each should do. After every step the books must add up (the balances sum to zero, each
equals its postings), no member may be outside the limits, and the database must hold exactly
the model's balances, so a refused operation changed nothing. `alfa` stays untouched.

Each run happens in a savepoint of the test transaction that is rolled back at its end, so runs
start from the same empty ledger. The database's own checks wait for a commit that never comes
inside a test, so every step first switches them to immediate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_tenants.utils import schema_context
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from cooperatives.members.models import Member
from cooperatives.members.services import member_erase
from cooperatives.points import services as points
from cooperatives.points.models import Account, Posting, Transfer
from tests.factories import MemberFactory
from tests.state import board_member, books

D = Decimal


MEMBERS = 4


LOWEST, HIGHEST = D(-20), D(20)  # the WIJ template's limits


AMOUNT = st.integers(1, 30).map(lambda n: D(n) / 2)  # 0,5 .. 15 points


HOURS = st.integers(1, 8).map(lambda n: D(n) / 2)  # 0,5 .. 4 hours, 2 points an hour


ONE = st.integers(0, MEMBERS - 1)


# Two different members.
PAIR = st.tuples(ONE, st.integers(1, MEMBERS - 1)).map(lambda t: (t[0], (t[0] + t[1]) % MEMBERS))


class LedgerMachine(RuleBasedStateMachine):
    coop = None  # set by the test

    def __init__(self) -> None:
        super().__init__()
        self.run = transaction.atomic()
        self.run.__enter__()
        self.in_schema = schema_context(self.coop.schema)
        self.in_schema.__enter__()
        self.board = board_member(self.coop)
        self.coordinator = MemberFactory(
            schema=self.coop.schema, name="Coby", roles=["coordinator"]
        )
        self.members = [
            MemberFactory(schema=self.coop.schema, name=f"Lid {i}") for i in range(MEMBERS)
        ]
        self.erased: set[int] = set()
        # The model: every account's balance by name, and the booked transfers that may be
        # reversed, with their postings by account name.
        self.accounts = {f"m{i}": points.account_open(member=m) for i, m in enumerate(self.members)}
        for kind in ("issuance", "share", "solidarity"):
            self.accounts[kind] = points.system_account_open(kind=kind)
        self.name_of = {account.pk: name for name, account in self.accounts.items()}
        self.balance = dict.fromkeys(self.accounts, D(0))
        self.booked: list[tuple[Transfer, list[tuple[str, Decimal]]]] = []
        self.reversed: dict[int, int] = {}
        self.last_gift: tuple[int, int, Decimal, str, int] | None = None
        self.keys = 0

    def teardown(self) -> None:
        self.in_schema.__exit__(None, None, None)
        transaction.set_rollback(True)
        self.run.__exit__(None, None, None)

    # --- the model ------------------------------------------------------------------------------

    def key(self) -> str:
        self.keys += 1
        return f"sm-{self.keys}"

    def refusal(self, lines: list[tuple[str, Decimal]]) -> str | None:
        """The code a booking of ``lines`` must be refused with, or None. Net per account, in
        the order of the lines, as the ledger checks them."""
        net: dict[str, Decimal] = {}
        for name, amount in lines:
            net[name] = net.get(name, D(0)) + amount
        for name, amount in net.items():
            new = self.balance[name] + amount
            if name == "solidarity" and amount < 0 and new < 0:
                return "pot_empty"
            if name.startswith("m") and amount < 0 and new < LOWEST:
                return "below_minimum"
            if name.startswith("m") and amount > 0 and new > HIGHEST:
                return "above_maximum"
        return None

    def snapshot(self) -> tuple[int, int, dict[int, Decimal]]:
        return (
            Transfer.objects.count(),
            Posting.objects.count(),
            dict(Account.objects.values_list("pk", "balance")),
        )

    def attempt(self, call, *, refused: str | None, lines: list[tuple[str, Decimal]]):
        """Run ``call`` in a savepoint. It must be refused with code ``refused`` (and change
        nothing) or, with None, book ``lines``, which the model then applies."""
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        before = self.snapshot()
        try:
            with transaction.atomic():
                result = call()
        except ValidationError as error:
            codes = [e.code for errors in error.error_dict.values() for e in errors]
            assert codes == [refused], (codes, refused)
            assert self.snapshot() == before
            return None
        assert refused is None, f"booked, but expected a refusal: {refused}"
        for name, amount in lines:
            self.balance[name] += amount
        return result

    def member_at(self, index: int) -> tuple[str, Member]:
        return f"m{index}", self.members[index]

    def active(self, index: int) -> bool:
        return index not in self.erased

    # --- the rules ------------------------------------------------------------------------------

    @rule(pair=PAIR, hours=HOURS, approve=st.booleans())
    def earn(self, pair, hours, approve):
        """A service payment that waits for the requester's approval, which books it, or a
        rejection, which books nothing."""
        (payer, p), (payee, _q) = self.member_at(pair[0]), self.member_at(pair[1])
        if not self.active(pair[0]):
            return
        lines = [(payer, -2 * hours), (payee, 2 * hours)]
        pending = self.attempt(
            lambda: points.transfer_book(
                kind=Transfer.Kind.SERVICE,
                postings=[(self.accounts[n], a) for n, a in lines],
                idempotency_key=self.key(),
                pending=True,
            ),
            refused=None,
            lines=[],
        )
        assert pending.status == Transfer.Status.PENDING
        refused = self.refusal(lines) if approve else None
        decided = self.attempt(
            lambda: points.transfer_decide(actor=p, transfer=pending, approve=approve),
            refused=refused,
            lines=lines if approve else [],
        )
        if decided is not None and approve:
            self.booked.append((decided, lines))

    @rule(pair=PAIR, hours=HOURS)
    def spend(self, pair, hours):
        """A member pays for a return service, booked at once."""
        (payer, _p), (payee, _q) = self.member_at(pair[0]), self.member_at(pair[1])
        if not self.active(pair[0]):
            return
        lines = [(payer, -2 * hours), (payee, 2 * hours)]
        booked = self.attempt(
            lambda: points.transfer_book(
                kind=Transfer.Kind.SERVICE,
                postings=[(self.accounts[n], a) for n, a in lines],
                idempotency_key=self.key(),
            ),
            refused=self.refusal(lines),
            lines=lines,
        )
        if booked is not None:
            self.booked.append((booked, lines))

    @rule(pair=PAIR, amount=AMOUNT)
    def gift(self, pair, amount):
        (giver, g), (receiver, r) = self.member_at(pair[0]), self.member_at(pair[1])
        if not self.active(pair[0]):
            return
        lines = [(giver, -amount), (receiver, amount)]
        key = self.key()
        booked = self.attempt(
            lambda: points.points_gift(giver=g, receiver=r, amount=amount, key=key),
            refused="inactive" if not self.active(pair[1]) else self.refusal(lines),
            lines=lines,
        )
        if booked is not None:
            self.booked.append((booked, lines))
            self.last_gift = (pair[0], pair[1], amount, key, booked.pk)

    @precondition(lambda self: self.last_gift is not None)
    @rule()
    def gift_again(self):
        """The same gift sent twice (a double click) returns the first and books nothing."""
        giver, receiver, amount, key, pk = self.last_gift
        again = self.attempt(
            lambda: points.points_gift(
                giver=self.members[giver], receiver=self.members[receiver], amount=amount, key=key
            ),
            refused=None if self.active(receiver) else "inactive",
            lines=[],
        )
        assert again is None or again.pk == pk

    @rule(index=ONE, amount=AMOUNT)
    def donate(self, index, amount):
        name, member = self.member_at(index)
        if not self.active(index):
            return
        lines = [(name, -amount), ("solidarity", amount)]
        booked = self.attempt(
            lambda: points.points_donate(member=member, amount=amount, key=self.key()),
            refused=self.refusal(lines),
            lines=lines,
        )
        if booked is not None:
            self.booked.append((booked, lines))

    @rule(index=ONE, amount=AMOUNT)
    def grant(self, index, amount):
        name, member = self.member_at(index)
        lines = [("solidarity", -amount), (name, amount)]
        booked = self.attempt(
            lambda: points.points_grant(
                actor=self.coordinator,
                member=member,
                amount=amount,
                reason="Kan niets terugdoen",
                key=self.key(),
            ),
            refused="inactive" if not self.active(index) else self.refusal(lines),
            lines=lines,
        )
        if booked is not None:
            self.booked.append((booked, lines))

    @precondition(lambda self: self.booked)
    @rule(which=st.integers(0, 10**6))
    def reverse(self, which):
        """The board reverses an earlier transfer. A second reversal of the same one returns
        the first and books nothing."""
        original, lines = self.booked[which % len(self.booked)]
        if original.pk in self.reversed:
            again = self.attempt(
                lambda: points.transfer_reverse(
                    actor=self.board, transfer=original, reason="Nog eens"
                ),
                refused=None,
                lines=[],
            )
            assert again.pk == self.reversed[original.pk]
            return
        mirrored = [(name, -amount) for name, amount in lines]
        reversal = self.attempt(
            lambda: points.transfer_reverse(
                actor=self.board, transfer=original, reason="Vergissing"
            ),
            refused=self.refusal(mirrored),
            lines=mirrored,
        )
        if reversal is not None:
            assert reversal.reverses_id == original.pk
            self.reversed[original.pk] = reversal.pk

    @precondition(lambda self: len(self.erased) < 2)  # keep members to book between
    @rule(index=ONE)
    def erase(self, index):
        """Erasing keeps the member's account and postings; only their name goes."""
        _name, member = self.member_at(index)
        erased = self.attempt(
            lambda: member_erase(actor=self.board, member=member),
            refused="invalid" if index in self.erased else None,
            lines=[],
        )
        if erased is not None:
            self.members[index] = erased
            self.erased.add(index)

    # --- what must hold after every step --------------------------------------------------------

    @invariant()
    def books_add_up_and_match_the_model(self):
        stored = books(self.coop.schema)  # sums to zero, each balance equals its postings
        assert {self.name_of[pk]: balance for pk, balance in stored.items()} == self.balance

    @invariant()
    def no_member_outside_the_limits(self):
        for name, balance in self.balance.items():
            if name.startswith("m"):
                assert LOWEST <= balance <= HIGHEST, (name, balance)


@pytest.mark.timeout(600)
def test_the_ledger_keeps_every_point_under_random_operations(alfa, beta):
    alfa_books = books(alfa.schema)
    LedgerMachine.coop = beta
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(max_examples=25, stateful_step_count=20, deadline=None),
    )
    assert books(alfa.schema) == alfa_books
    assert books(beta.schema) == {}
