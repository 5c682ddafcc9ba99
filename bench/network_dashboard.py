"""Time a network's dashboard page and its CSV download for a network of 500 cooperatives.

    .venv/bin/python bench/network_dashboard.py [--cooperatives 500] [--months 13]
                                                [--samples 60] [--warmup 5] [--keep]

Runs against a database of its own, ``noaber_bench_dashboard``, dropped and recreated at the
start and dropped again at the end (unless --keep), chosen like bench/signup.py: DATABASE_URL
with the database name replaced, else postgres://postgres@127.0.0.1:5432, else the embedded
PostgreSQL.

Only the public schema is migrated: the dashboards read the public registry, the memberships
and the aggregate ``Figure`` rows, never a cooperative's schema, so the cooperatives are rows
without a schema. Each one is a member of one network sharing every group, and has a full set
of figure cells (the dashboard's, by member kind, by cluster, the six wellbeing dimensions;
some suppressed) for every month, written with bulk inserts, plus a finished run. After
ANALYZE (what autovacuum does on a live server) a network analyst, past the second factor,
asks for the dashboard of the latest month (its first page of 50 cooperatives, with the
totals over all 500) and its CSV (every shared cell of the month: 35 a cooperative) through
Django's test client, with templates cached as in production. Each is timed twice: drawn anew
(the kept copies dropped before each request, as the first request after a nightly run finds
them) and from the kept copy (every later request until the next run). The p50 and p95 of
each are printed against the target, as wall-clock time (other work on the machine shows in
it: the load average is printed) and as CPU time of the Django process plus its PostgreSQL
backend (what the request costs on an idle machine).

The output is a report: the exit code is 0 whether the target is met or not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import benchdb

BENCH_DB = "noaber_bench_dashboard"
TARGET_P95_MS = 200.0
CLUSTERS = ["Vervoer", "Klussen in huis", "Boodschappen", "Gezelschap", "Administratie"]


def months_back(count: int) -> list[dt.date]:
    month = dt.date.today().replace(day=1)
    found = [month]
    while len(found) < count:
        month = (month - dt.timedelta(days=1)).replace(day=1)
        found.append(month)
    return found[::-1]


def month_cells(rng: random.Random) -> list[tuple[str, str, str, Decimal | None]]:
    """One cooperative's cells for one month: (group, metric, dimension, value or None)."""
    members = rng.randint(40, 900)
    services = [rng.randint(0, 60) for _cluster in CLUSTERS]
    cells: list[tuple[str, str, str, Decimal | None]] = [
        ("members", "members", "", Decimal(members)),
        ("members", "members", "resident", Decimal(members - 6)),
        ("members", "members", "organisation", Decimal(6)),
        ("members", "joined", "", Decimal(rng.randint(0, 20))),
        ("members", "left", "", Decimal(rng.randint(0, 9))),
        ("members", "active_volunteers", "", Decimal(rng.randint(3, 120))),
        ("help", "requests", "", Decimal(sum(services) + rng.randint(0, 12))),
        ("help", "services", "", Decimal(sum(services))),
        ("help", "hours", "", Decimal(sum(services)) * Decimal("1.5")),
        ("help", "same_street_share", "", Decimal(rng.randint(50, 450)) / 10),
        ("help", "same_buurt_share", "", Decimal(rng.randint(200, 900)) / 10),
        ("help", "median_days_to_match", "", Decimal(rng.randint(2, 80)) / 10),
        ("help", "members_helped", "", Decimal(rng.randint(5, 90))),
        ("help", "repeat_help", "", Decimal(rng.randint(0, 40))),
        ("feedback", "ratings", "", Decimal(rng.randint(0, 60))),
        ("feedback", "average_rating", "", Decimal(rng.randint(30, 50)) / 10),
        ("points", "in_circulation", "", Decimal(rng.randint(100, 9000))),
        ("klussen", "euros", "", Decimal(rng.randint(0, 200000)) / 100),
        ("klussen", "hours", "", Decimal(rng.randint(0, 900)) / 10),
    ]
    for cluster, n in zip(CLUSTERS, services, strict=True):
        cells.append(("help", "services", cluster, Decimal(n)))
        cells.append(("help", "hours", cluster, Decimal(n) * Decimal("1.5")))
    from cooperatives.surveys.positive_health import DIMENSIONS

    for dimension in (d.key for d in DIMENSIONS):
        cells.append(("wellbeing", "score", dimension, Decimal(rng.randint(40, 90)) / 10))
    # Counts under five are stored suppressed, as the nightly run stores them.
    return [
        (
            group,
            metric,
            dimension,
            None
            if value is not None
            and value < 5
            and metric in ("members", "joined", "left", "services", "requests", "ratings")
            else value,
        )
        for group, metric, dimension, value in cells
    ]


def build(*, rng: random.Random, cooperatives: int, months: int):
    """The network, its analyst, the cooperatives with their memberships and figures."""
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cooperatives.figures.catalog import GROUP_KEYS
    from shared.accounts.models import User
    from tenants.figures.models import Figure, FigureRun
    from tenants.models import Cooperative, Network
    from tenants.networks.models import Membership, NetworkRole

    now = timezone.now()
    network = Network.objects.create(name="Bench-netwerk", slug="bench", tier=Network.Tier.NATIONAL)
    user = User.objects.create_user("analist@bench.example.nl", None, full_name="Bench Analist")
    NetworkRole.objects.create(user=user, network=network, role=NetworkRole.Role.ANALYST)
    device = TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
    coops = Cooperative.objects.bulk_create(
        Cooperative(
            name=f"Wijkcoöperatie {n:03d}", slug=f"bench-{n:03d}", schema_name=f"bench_{n:03d}"
        )
        for n in range(cooperatives)
    )
    Membership.objects.bulk_create(
        Membership(
            network=network,
            cooperative=coop,
            status=Membership.Status.ACTIVE,
            initiated_by=Membership.Side.COOPERATIVE,
            share_groups=list(GROUP_KEYS),
            started_at=now,
        )
        for coop in coops
    )
    FigureRun.objects.bulk_create(
        FigureRun(cooperative=coop, status=FigureRun.Status.DONE, finished_at=now, cells=0)
        for coop in coops
    )
    total = 0
    for month in months_back(months):
        rows = [
            Figure(
                cooperative=coop,
                month=month,
                group=group,
                metric=metric,
                dimension=dimension,
                value=value,
                suppressed=value is None,
                computed_at=now,
            )
            for coop in coops
            for group, metric, dimension, value in month_cells(rng)
        ]
        Figure.objects.bulk_create(rows, batch_size=5000)
        total += len(rows)
    return network, user, device, total


def backend_cpu_seconds(connection) -> float:
    """CPU time used so far by the PostgreSQL backend serving this connection (same machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_get(
    client, url: str, *, samples: int, warmup: int, cold: bool, connection
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per request. The CPU time (this process plus its
    database backend) is what the request costs whatever else the machine runs; the wall
    clock shows the load. ``cold``: the kept copies are dropped before each request, as after
    a nightly run (the first request of the day draws the page)."""
    from django.core.cache import caches

    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    walls, cpus = [], []
    for _ in range(samples):
        if cold:
            caches["default"].clear()
        backend_before = backend_cpu_seconds(connection)
        cpu_before = time.process_time()
        t0 = time.perf_counter()
        response = client.get(url)
        walls.append((time.perf_counter() - t0) * 1000)
        used = time.process_time() - cpu_before
        cpus.append((used + backend_cpu_seconds(connection) - backend_before) * 1000)
        assert response.status_code == 200, url
    return walls, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cooperatives", type=int, default=500)
    parser.add_argument("--months", type=int, default=13)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DB} database")
    args = parser.parse_args()
    if args.cooperatives < 1 or args.months < 1 or args.samples < 1:
        parser.error("--cooperatives, --months and --samples must be >= 1")

    where = benchdb.choose_database(BENCH_DB)

    from django.conf import settings

    benchdb.recreate_database(BENCH_DB)
    # Templates cached as in production (DEBUG=1 only lets the bench start without secrets).
    options = settings.TEMPLATES[0]["OPTIONS"]
    if options["loaders"] and options["loaders"][0][0] != "django.template.loaders.cached.Loader":
        options["loaders"] = [("django.template.loaders.cached.Loader", options["loaders"])]

    import django

    django.setup()
    settings.DEBUG = False  # no query log per request, as in production

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    db = settings.DATABASES["default"]
    print(
        f"Database: {db.get('NAME')} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        f" — {where}"
    )
    connection.ensure_connection()
    print(f"PostgreSQL server {connection.pg_version}; Python {sys.version.split()[0]}")
    try:
        t0 = time.perf_counter()
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        print(f"migrate (public schema): {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        network, user, device, cells = build(
            rng=random.Random(args.seed), cooperatives=args.cooperatives, months=args.months
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"built {args.cooperatives} cooperatives x {args.months} months = {cells} figure "
            f"rows in {time.perf_counter() - t0:.1f} s"
        )

        client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

        dashboard = f"/netwerk/{network.slug}/"
        page = client.get(dashboard)
        assert page.status_code == 200, page.status_code
        assert page.content.count(b"/cooperaties/bench-") == min(args.cooperatives, 50)
        csv_url = f"/netwerk/{network.slug}/cijfers.csv"
        csv_lines = client.get(csv_url).content.count(b"\n") - 1
        print(f"dashboard: {len(page.content) // 1024} KiB; CSV: {csv_lines} lines")

        print(
            "load average before timing (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(
                *os.getloadavg()
            )
        )
        for label, url in (("dashboard", dashboard), ("CSV", csv_url)):
            for cold in (True, False):
                walls, cpus = time_get(
                    client,
                    url,
                    samples=args.samples,
                    warmup=args.warmup,
                    cold=cold,
                    connection=connection,
                )
                p95 = benchdb.percentile(walls, 95)
                verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
                state = "drawn anew (first request after a run)" if cold else "kept copy"
                print(
                    f"{label:>9}, {state}: wall p50 {benchdb.percentile(walls, 50):.1f} ms, "
                    f"p95 {p95:.1f} ms, mean {statistics.fmean(walls):.1f} ms; CPU (Django + "
                    f"PostgreSQL) p50 {benchdb.percentile(cpus, 50):.1f} ms, p95 "
                    f"{benchdb.percentile(cpus, 95):.1f} ms over {len(walls)} requests — "
                    f"{verdict} the target p95 <= {TARGET_P95_MS:.0f} ms (wall)"
                )
        print(
            "load average after timing (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(
                *os.getloadavg()
            )
        )
    finally:
        if not args.keep:
            benchdb.drop_database(BENCH_DB)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
