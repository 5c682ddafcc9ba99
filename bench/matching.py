"""Time the suggested volunteers for a request in a large cooperative.

    .venv/bin/python bench/matching.py [--members 5000] [--volunteers 1500] [--services 20000]
                                       [--requests 200] [--warmup 20] [--seed 7] [--keep]

Runs against a database of its own, ``noaber_bench_matching``, dropped and recreated at the
start and dropped again at the end (unless --keep), chosen like bench/signup.py: DATABASE_URL
with the database name replaced, else postgres://postgres@127.0.0.1:5432, else the embedded
PostgreSQL.

One cooperative is signed up through ``tenants.services.cooperative_sign_up`` (template
"oost"), then filled with bulk inserts: the 15 Oost buurten with their borders, members
(volunteers with clusters, availability, languages and talents; offers with every reach), past
services spread over the last year (confirmed, most of them rated) and open requests with a few
"ik help" answers. After ANALYZE (what autovacuum does on a live server), each open request is
loaded as the request page loads it and ``suggest_volunteers`` is timed for it, after a warm-up.

The output is a report: the exit code is 0 whether the target is met or not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal

import benchdb

BENCH_DB = "noaber_bench_matching"
SLUG = "bench-matching"
TARGET_P95_MS = 50.0


# --------------------------------------------------------------------------- the cooperative

LANGUAGES = [("Nederlands", 1.0), ("Engels", 0.3), ("Turks", 0.08), ("Arabisch", 0.06)]
TALENTS = [
    "boodschappen doen",
    "tuinieren",
    "koken",
    "computerhulp",
    "fietsen repareren",
    "autorijden",
    "wandelen",
    "administratie",
    "klussen",
    "voorlezen",
]
TITLES = [
    "Boodschappen doen",
    "Hulp in de tuin",
    "Samen wandelen",
    "Vervoer naar het ziekenhuis",
    "Lamp ophangen",
    "Hulp met de computer",
    "Afval wegbrengen",
    "Een kopje koffie en een praatje",
]


def build(*, rng: random.Random, members: int, volunteers: int, services: int, requests: int):
    """Fill the signed-up cooperative; returns the ids of the open requests to time."""
    from cooperatives.marketplace.models import HelpRequest, HelpResponse, Offer, Reach, Service
    from cooperatives.members.models import AVAILABILITY_CHOICES, DAY_PARTS, Member, RoleAssignment
    from cooperatives.setup.models import Cluster, Neighbourhood
    from noaber.demo import OOST_BUURTEN

    today = dt.date.today()
    clusters = list(Cluster.objects.filter(is_active=True))
    buurten = Neighbourhood.objects.bulk_create(
        Neighbourhood(name=name, network_name=network, postcodes=[pc], streets=[s.lower()])
        for name, network, pc, (s, *_rest) in OOST_BUURTEN
    )
    # Each buurt borders the next two in the list (a rough strip of the city's east).
    through = Neighbourhood.adjacent.through
    pairs: set[tuple[int, int]] = set()
    for i, a in enumerate(buurten):
        for b in buurten[i + 1 : i + 3]:
            pairs |= {(a.pk, b.pk), (b.pk, a.pk)}
    through.objects.bulk_create(
        through(from_neighbourhood_id=a, to_neighbourhood_id=b) for a, b in pairs
    )
    streets = {
        b.pk: [(f"{b.name.split()[0]}straat {k}", b.postcodes[0]) for k in range(12)]
        for b in buurten
    }

    people = []
    for i in range(members):
        buurt = rng.choice(buurten)
        street, pc = rng.choice(streets[buurt.pk])
        is_volunteer = i < volunteers
        people.append(
            Member(
                name=f"Lid {i:05d}",
                street=street,
                house_number=str(rng.randint(1, 200)),
                postcode=pc + rng.choice(["AA", "AB", "BC", "CD"]),
                neighbourhood=buurt,
                languages=[lang for lang, share in LANGUAGES if rng.random() < share],
                talents=rng.sample(TALENTS, rng.randint(0, 3)) if is_volunteer else [],
                availability=[
                    code for code, _label in rng.sample(AVAILABILITY_CHOICES, rng.randint(2, 7))
                ]
                if is_volunteer
                else [],
            )
        )
    people = Member.objects.bulk_create(people, batch_size=2000)
    helpers, others = people[:volunteers], people[volunteers:]
    roles = ["volunteer"] * 90 + ["neighbourhood_assistant"] * 6 + ["coordinator"] * 4
    RoleAssignment.objects.bulk_create(
        (RoleAssignment(member=m, role=rng.choice(roles)) for m in helpers), batch_size=2000
    )
    help_through = Member.help_clusters.through
    help_through.objects.bulk_create(
        (
            help_through(member_id=m.pk, cluster_id=c.pk)
            for m in helpers
            for c in rng.sample(clusters, rng.randint(1, 3))
        ),
        batch_size=5000,
    )
    Offer.objects.bulk_create(
        Offer(
            volunteer=m,
            cluster=rng.choice(clusters),
            description="Ik help graag",
            availability=m.availability[:3],
            reach=rng.choice(Reach.values),
            renew_by=today + dt.timedelta(days=90),
        )
        for m in rng.sample(helpers, volunteers // 4)
    )

    # Past services: one closed request each, confirmed, spread over the last year.
    past = HelpRequest.objects.bulk_create(
        (
            HelpRequest(
                requester=(requester := rng.choice(others)),
                created_by=requester,
                cluster=rng.choice(clusters),
                title=rng.choice(TITLES),
                expected_hours=Decimal("1.0"),
                street=requester.street,
                postcode=requester.postcode,
                neighbourhood_id=requester.neighbourhood_id,
                status=HelpRequest.Status.CLOSED,
            )
            for _ in range(services)
        ),
        batch_size=2000,
    )
    Service.objects.bulk_create(
        (
            Service(
                request=r,
                requester_id=r.requester_id,
                volunteer=rng.choice(helpers),
                cluster_id=r.cluster_id,
                status=Service.Status.CONFIRMED,
                date=today - dt.timedelta(days=rng.randint(1, 365)),
                start_time=dt.time(rng.randint(9, 19), 0),
                planned_hours=Decimal("1.0"),
                registered_hours=Decimal("1.0"),
                rating=rng.choice([None, 3, 4, 4, 5, 5, 5]),
            )
            for r in past
        ),
        batch_size=2000,
    )

    parts = [code for code, _label in DAY_PARTS]
    open_requests = HelpRequest.objects.bulk_create(
        HelpRequest(
            requester=(requester := rng.choice(others)),
            created_by=requester,
            cluster=rng.choice(clusters),
            title=rng.choice(TITLES),
            expected_hours=Decimal("1.5"),
            street=requester.street,
            postcode=requester.postcode,
            neighbourhood_id=requester.neighbourhood_id,
            preferred_dates=sorted(
                {today + dt.timedelta(days=rng.randint(1, 21)) for _ in range(rng.randint(0, 3))}
            ),
            preferred_parts=rng.sample(parts, rng.randint(0, 2)),
        )
        for _ in range(requests)
    )
    HelpResponse.objects.bulk_create(
        HelpResponse(request=r, volunteer=v)
        for r in open_requests
        for v in rng.sample(helpers, rng.randint(0, 3))
    )
    return [r.pk for r in open_requests]


# --------------------------------------------------------------------------- report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--volunteers", type=int, default=1500)
    parser.add_argument("--services", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=200, help="open requests to time")
    parser.add_argument("--warmup", type=int, default=20, help="untimed calls first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DB} database")
    args = parser.parse_args()
    if not 0 < args.volunteers < args.members or args.requests < 1 or args.services < 0:
        parser.error("need 0 < volunteers < members, requests >= 1 and services >= 0")

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
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from cooperatives.marketplace import selectors
    from cooperatives.marketplace.matching import suggest_volunteers
    from tenants.services import cooperative_sign_up

    db = settings.DATABASES["default"]
    print(
        f"Database: {db.get('NAME')} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        f" — {where}"
    )
    connection.ensure_connection()
    print(f"PostgreSQL server {connection.pg_version}; Python {sys.version.split()[0]}")

    try:
        t0 = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        result = cooperative_sign_up(
            name="Bench Matching",
            slug=SLUG,
            board_member_name="Bea Bestuur",
            email=f"bestuur@{SLUG}.example.nl",
            password="Zonnebloem-42!",
            template="oost",
        )
        schema = result.cooperative.schema_name
        print(f"migrate + sign-up (template oost): {time.perf_counter() - t0:.1f} s")

        rng = random.Random(args.seed)
        with schema_context(schema):
            t0 = time.perf_counter()
            request_ids = build(
                rng=rng,
                members=args.members,
                volunteers=args.volunteers,
                services=args.services,
                requests=args.requests,
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(
                f"built {args.members} members ({args.volunteers} volunteers), "
                f"{args.services} past services, {args.requests} open requests, "
                f"15 buurten: {time.perf_counter() - t0:.1f} s (ANALYZE included)"
            )

            loaded = [selectors.request_get(pk=pk) for pk in request_ids]
            for request in rng.choices(loaded, k=args.warmup):
                suggest_volunteers(request=request)
            times = []
            for request in loaded:
                t0 = time.perf_counter()
                found = suggest_volunteers(request=request)
                times.append((time.perf_counter() - t0) * 1000)
                assert found, f"no suggestions for request {request.pk}"
            query_counts = set()
            for request in loaded[:20]:
                with CaptureQueriesContext(connection) as queries:
                    suggest_volunteers(request=request)
                query_counts.add(len(queries))

        p95 = benchdb.percentile(times, 95)
        print()
        print(f"{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'mean ms':>10}{'queries':>10}")
        print(
            f"{len(times):>5}{statistics.median(times):>10.1f}{p95:>10.1f}{max(times):>10.1f}"
            f"{statistics.fmean(times):>10.1f}{'/'.join(map(str, sorted(query_counts))):>10}"
        )
        print("(one call: suggest_volunteers(request=..., limit=10) on a request loaded like the")
        print(" request page loads it; queries per call counted on 20 calls)")
        print()
        verdict = "PASS" if p95 <= TARGET_P95_MS else "FAIL"
        print(f"{verdict}: p95 {p95:.1f} ms (target <= {TARGET_P95_MS:.0f} ms)")
    finally:
        if args.keep:
            print(f"database {BENCH_DB} kept (--keep)")
        else:
            benchdb.drop_database(BENCH_DB)
            print(f"database {BENCH_DB} dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
