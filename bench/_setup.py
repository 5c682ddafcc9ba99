"""Set-up shared by the benchmarks that need many cooperatives: a database of their own
(``benchdb``), Django started on it with the schema migrated, one real cooperative signed up
through the sign-up service, filled with a year of activity ("demo size", below), and copied
``n`` times with the platform's own schema cloner, each copy a registered cooperative with its
own subdomain. Import it first (it imports ``benchdb``, which puts the project on sys.path).

"Demo size" is a small but real cooperative a year into its life, larger than the two demo
cooperatives of ``seed_demo`` (a dozen members, a handful of services dated today, which would
flatter a run): signed up from the ``oost`` rules template (7 clusters, 3 of them paid klussen),
with 6 buurten, 120 members (8 of them organisations) who joined over the last two years (6
left), 25 requests for help a month over the last 13 months (325), 85% of them matched (about
275 services, confirmed once their day has passed, 60% rated), the paid ones with their klus
payment in euros, and a points ledger (starter points for 60 members).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal

import benchdb

PASSWORD = "Zonnebloem-42!"
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
    """The machine's load, printed beside every figure: other work on the machine (the bench's
    own client included) takes cores from the server being measured."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def start(bench_db: str, *, recreate: bool = True, migrate: bool = True) -> None:
    """Point Django at ``bench_db`` (made afresh unless ``recreate`` is False), start it, print
    where it runs, and migrate (public and template schema) unless ``migrate`` is False."""
    where = benchdb.choose_database(bench_db)
    from django.conf import settings

    if recreate:
        benchdb.recreate_database(bench_db)
    else:
        settings.DATABASES["default"]["NAME"] = bench_db
    # The welcome email (sent inline: Celery is eager without a broker) would otherwise be
    # printed to the console for every sign-up; keep it in memory instead.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    import logging

    import django

    django.setup()
    # One INFO line per sign-up (ours, and Celery's eager task result) would bury the report.
    for name in ("tenants.services", "celery"):
        logging.getLogger(name).setLevel(logging.WARNING)

    from django.core.management import call_command
    from django.db import connection

    db = settings.DATABASES["default"]
    print(f"Database: {db.get('NAME')} — {where}")
    connection.ensure_connection()
    print(f"PostgreSQL server {connection.pg_version}; Python {sys.version.split()[0]}")
    print(f"at start: {load()}", flush=True)
    if not migrate:
        return
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrate (public + template schema): {time.perf_counter() - t0:.1f} s", flush=True)


def sign_up_model(slug: str = "bench-model"):
    """One cooperative through the real sign-up service, filled to demo size."""
    from tenants.services import cooperative_sign_up

    t0 = time.perf_counter()
    model = cooperative_sign_up(
        name="Bench model",
        slug=slug,
        board_member_name="Bea Bestuur",
        email=f"bestuur@{slug}.example.nl",
        password=PASSWORD,
        template="oost",
    ).cooperative
    size = seed_model(model.schema_name)
    print(f"model cooperative (demo size): {size} in {time.perf_counter() - t0:.1f} s", flush=True)
    return model


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


# --------------------------------------------------------------------------- copies


def _worker_start() -> None:
    from django.db import connections

    connections.close_all()


_scripts: dict[str, str] = {}


def _clone(job: tuple[str, str]) -> str:
    from django.db import OperationalError, connection, transaction

    from tenants.schema_clone import clone_schema, clone_script

    source, target = job
    for attempt in range(30):
        connection.set_schema_to_public()
        try:
            with transaction.atomic():
                # The source's catalog is read once per worker, as provisioning does for the
                # template.
                if source not in _scripts:
                    _scripts[source] = clone_script(source=source)
                clone_schema(source=source, target=target, script=_scripts[source])
            return target
        except OperationalError as error:
            # A clone locks every object it makes (~400) until it commits; the server's lock
            # table is shared by every database on it, and other work may have filled it.
            if "out of shared memory" not in str(error) or attempt == 29:
                raise
            time.sleep(5)
    return target


def clone_many(*, source: str, n: int, processes: int, start: int = 0) -> tuple[list, float]:
    """``n`` cooperatives as copies of schema ``source`` (cloned in ``processes`` workers at
    once), numbered from ``start``, each registered with its subdomain ``bench-NNNN``, active.
    Returns them and the seconds it took."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from django.db import connections

    from shared.tenancy.urls import cooperative_host
    from tenants.models import Cooperative, Domain

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
    Domain.objects.bulk_create(
        Domain(domain=cooperative_host(slug=c.slug), tenant=c, is_primary=True) for c in made
    )
    return made, time.perf_counter() - t0
