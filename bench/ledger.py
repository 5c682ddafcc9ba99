"""Time booking points: transfers per second with 1 and with 8 concurrent workers.

    .venv/bin/python bench/ledger.py [--members 50] [--transfers 2000] [--workers 8]
                                     [--warmup 100] [--seed 11] [--keep]

Runs against a database of its own, ``noaber_bench_ledger``, dropped and recreated at the start
and dropped again at the end (unless --keep), chosen like bench/signup.py: DATABASE_URL with the
database name replaced, else postgres://postgres@127.0.0.1:5432, else the embedded PostgreSQL.

One cooperative is signed up through ``tenants.services.cooperative_sign_up`` (template "wij"),
its rulebook revised to wide limits (-100000..+100000, so no booking is refused and every one
does the full work), and filled with member accounts. Each transfer is a gift between two
random members through ``cooperatives.points.services.points_gift``, the function the pages and the
API call: accounts looked up, idempotency key checked, accounts locked in id order, limits
checked, postings and balances written, PostgreSQL's own checks at the commit. With several
workers each is a thread with its own database connection; with 50 accounts transfers collide
on the same rows now and then, as they would in a busy cooperative.

At the end the books are checked: the balances sum to zero and every balance equals the sum of
its postings ("drift"), and every transfer was booked. The output is a report: the exit code is
0 whether the target is met or not.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from decimal import Decimal

import benchdb

BENCH_DB = "noaber_bench_ledger"
SLUG = "bench-ledger"
TARGET_PER_SECOND = 500.0  # with the given number of workers


def build(*, members: int) -> list:
    """Wide limits and ``members`` members, each with an account (bulk inserts)."""
    from django.utils import timezone

    from cooperatives.governance.selectors import body_deciding
    from cooperatives.governance.services import decision_record
    from cooperatives.members.models import Member
    from cooperatives.points.models import Account
    from cooperatives.rules.services import rulebook_revise

    decision = decision_record(
        actor=None,
        body=body_deciding(subject="rules"),
        decided_on=timezone.localdate(),
        title="Ruime saldogrenzen (benchmark)",
        text="Ruime saldogrenzen voor de benchmark.",
        outcome="adopted",
    )
    rulebook_revise(
        actor=None, changes={"min_balance": -100000, "max_balance": 100000}, decision=decision
    )
    people = Member.objects.bulk_create(Member(name=f"Lid {i:03d}") for i in range(members))
    Account.objects.bulk_create(Account(kind=Account.Kind.MEMBER, member=m) for m in people)
    return people


def run(*, schema: str, people: list, transfers: int, workers: int, seed: int, tag: str):
    """Book ``transfers`` gifts over ``workers`` threads; returns (seconds, errors)."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from cooperatives.points.services import points_gift

    errors: list[str] = []
    start = threading.Barrier(workers + 1)

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        share = range(n, transfers, workers)
        try:
            with schema_context(schema):
                connection.ensure_connection()
                start.wait()
                for i in share:
                    giver, receiver = rng.sample(people, 2)
                    points_gift(
                        giver=giver,
                        receiver=receiver,
                        amount=Decimal(rng.randint(1, 20)) / 2,
                        key=f"{tag}-{i}",
                    )
        except Exception as error:  # counted and shown: the books must still add up
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - t0, errors


def books() -> tuple[int, int, Decimal, Decimal, int]:
    """(accounts, transfers, sum of balances, drift, postings) in the current schema."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), (SELECT count(*) FROM points_transfer),
                   COALESCE(sum(a.balance), 0),
                   COALESCE(sum(abs(a.balance - COALESCE(p.total, 0))), 0),
                   (SELECT count(*) FROM points_posting)
            FROM points_account a
            LEFT JOIN (SELECT account_id, sum(amount) AS total FROM points_posting
                       GROUP BY account_id) p ON p.account_id = a.id
            """
        )
        accounts, transfers, total, drift, postings = cursor.fetchone()
    return accounts, transfers, total.normalize(), drift.normalize(), postings


def queries_per_transfer(people: list, samples: int = 20) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cooperatives.points.services import points_gift

    counts = set()
    points_gift(giver=people[0], receiver=people[1], amount=Decimal("1"), key="count-first")
    for i in range(samples):
        with CaptureQueriesContext(connection) as queries:
            points_gift(
                giver=people[i], receiver=people[i + 1], amount=Decimal("1"), key=f"count-{i}"
            )
        counts.add(len(queries))
    return "/".join(map(str, sorted(counts)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--transfers", type=int, default=2000, help="per run")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=100, help="untimed transfers first")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DB} database")
    args = parser.parse_args()
    if args.members < 21 or args.transfers < 1 or args.workers < 1 or args.warmup < 0:
        parser.error("need members >= 21, transfers >= 1, workers >= 1, warmup >= 0")

    where = benchdb.choose_database(BENCH_DB)
    from django.conf import settings

    benchdb.recreate_database(BENCH_DB)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    import logging

    import django

    django.setup()
    for name in ("tenants.services", "celery"):
        logging.getLogger(name).setLevel(logging.WARNING)

    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.services import cooperative_sign_up

    db = settings.DATABASES["default"]
    print(
        f"Database: {db.get('NAME')} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        f" — {where}"
    )
    connection.ensure_connection()
    print(
        f"PostgreSQL server {connection.pg_version}; Python {sys.version.split()[0]}; "
        f"{os.cpu_count()} CPUs (server and workers share them)"
    )

    try:
        t0 = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        schema = cooperative_sign_up(
            name="Bench Ledger",
            slug=SLUG,
            board_member_name="Bea Bestuur",
            email=f"bestuur@{SLUG}.example.nl",
            password="Zonnebloem-42!",
            template="wij",
        ).cooperative.schema_name
        with schema_context(schema):
            people = build(members=args.members)
        print(
            f"migrate + sign-up (template wij) + {args.members} member accounts: "
            f"{time.perf_counter() - t0:.1f} s"
        )

        common = {"schema": schema, "people": people, "seed": args.seed}
        run(transfers=args.warmup, workers=1, tag="warmup", **common)
        with schema_context(schema):
            per_transfer = queries_per_transfer(people)
        connection.close()
        results = {}
        for workers in sorted({1, args.workers}):
            seconds, errors = run(
                transfers=args.transfers, workers=workers, tag=f"w{workers}", **common
            )
            results[workers] = (seconds, errors)

        with schema_context(schema):
            accounts, transfers, total, drift, postings = books()
        expected = args.warmup + 21 + args.transfers * len(results)

        print()
        print(f"{'workers':>8}{'transfers':>11}{'seconds':>10}{'per second':>12}{'errors':>8}")
        for workers, (seconds, errors) in results.items():
            rate = args.transfers / seconds
            print(f"{workers:>8}{args.transfers:>11}{seconds:>10.2f}{rate:>12.0f}{len(errors):>8}")
        for errors in (e for _s, e in results.values() if e):
            print(f"  first error: {errors[0]}")
        rate = {w: args.transfers / s for w, (s, _e) in results.items()}
        print(
            f"(one transfer: points_gift() between two random members of {args.members}; "
            f"{per_transfer} queries each, counted on 20)"
        )
        print(f"ratio {args.workers} workers / 1 worker: {rate[args.workers] / rate[1]:.2f}x")
        print()
        print(
            f"books: {accounts} accounts, {transfers} transfers (expected {expected}), "
            f"{postings} postings, sum of balances {total}, drift {drift}"
        )
        sound = total == 0 and drift == 0 and transfers == expected
        sound = sound and not any(e for _s, e in results.values())
        fast = rate[args.workers] >= TARGET_PER_SECOND
        print(
            f"{'PASS' if fast else 'FAIL'}: {rate[args.workers]:.0f} transfers per second with "
            f"{args.workers} workers (target >= {TARGET_PER_SECOND:.0f})"
        )
        print(f"{'PASS' if sound else 'FAIL'}: sum {total}, drift {drift}, every transfer booked")
        print(f"verdict: {'PASS' if fast and sound else 'FAIL'}")
    finally:
        if args.keep:
            print(f"database {BENCH_DB} kept (--keep)")
        else:
            benchdb.drop_database(BENCH_DB)
            print(f"database {BENCH_DB} dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
