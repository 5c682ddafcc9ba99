"""Time the nightly network figures over many cooperatives, and the query a network's
dashboard makes over their rows.

    .venv/bin/python bench/network_figures.py [--n 500] [--processes 2] [--samples 50] [--keep]

"Demo size" here is a small but real cooperative a year into its life, larger than the two
demo cooperatives of ``seed_demo`` (a dozen members, a handful of services dated today, which
would flatter the run): signed up from the ``oost`` rules template (7 clusters, 3 of them paid
klussen), with 6 buurten, 120 members (8 of them organisations) who joined over the last two
years (6 left), 25 requests for help a month over the last 13 months (325), 85% of them matched
(about 275 services, confirmed once their day has passed, 60% rated), the paid ones with their
klus payment in euros, and a points ledger (starter points for 60 members). That one
cooperative is seeded with bulk inserts, then its schema is cloned ``n - 1`` times with the
platform's own schema cloner (``tenants.schema_clone``: tables, rows and constraints), so every
cooperative holds the same amount of data. Each is an active member of one national network
that receives every group of figures.

Then every cooperative's figures are computed as the nightly task does
(``tenants.figures.services.figures_run``: the 13 months of every shared group, computed in
the cooperative's schema, suppressed, written in one transaction), in ``--processes`` worker
processes at once (production runs a Celery worker with concurrency 2 on this 2-core machine).

The dashboard query: the network's pages are built by another helper; what is timed here is the
selector their pages read (``tenants.figures.selectors.figures_of``, after the one accessor
``cooperatives_visible_to_network``), in two shapes: every metric of one group for the latest
month side by side (the overview), and one group's totals over 13 months (the trend).

Runs against a database of its own, ``noaber_bench_figures`` (see ``benchdb``), dropped and
made again at the start and dropped at the end unless --keep. The output is a report: the exit
code is 0 whether the targets are met or not.
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

import benchdb

os.environ["TENANT_SPARE_SCHEMAS"] = "0"

BENCH_DB = "noaber_bench_figures"
PASSWORD = "Zonnebloem-42!"
TARGET_MINUTES_500 = 5.0
TARGET_DASHBOARD_P95_MS = 200.0
SEED = 13

MEMBERS = 120
ORGANISATIONS = 8
LEFT = 6
BUURTEN = 6
REQUESTS_PER_MONTH = 25
MATCHED = 0.85
RATED = 0.6
POINT_HOLDERS = 60
EURO_CLUSTERS = {"Reparaties", "Tuin", "Vervoer"}
RATE = Decimal("4.50")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


# --------------------------------------------------------------------------- the model


def seed_model(schema: str) -> dict[str, int]:
    """Fill the model cooperative's schema with a year of activity (bulk inserts)."""
    from django.db import transaction
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from billing.klussen.models import KlusPayment
    from cooperatives.figures.selectors import month_bounds, months_back
    from cooperatives.marketplace.models import CompensationDue, HelpRequest, Service
    from cooperatives.members.models import Member
    from cooperatives.points.models import Account, Posting, Transfer
    from cooperatives.setup.models import Cluster, Neighbourhood

    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    with schema_context(schema), transaction.atomic():
        clusters = list(Cluster.objects.order_by("pk"))
        buurten = Neighbourhood.objects.bulk_create(
            Neighbourhood(
                name=f"Buurt {i}",
                postcodes=[f"35{80 + i}"],
                streets=[f"straat {i}"],
                position=i,
            )
            for i in range(BUURTEN)
        )
        members = []
        for i in range(MEMBERS):
            buurt = rng.randrange(BUURTEN)
            joined = now - dt.timedelta(days=rng.randrange(1, 730), hours=rng.randrange(24))
            members.append(
                Member(
                    kind=Member.Kind.ORGANISATION if i < ORGANISATIONS else Member.Kind.RESIDENT,
                    name=f"Lid {i:03d}",
                    email=f"lid{i:03d}@bench.example.nl",
                    street=f"Straat {buurt}",
                    house_number=str(rng.randrange(1, 80)),
                    postcode=f"35{80 + buurt}AB",
                    neighbourhood=buurten[buurt],
                    joined_at=joined,
                )
            )
        for member in members[-LEFT:]:
            member.status = Member.Status.LEFT
            member.left_at = member.joined_at + (now - member.joined_at) / 2
        members = Member.objects.bulk_create(members)
        active = [m for m in members if m.status == Member.Status.ACTIVE]

        requests, planned = [], []
        for month in months_back(today=today):
            start, end = month_bounds(month)
            span = (min(end, now) - start).total_seconds()
            for _ in range(REQUESTS_PER_MONTH):
                requester = rng.choice(active)
                created = start + dt.timedelta(seconds=rng.uniform(0, span * 0.98))
                cluster = rng.choice(clusters)
                matched = rng.random() < MATCHED
                requests.append(
                    HelpRequest(
                        requester=requester,
                        created_by=requester,
                        cluster=cluster,
                        title="Hulp gevraagd",
                        expected_hours=Decimal("1.5"),
                        street=requester.street,
                        house_number=requester.house_number,
                        postcode=requester.postcode,
                        neighbourhood=requester.neighbourhood,
                        compensation="euros" if cluster.name in EURO_CLUSTERS else "free",
                        status=HelpRequest.Status.MATCHED if matched else HelpRequest.Status.OPEN,
                        created_at=created,
                    )
                )
                planned.append(matched)
        requests = HelpRequest.objects.bulk_create(requests)

        services = []
        for request, matched in zip(requests, planned, strict=True):
            if not matched:
                continue
            volunteer = rng.choice([m for m in active if m.pk != request.requester_id])
            made = min(request.created_at + dt.timedelta(hours=rng.uniform(1, 240)), now)
            day = min(timezone.localdate(made) + dt.timedelta(days=rng.randrange(8)), today)
            hours = Decimal(rng.choice(["1.0", "1.5", "2.0"]))
            done = day < today
            rated = done and rng.random() < RATED
            services.append(
                Service(
                    request=request,
                    requester_id=request.requester_id,
                    volunteer=volunteer,
                    cluster_id=request.cluster_id,
                    compensation=request.compensation,
                    status=Service.Status.CONFIRMED if done else Service.Status.PLANNED,
                    date=day,
                    start_time=dt.time(10, 0),
                    planned_hours=hours,
                    registered_hours=hours if done else None,
                    confirmed_at=now if done else None,
                    rating=rng.randrange(3, 6) if rated else None,
                    feedback_at=now if rated else None,
                    created_at=made,
                )
            )
        services = Service.objects.bulk_create(services)

        paid = [s for s in services if s.compensation == "euros" and s.registered_hours]
        dues = CompensationDue.objects.bulk_create(
            CompensationDue(
                service=s,
                kind=CompensationDue.Kind.EUROS,
                amount=(s.registered_hours * RATE).quantize(Decimal("0.01")),
                payer_id=s.requester_id,
                payee_id=s.volunteer_id,
                status=CompensationDue.Status.SETTLED,
                settled_at=now,
            )
            for s in paid
        )
        KlusPayment.objects.bulk_create(
            KlusPayment(
                service=s,
                due=due,
                requester_id=s.requester_id,
                volunteer_id=s.volunteer_id,
                performed_on=s.date,
                hours=s.registered_hours,
                rate_per_hour=RATE,
                amount=due.amount,
                volunteer_amount=due.amount,
                method=KlusPayment.Method.CASH,
                status=KlusPayment.Status.PAID,
                paid_at=now,
            )
            for s, due in zip(paid, dues, strict=True)
        )

        # Starter points: one balanced transfer per holder, from the issuance account.
        issuance, _ = Account.objects.get_or_create(kind=Account.Kind.ISSUANCE)
        holders = active[:POINT_HOLDERS]
        accounts = Account.objects.bulk_create(
            Account(kind=Account.Kind.MEMBER, member=m, balance=Decimal(10)) for m in holders
        )
        transfers = Transfer.objects.bulk_create(
            Transfer(
                kind=Transfer.Kind.STARTER,
                idempotency_key=f"bench-starter-{m.pk}",
                created_at=m.joined_at,
            )
            for m in holders
        )
        postings = []
        for n, (transfer, account) in enumerate(zip(transfers, accounts, strict=True), 1):
            postings += [
                Posting(
                    transfer=transfer,
                    account=issuance,
                    amount=Decimal(-10),
                    balance_after=Decimal(-10 * n),
                    created_at=transfer.created_at,
                ),
                Posting(
                    transfer=transfer,
                    account=account,
                    amount=Decimal(10),
                    balance_after=Decimal(10),
                    created_at=transfer.created_at,
                ),
            ]
        Posting.objects.bulk_create(postings)
        Account.objects.filter(pk=issuance.pk).update(balance=Decimal(-10 * len(holders)))
    return {
        "members": len(members),
        "requests": len(requests),
        "services": len(services),
        "klussen": len(paid),
        "point_holders": len(holders),
    }


_scripts: dict[str, str] = {}


def _clone(job: tuple[str, str]) -> str:
    from django.db import connection, transaction

    from tenants.schema_clone import clone_schema, clone_script

    source, target = job
    connection.set_schema_to_public()
    with transaction.atomic():
        # The source's catalog is read once per worker, as provisioning does for the template.
        if source not in _scripts:
            _scripts[source] = clone_script(source=source)
        clone_schema(source=source, target=target, script=_scripts[source])
    return target


def clone_many(*, source: str, n: int, network, processes: int, start: int = 0) -> float:
    """``n`` cooperatives as copies of ``source`` (cloned in ``processes`` workers at once),
    each an active member of ``network`` sharing every group, numbered from ``start``.
    Returns the seconds it took."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from django.db import connections
    from django.utils import timezone

    from cooperatives.figures.catalog import GROUP_KEYS
    from tenants.models import Cooperative
    from tenants.networks.models import Membership

    t0 = time.perf_counter()
    jobs = [(source, f"coop_bench_{i:04d}") for i in range(start, start + n)]
    connections.close_all()
    with ProcessPoolExecutor(
        max_workers=processes, mp_context=get_context("fork"), initializer=_worker_start
    ) as pool:
        for done, _schema in enumerate(pool.map(_clone, jobs), 1):
            if done % 50 == 0:
                print(f"  … {done} schemas cloned ({time.perf_counter() - t0:.0f} s)", flush=True)
    made = Cooperative.objects.bulk_create(
        Cooperative(
            name=f"Bench {i:04d}",
            slug=f"bench-{i:04d}",
            schema_name=schema,
            status=Cooperative.Status.ACTIVE,
            rules_template="oost",
        )
        for i, (_source, schema) in enumerate(jobs, start)
    )
    Membership.objects.bulk_create(
        Membership(
            network=network,
            cooperative=c,
            status=Membership.Status.ACTIVE,
            initiated_by=Membership.Side.COOPERATIVE,
            share_groups=list(GROUP_KEYS),
            started_at=timezone.now(),
        )
        for c in made
    )
    return time.perf_counter() - t0


# --------------------------------------------------------------------------- the run


def _worker_start() -> None:
    from django.db import connections

    connections.close_all()


def _run_one(pk: int) -> tuple[int, float, int]:
    from tenants.figures.services import figures_run
    from tenants.models import Cooperative

    cooperative = Cooperative.objects.get(pk=pk)
    t0 = time.perf_counter()
    run = figures_run(cooperative=cooperative)
    return pk, time.perf_counter() - t0, run.cells


def run_all(pks: list[int], processes: int) -> tuple[float, list[float], int]:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from django.db import connections

    t0 = time.perf_counter()
    if processes <= 1:
        results = [_run_one(pk) for pk in pks]
    else:
        # Forked workers must not share the parent's database connection.
        connections.close_all()
        with ProcessPoolExecutor(
            max_workers=processes, mp_context=get_context("fork"), initializer=_worker_start
        ) as pool:
            results = list(pool.map(_run_one, pks, chunksize=4))
    wall = time.perf_counter() - t0
    return wall, [secs for _pk, secs, _cells in results], sum(c for _pk, _s, c in results)


def rows_only(*, model, n: int, network) -> float:
    """For --dashboard-only: ``n`` cooperatives in the registry (no schema of their own), each
    an active member of ``network`` holding a copy of the model's figure rows, as a full run
    would have written them. Returns the seconds it took."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from cooperatives.figures.catalog import GROUP_KEYS
    from cooperatives.figures.selectors import figures_compute, months_back
    from tenants.figures.models import Figure
    from tenants.figures.services import figures_store
    from tenants.models import Cooperative
    from tenants.networks.models import Membership

    t0 = time.perf_counter()
    with schema_context(model.schema_name):
        cells = figures_compute(groups=GROUP_KEYS, months=months_back())
    figures_store(cooperative=model, cells=cells)
    template = list(Figure.objects.filter(cooperative=model))
    made = Cooperative.objects.bulk_create(
        Cooperative(
            name=f"Bench {i:04d}",
            slug=f"bench-{i:04d}",
            schema_name=f"coop_bench_{i:04d}",
            status=Cooperative.Status.ACTIVE,
            rules_template="oost",
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(
            network=network,
            cooperative=c,
            status=Membership.Status.ACTIVE,
            initiated_by=Membership.Side.COOPERATIVE,
            share_groups=list(GROUP_KEYS),
            started_at=timezone.now(),
        )
        for c in made
    )
    for c in made:
        Figure.objects.bulk_create(
            Figure(
                cooperative=c,
                month=f.month,
                group=f.group,
                metric=f.metric,
                dimension=f.dimension,
                value=f.value,
                suppressed=f.suppressed,
                computed_at=f.computed_at,
            )
            for f in template
        )
    return time.perf_counter() - t0


def dashboard(network, samples: int) -> dict[str, tuple[list[float], bool]]:
    """Each shape's timings in ms (accessor included) and whether it counts for the target:
    the shapes a dashboard page shows do; reading every row of a group is printed for
    comparison only."""
    from cooperatives.figures.selectors import months_back
    from tenants.figures.selectors import (
        figures_network_trend,
        figures_of,
        figures_side_by_side,
    )
    from tenants.networks.selectors import cooperatives_visible_to_network

    latest = months_back()[-1]

    def accessor(visible) -> int:
        return len(visible)

    def side_by_side(visible) -> int:
        return len(figures_side_by_side(visible=visible, group="help", month=latest))

    def trend(visible) -> int:
        return len(figures_network_trend(visible=visible, group="members", metric="members"))

    def every_row(visible) -> int:
        return len(
            list(
                figures_of(visible=visible, group="help", months=[latest]).values_list(
                    "cooperative_id", "metric", "dimension", "value", "suppressed"
                )
            )
        )

    shapes = {
        "the accessor alone (cooperatives_visible_to_network)": (accessor, False),
        "side by side: the help totals of the latest month": (side_by_side, True),
        "trend: members at month end over the network, 13 months (SQL sums)": (trend, True),
        "every help row of the latest month, all dimensions (comparison only)": (
            every_row,
            False,
        ),
    }
    timings: dict[str, tuple[list[float], bool]] = {}
    for label, (read, counts) in shapes.items():
        times = []
        rows = 0
        for _ in range(samples + 2):
            t0 = time.perf_counter()
            rows = read(cooperatives_visible_to_network(network=network))
            times.append((time.perf_counter() - t0) * 1000)
        timings[f"{label} ({rows} rows)"] = (times[2:], counts)  # two warm-up rounds
    return timings


# --------------------------------------------------------------------------- report


def report_dashboard(timings: dict[str, tuple[list[float], bool]], n: int, samples: int) -> None:
    ok = True
    print(f"dashboard selectors over {n} cooperatives ({samples} samples each, accessor included):")
    for label, (times, counts) in timings.items():
        p95 = benchdb.percentile(times, 95)
        if counts:
            ok = ok and p95 <= TARGET_DASHBOARD_P95_MS
        print(f"  {label}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
    print(
        f"{'PASS' if ok else 'FAIL'}: p95 of the side-by-side and trend selectors "
        f"(target <= {TARGET_DASHBOARD_P95_MS:.0f} ms; the pages themselves are not timed)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="cooperatives (default 500)")
    parser.add_argument("--processes", type=int, default=2, help="workers at once (default 2)")
    parser.add_argument("--samples", type=int, default=50, help="dashboard queries per shape")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--dashboard-only",
        action="store_true",
        help="skip the run: copy the model's rows to --n cooperatives and time the dashboard",
    )
    args = parser.parse_args()
    if args.n < 1 or args.processes < 1 or args.samples < 1:
        parser.error("--n, --processes and --samples must be >= 1")

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

    db = settings.DATABASES["default"]
    print(f"Database: {db.get('NAME')} — {where}")
    connection.ensure_connection()
    print(f"PostgreSQL server {connection.pg_version}; Python {sys.version.split()[0]}")
    print(f"at start: {load()}", flush=True)
    try:
        t0 = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"migrate (public + template schema): {time.perf_counter() - t0:.1f} s", flush=True)

        from tenants.models import Network
        from tenants.services import cooperative_sign_up

        t0 = time.perf_counter()
        model = cooperative_sign_up(
            name="Bench model",
            slug="bench-model",
            board_member_name="Bea Bestuur",
            email="bestuur@bench-model.example.nl",
            password=PASSWORD,
            template="oost",
        ).cooperative
        size = seed_model(model.schema_name)
        print(
            f"model cooperative (demo size): {size} in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        network = Network.objects.create(
            name="Bench netwerk", slug="bench", tier=Network.Tier.NATIONAL
        )
        if args.dashboard_only:
            secs = rows_only(model=model, n=args.n, network=network)
            print(f"{args.n} cooperatives with copied rows in {secs:.0f} s", flush=True)
            report_dashboard(dashboard(network, args.samples), args.n, args.samples)
            print(f"at the end: {load()}")
            return 0
        print(f"cloning {args.n} cooperatives…", flush=True)
        clone_secs = clone_many(
            source=model.schema_name, n=args.n, network=network, processes=args.processes
        )
        print(f"  {args.n} cooperatives in {clone_secs:.0f} s", flush=True)

        from tenants.models import Cooperative

        pks = list(
            Cooperative.objects.filter(slug__startswith="bench-")
            .exclude(pk=model.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        print(f"before the run: {load()}", flush=True)
        wall, per_coop, cells = run_all(pks, args.processes)
        print(f"after the run: {load()}", flush=True)
        from django.db import connections

        connections.close_all()
        timings = dashboard(network, args.samples)

        rate = wall / len(pks)
        minutes_500 = rate * 500 / 60
        print()
        print(f"figures run over {len(pks)} cooperatives, {args.processes} processes:")
        print(f"  wall time {wall:.1f} s = {wall / 60:.2f} min; {cells} cells written")
        print(
            f"  per cooperative (one process): median {statistics.median(per_coop):.3f} s, "
            f"p95 {benchdb.percentile(per_coop, 95):.3f} s, mean {statistics.mean(per_coop):.3f} s"
        )
        print(f"  throughput {rate:.3f} s of wall time per cooperative")
        measured = "measured" if len(pks) == 500 else f"extrapolated from {len(pks)}"
        ok_run = minutes_500 <= TARGET_MINUTES_500
        print(
            f"{'PASS' if ok_run else 'FAIL'}: 500 cooperatives in {minutes_500:.2f} min "
            f"({measured}; target <= {TARGET_MINUTES_500:.0f} min)"
        )
        report_dashboard(timings, len(pks), args.samples)
        print(f"at the end: {load()}")
    finally:
        if args.keep:
            print(f"database {BENCH_DB} kept (--keep)")
        else:
            benchdb.drop_database(BENCH_DB)
            print(f"database {BENCH_DB} dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
