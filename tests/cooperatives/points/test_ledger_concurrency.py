"""Many bookings at once on the real PostgreSQL: 8 threads, each with its own connection,
book random transfers between a handful of accounts (so they collide on the same rows), some
with an idempotency key another thread sends too. Afterwards the books add up, every balance is
exactly what the booked transfers explain (no update lost), every key was booked once, no
limit was crossed, and no thread saw a deadlock or serialization failure (those are retried).

The threads need committed data, so the accounts live in a WIJ cooperative of this module's
own, dropped at the end; `alfa` and `beta` must come out untouched."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_tenants.utils import schema_context

from cooperatives.points import services as points
from cooperatives.points.models import Account, Posting, Transfer
from cooperatives.rules.services import rulebook_revise
from tests.factories import MemberFactory, decided, fresh_cooperative
from tests.state import books

D = Decimal


WORKERS = 8


OPERATIONS = 40  # per worker


SHARED_KEYS = 10  # keys that several workers send


Lines = list[tuple[Account, Decimal]]


@pytest.fixture(scope="module")
def crowd(coops, django_db_blocker) -> Iterator[str]:
    with fresh_cooperative(django_db_blocker, "gelijktijdig") as schema:
        yield schema


def open_accounts(schema: str, count: int, **limits: int) -> list[Account]:
    """``count`` new member accounts at 0, under a new rulebook version with ``limits``."""
    with schema_context(schema):
        rulebook_revise(actor=None, changes=limits, decision=decided())
        return [points.account_open(member=MemberFactory(schema=schema)) for _ in range(count)]


def random_lines(rng: random.Random, accounts: list[Account], top: int) -> Lines:
    """Two or three postings between random accounts, listed in random order (the ledger
    must lock them in its own fixed order)."""
    picked = rng.sample(accounts, rng.choice([2, 2, 3]))
    amounts = [D(rng.randint(1, top * 2)) / 2 for _ in picked[1:]]
    lines = [(picked[0], -sum(amounts)), *zip(picked[1:], amounts, strict=True)]
    rng.shuffle(lines)
    return lines


def run_workers(schema: str, work: Callable[[int, dict], None]) -> list[dict]:
    """Run ``work(worker, out)`` in WORKERS threads that start together, each with its own
    connection (closed at the end); returns what each collected."""
    results: list[dict] = [
        {"booked": [], "refused": Counter(), "errors": []} for _ in range(WORKERS)
    ]
    start = threading.Barrier(WORKERS, timeout=60)

    def worker(n: int) -> None:
        try:
            with schema_context(schema):
                start.wait()
                work(n, results[n])
        except Exception as error:  # reported below, so a thread never fails silently
            results[n]["errors"].append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    return results


def book(out: dict, call: Callable[[], Transfer], lines: Lines) -> None:
    try:
        transfer = call()
    except ValidationError as refusal:
        out["refused"].update(e.code for errs in refusal.error_dict.values() for e in errs)
    except Exception as error:  # a deadlock or serialization failure must never get here
        out["errors"].append(repr(error))
    else:
        entry = (transfer.idempotency_key, transfer.pk, [(a.pk, amount) for a, amount in lines])
        out["booked"].append(entry)


def check(schema: str, results: list[dict], accounts: list[Account]) -> dict[int, Decimal]:
    """The books after a run: returns the balances of ``accounts``."""
    assert [error for r in results for error in r["errors"]] == []
    booked = [entry for r in results for entry in r["booked"]]
    by_key: dict[str, set[int]] = {}
    effect: dict[int, list[tuple[int, Decimal]]] = {}
    for key, pk, lines in booked:
        by_key.setdefault(key, set()).add(pk)
        effect[pk] = lines
    # Each key booked once: every sender of a key got the same transfer.
    assert all(len(pks) == 1 for pks in by_key.values())
    expected = {a.pk: D(0) for a in accounts}
    for lines in effect.values():
        for pk, amount in lines:
            expected[pk] = expected.get(pk, D(0)) + amount
    stored = books(schema)  # sums to zero, each balance equals its postings
    with schema_context(schema):
        assert Transfer.objects.filter(pk__in=effect).count() == len(effect)
        assert Posting.objects.filter(transfer__in=effect).count() == sum(
            len(lines) for lines in effect.values()
        )
        for key, pks in by_key.items():
            assert list(
                Transfer.objects.filter(idempotency_key=key).values_list("pk", flat=True)
            ) == list(pks)
    # No update lost: every balance is exactly what the booked transfers explain.
    assert {pk: stored[pk] for pk in expected} == expected
    return {a.pk: stored[a.pk] for a in accounts}


def test_concurrent_transfers_collide_and_every_point_is_accounted_for(
    coops, crowd, django_db_blocker
):
    with django_db_blocker.unblock():
        session_books = {key: books(coop.schema) for key, coop in coops.items()}
        accounts = open_accounts(crowd, 4, min_balance=-1000, max_balance=1000)
        rng = random.Random(5)
        shared = {f"gedeeld-{i}": random_lines(rng, accounts, 10) for i in range(SHARED_KEYS)}

        def work(n: int, out: dict) -> None:
            rng = random.Random(100 + n)
            for i in range(OPERATIONS):
                if rng.random() < 0.25:
                    key = rng.choice(sorted(shared))
                    lines = shared[key]
                else:
                    key, lines = f"w{n}-{i}", random_lines(rng, accounts, 10)
                call = partial(
                    points.transfer_book,
                    kind=Transfer.Kind.GIFT,
                    postings=lines,
                    idempotency_key=key,
                )
                book(out, call, lines)

        results = run_workers(crowd, work)
        balances = check(crowd, results, accounts)
        sent = Counter(key for r in results for key, _pk, _l in r["booked"])
        assert {key for key in sent if key.startswith("gedeeld-")} == set(shared)
        assert max(sent[key] for key in shared) > 1  # keys really were sent more than once
        assert sum(len(r["booked"]) for r in results) == WORKERS * OPERATIONS
        assert all(-1000 <= b <= 1000 for b in balances.values())
        assert {key: books(coop.schema) for key, coop in coops.items()} == session_books


def test_limits_hold_when_many_bookings_arrive_at_once(coops, crowd, django_db_blocker):
    """Tight limits (-5..+5) and an empty solidarity pot: many bookings must be refused, and
    none may slip past a limit between another's check and its write."""
    with django_db_blocker.unblock():
        session_books = {key: books(coop.schema) for key, coop in coops.items()}
        accounts = open_accounts(crowd, 4, min_balance=-5, max_balance=5, starter_points=0)
        coordinator = MemberFactory(schema=crowd, name="Coby", roles=["coordinator"])
        with schema_context(crowd):
            members = [a.member for a in accounts]
            pot = points.system_account_open(kind=Account.Kind.SOLIDARITY)

        def work(n: int, out: dict) -> None:
            rng = random.Random(200 + n)
            for i in range(OPERATIONS):
                key, amount = f"krap-{n}-{i}", D(rng.randint(1, 8)) / 2
                which = rng.randrange(len(accounts))
                choice = rng.random()
                if choice < 0.2:
                    lines = [(accounts[which], -amount), (pot, amount)]
                    call = partial(
                        points.points_donate, member=members[which], amount=amount, key=key
                    )
                elif choice < 0.45:
                    lines = [(pot, -amount), (accounts[which], amount)]
                    call = partial(
                        points.points_grant,
                        actor=coordinator,
                        member=members[which],
                        amount=amount,
                        reason="Hulp",
                        key=key,
                    )
                else:
                    lines = random_lines(rng, accounts, 4)
                    call = partial(
                        points.transfer_book,
                        kind=Transfer.Kind.GIFT,
                        postings=lines,
                        idempotency_key=key,
                    )
                book(out, call, lines)

        results = run_workers(crowd, work)
        balances = check(crowd, results, [*accounts, pot])
        refused = sum((r["refused"] for r in results), Counter())
        assert set(refused) <= {"below_minimum", "above_maximum", "pot_empty"}
        assert refused["below_minimum"] + refused["above_maximum"] > 0
        assert refused["pot_empty"] > 0
        assert all(-5 <= balances[a.pk] <= 5 for a in accounts)
        assert balances[pot.pk] >= 0
        assert {key: books(coop.schema) for key, coop in coops.items()} == session_books


def test_a_deadlock_with_another_transaction_is_retried_not_shown(coops, crowd, django_db_blocker):
    """Another transaction holds account Y and then asks for X, while a booking holds X (it
    locks in id order) and waits for Y: PostgreSQL breaks the cycle by failing the booking,
    which waited first. The booking is run again and succeeds; its caller never sees it."""
    with django_db_blocker.unblock():
        x, y = open_accounts(crowd, 2, min_balance=-50, max_balance=50)
        holding, booking_waits, done = threading.Event(), threading.Event(), threading.Event()
        outsider: list[str] = []

        def other_transaction() -> None:
            try:
                with schema_context(crowd), transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT 1 FROM points_account WHERE id = %s FOR UPDATE", [y.pk])
                    holding.set()
                    # Ask for X only once the booking holds it and waits for Y.
                    while not booking_waits.is_set():
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                            " current_database() AND wait_event_type = 'Lock'"
                        )
                        if cursor.fetchone()[0]:
                            booking_waits.set()
                        else:
                            done.wait(0.01)
                    cursor.execute("SELECT 1 FROM points_account WHERE id = %s FOR UPDATE", [x.pk])
                outsider.append("committed")
            except Exception as error:
                outsider.append(repr(error))
            finally:
                connection.close()

        thread = threading.Thread(target=other_transaction)
        with mock.patch.object(points.time, "sleep", wraps=points.time.sleep) as pause:
            thread.start()
            assert holding.wait(30)
            with schema_context(crowd):
                transfer = points.transfer_book(
                    kind=Transfer.Kind.GIFT,
                    postings=[(x, "-3"), (y, "3")],
                    idempotency_key="impasse",
                )
        thread.join(30)
        assert outsider == ["committed"]
        assert pause.call_count == 1  # one deadlock, one retry
        with schema_context(crowd):
            assert transfer.status == "booked"
            assert Transfer.objects.filter(idempotency_key="impasse").count() == 1
            stored = dict(Account.objects.filter(pk__in=[x.pk, y.pk]).values_list("pk", "balance"))
        assert stored == {x.pk: D("-3.00"), y.pk: D("3.00")}
        books(crowd)
