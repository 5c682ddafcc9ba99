"""Load on one database server: gunicorn with the production settings in front of N
cooperatives, logged-in members, and what the PostgreSQL backends hold once they have served
every cooperative's schema.

    .venv/bin/python bench/load.py [--n 500] [--workers 2] [--threads 4] [--step-seconds 20]
                                   [--start-rate 2] [--rate-factor 1.15] [--max-rate 200]
                                   [--knee-ms 1000] [--conn-max-ages 60,600]
                                   [--memory-rounds 2]
                                   [--database noaber_load_bench]
                                   [--redis-db 8] [--reuse] [--keep]

What runs:

* the cooperatives of ``bench/_setup.py``: one signed up through the real sign-up service and
  filled to demo size (120 members, a year of requests and services), copied ``n`` times with
  the platform's schema cloner, each copy on its own subdomain (the N measured); 4 members of
  each (the founding board member and 3 residents) with a session made up front (Django's own
  login, in the cooperative's schema), so every request is a logged-in member's;
* gunicorn with ``deploy/gunicorn.conf.py`` (gthread, ``--workers`` x ``--threads``) and the
  production settings: DEBUG off, a real SECRET_KEY, the cached template loader, WhiteNoise's
  manifest storage (``collectstatic`` first), Redis as cache (database ``--redis-db``, emptied at
  the start), CONN_MAX_AGE as in settings (60 s; or each of ``--conn-max-ages`` in turn),
  worker recycling as in gunicorn.conf.py; the requests carry ``X-Forwarded-Proto: https`` as
  the ingress sends it;
* a mix over three pages: the member's home page ``/``, the marketplace ``/markt/`` and an API
  list ``/api/v1/requests/`` (one third each), on the cooperative's subdomain (Host header to
  127.0.0.1).

Two series at stepped, open-loop arrival rates (Poisson arrivals at the step's rate; every
request starts on its schedule whatever the responses do, and its latency counts from its
scheduled start, so a server that falls behind shows it in the percentiles instead of slowing
the client down):

* ``zipf``: the cooperative of each request drawn from a Zipf distribution (s = 1.1) over all N
  subdomains, as real traffic is (a few busy cooperatives, a long tail);
* ``one``: every request to ONE cooperative (the Zipf's first), the same pages and members: the
  fixed-schema baseline. The only difference is that ``zipf`` switches schemas and its backends
  fill their catalog caches with every schema they meet.

The series alternate at each rate (one then zipf, then zipf then one at the next rate), so a
burst of other work on the machine falls on both. The highest rate at which p95 <= 150 ms is
printed for each, and their ratio (target >= 0.90); and the same where each still keeps up
(p95 <= ``--knee-ms``, 1 s), since on a machine whose cores other work shares no rate may meet
150 ms. The steps go up until both series are past that knee twice running.

Before the steps, the memory: gunicorn is started with nothing recycled (CONN_MAX_AGE one day,
max_requests 0) and one thread per worker (so one backend each), every backend is made to serve
one schema, then every schema (``--memory-rounds`` sweeps of all N cooperatives x 3 pages), and
the backends serving gunicorn (found by their application_name in pg_stat_activity) are read
from /proc: VmRSS, Pss and their anonymous (private heap) memory, which is where the catalog
caches live. Also the gunicorn workers' own memory, and the size of the system catalog. The
per-schema figure is what deploy/README.md ("Capacity of one database server") chooses
CONN_MAX_AGE and max_requests from.

The load client is the standard library's http.client in threads: on a 2-core machine an
asyncio client saves nothing, and it keeps the bench free of a dependency. The client runs on
the same cores as the server; the machine's load average is printed beside every figure.

Runs against a database of its own (``--database``, on the server DATABASE_URL names or
127.0.0.1:5432; see ``benchdb``), made afresh unless ``--reuse`` finds it already holding the
cooperatives, and dropped at the end unless ``--keep``. The output is a report: the exit code
is 0 whether the targets are met or not.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import math
import os
import queue
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import _setup
import benchdb

os.environ["TENANT_SPARE_SCHEMAS"] = "0"

DOMAIN = "noaber-load.test"
APP_NAME = "noaber-load-web"
PATHS = {"home": "/", "markt": "/markt/", "api": "/api/v1/requests/"}
SESSIONS_PER_COOP = 4  # the board member and 3 residents
TARGET_P95_MS = 150.0
TARGET_RATIO = 0.90
ZIPF_S = 1.1
SEED = 15


# --------------------------------------------------------------------------- set-up


def give_logins(model_schema: str) -> None:
    """Give 3 residents of the model a login (no password: sessions are made directly), so the
    copies have them too."""
    from django_tenants.utils import schema_context

    from cooperatives.members.models import Member
    from shared.accounts.models import User

    with schema_context(model_schema):
        residents = Member.objects.filter(
            user__isnull=True, kind=Member.Kind.RESIDENT, status=Member.Status.ACTIVE
        ).order_by("pk")[: SESSIONS_PER_COOP - 1]
        for member in residents:
            user = User(email=member.email, full_name=member.name)
            user.set_unusable_password()
            user.save()
            member.user = user
            member.save(update_fields=["user"])


def sessions_for(cooperatives) -> dict[str, list[str]]:
    """Host -> session ids of its members with a login, made by Django's own login."""
    import logging

    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tenants.utils import schema_context

    from shared.accounts.models import User
    from shared.tenancy.urls import cooperative_host

    logging.getLogger("axes").setLevel(logging.WARNING)  # a line for every login
    out: dict[str, list[str]] = {}
    for cooperative in cooperatives:
        with schema_context(cooperative.schema_name):
            keys = []
            users = list(User.objects.order_by("pk")[:SESSIONS_PER_COOP])
            # The first is the founding board member, who must pass a second factor: a
            # confirmed phone, and the session marked past it as a login with a code would be.
            phone, _ = TOTPDevice.objects.get_or_create(
                user=users[0], confirmed=True, defaults={"name": "telefoon"}
            )
            for user in users:
                client = Client()
                client.force_login(user)
                if user == phone.user:
                    session = client.session
                    session[DEVICE_ID_SESSION_KEY] = phone.persistent_id
                    session.save()
                keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
        out[cooperative_host(slug=cooperative.slug)] = keys
    return out


def catalog_size() -> dict[str, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (SELECT count(*) FROM pg_class),
                   (SELECT count(*) FROM pg_attribute),
                   (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'coop\\_%%'),
                   (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
                     JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'),
                   pg_database_size(current_database())
            """
        )
        classes, attributes, schemas, catalog_bytes, db_bytes = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'coop_bench_0000'"
        )
        (per_schema,) = cursor.fetchone()
    return {
        "pg_class": classes,
        "pg_attribute": attributes,
        "schemas": schemas,
        "catalog_mb": catalog_bytes / 2**20,
        "database_mb": db_bytes / 2**20,
        "relations_per_schema": per_schema,
    }


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn with deploy/gunicorn.conf.py, on a port of its own."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self, **extra: str) -> None:
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", **extra}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
                [
                    str(gunicorn),
                    "-c",
                    str(benchdb.REPO_ROOT / "deploy" / "gunicorn.conf.py"),
                    "--access-logfile",
                    "/dev/null",
                    "noaber.wsgi",
                ],
                cwd=benchdb.REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {self.log}")
            try:
                status, _ = fetch(self.port, DOMAIN, "/healthz", None, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /healthz within 120 s; see {self.log}")

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        out = subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def fetch(
    port: int, host: str, path: str, session: str | None, *, timeout: float = 30, conn=None
) -> tuple[int, http.client.HTTPConnection]:
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": host, "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    if path.startswith("/api/"):
        headers["Accept"] = "application/json"
    if session:
        headers["Cookie"] = f"sessionid={session}"
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    if response.will_close:
        conn.close()
    return response.status, conn


# --------------------------------------------------------------------------- the load


@dataclass
class Step:
    series: str
    rate: float
    latencies: list[float] = field(default_factory=list)  # ms, completed with 200
    errors: int = 0
    sent: int = 0
    load: str = ""

    def pct(self, p: int) -> float:
        return benchdb.percentile(self.latencies, p) if self.latencies else math.inf

    def within(self, p95_ms: float) -> bool:
        return self.errors == 0 and self.pct(95) <= p95_ms


class Client:
    """Threads that each keep one connection and take requests off a queue as their scheduled
    time comes; latency counts from the scheduled start."""

    def __init__(self, port: int, size: int) -> None:
        self.port = port
        self.jobs: queue.Queue = queue.Queue()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(size)]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        conn = None
        while True:
            job = self.jobs.get()
            if job is None:
                return
            due, host, path, session, record = job
            try:
                try:
                    status, conn = fetch(self.port, host, path, session, conn=conn)
                except (OSError, http.client.HTTPException):
                    if conn is None:
                        raise
                    # The server closed a kept-alive connection (idle, or a recycled worker):
                    # what a browser does too, once more on a new one.
                    conn.close()
                    conn = None
                    status, conn = fetch(self.port, host, path, session)
                record(status, (time.perf_counter() - due) * 1000)
            except (OSError, http.client.HTTPException):
                conn = None
                record(0, 0.0)
            finally:
                self.jobs.task_done()

    def run(self, schedule: list[tuple[float, str, str, str]], step: Step | None) -> Step:
        """Send ``schedule`` ((offset s, host, path, session), sorted) on time."""
        step = step or Step("sweep", 0)
        lock = threading.Lock()

        def record(status: int, ms: float) -> None:
            with lock:
                if status == 200:
                    step.latencies.append(ms)
                else:
                    step.errors += 1

        t0 = time.perf_counter()
        for offset, host, path, session in schedule:
            due = t0 + offset
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            self.jobs.put((due, host, path, session, record))
            step.sent += 1
        self.jobs.join()
        return step

    def close(self) -> None:
        for _ in self.threads:
            self.jobs.put(None)


def poisson_schedule(
    rng: random.Random, rate: float, seconds: float, pick
) -> list[tuple[float, str, str, str]]:
    out, t = [], rng.expovariate(rate)
    while t < seconds:
        host, session = pick()
        out.append((t, host, rng.choice(list(PATHS.values())), session))
        t += rng.expovariate(rate)
    return out


def sweep(
    client: Client,
    sessions: dict[str, list[str]],
    hosts: list[str],
    rounds: int,
    paths: list[str] | None = None,
) -> Step:
    """Every page (or ``paths``) of every host in ``hosts``, ``rounds`` times, as fast as the
    client's threads take them (closed loop: a sweep, not a measurement)."""
    schedule = [
        (0.0, host, path, sessions[host][i % SESSIONS_PER_COOP])
        for i in range(rounds)
        for host in hosts
        for path in paths or PATHS.values()
    ]
    random.Random(SEED + rounds).shuffle(schedule)
    return client.run(schedule, Step("sweep", 0))


def rates(start: float, factor: float, top: float) -> list[float]:
    out, r = [], start
    while r <= top:
        out.append(round(r, 1))
        r *= factor
    return out


def run_steps(client: Client, sessions: dict[str, list[str]], hosts: list[str], args) -> list[Step]:
    rng = random.Random(SEED)
    ranked = hosts[:]
    rng.shuffle(ranked)
    weights = list(itertools.accumulate(1 / (k**ZIPF_S) for k in range(1, len(ranked) + 1)))
    one = ranked[0]

    def pick_zipf() -> tuple[str, str]:
        host = rng.choices(ranked, cum_weights=weights)[0]
        return host, rng.choice(sessions[host])

    def pick_one() -> tuple[str, str]:
        return one, rng.choice(sessions[one])

    top = min(10, len(ranked))
    print(
        f"Zipf s={ZIPF_S} over {len(ranked)} subdomains: the busiest gets "
        f"{100 / weights[-1]:.1f}% of the requests, the top {top} "
        f"{100 * weights[top - 1] / weights[-1]:.0f}%"
    )
    print(
        f"{'series':<6}{'rate/s':>8}{'sent':>6}{'got/s':>7}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'errors':>7}  machine",
        flush=True,
    )
    steps: list[Step] = []
    failed_in_a_row = 0
    for i, rate in enumerate(rates(args.start_rate, args.rate_factor, args.max_rate)):
        order = [("one", pick_one), ("zipf", pick_zipf)]
        if i % 2:
            order.reverse()
        both_failed = True
        for series, pick in order:
            schedule = poisson_schedule(rng, rate, args.step_seconds, pick)
            t0 = time.perf_counter()
            step = client.run(schedule, Step(series, rate))
            wall = time.perf_counter() - t0
            step.load = _setup.load()
            steps.append(step)
            both_failed = both_failed and not step.within(args.knee_ms)
            print(
                f"{series:<6}{rate:>8.1f}{step.sent:>6}{len(step.latencies) / wall:>7.1f}"
                f"{step.pct(50):>8.0f}{step.pct(95):>8.0f}{step.pct(99):>8.0f}"
                f"{step.errors:>7}  {step.load}",
                flush=True,
            )
            time.sleep(2)  # let the queue drain between series
        failed_in_a_row = failed_in_a_row + 1 if both_failed else 0
        if failed_in_a_row >= 2:
            break
    return steps


# --------------------------------------------------------------------------- memory


def backend_pids() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = "
            "current_database() ORDER BY pid",
            [APP_NAME],
        )
        return [r[0] for r in cursor.fetchall()]


def memory_of(pid: int) -> dict[str, float]:
    """MB: VmRSS (status), Pss and Anonymous (smaps_rollup); anonymous is the backend's private
    heap, where the catalog caches are, without the shared buffers it has touched."""
    out = {}
    for name in ("status", "smaps_rollup"):
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "Pss", "Anonymous"):
                out[key] = int(value.split()[0]) / 1024
    return out


def memory_report(label: str, pids: list[int]) -> dict[str, float]:
    rows = [memory_of(pid) for pid in pids]
    if not rows:
        print(f"  {label}: no backends found")
        return {}
    summary = {}
    parts = []
    for key in ("VmRSS", "Pss", "Anonymous"):
        values = [r[key] for r in rows]
        summary[key] = statistics.median(values)
        summary[key + "_max"] = max(values)
        parts.append(
            f"{key} median {statistics.median(values):.1f} max {max(values):.1f} "
            f"sum {sum(values):.0f}"
        )
    print(f"  {label} ({len(rows)} processes, MB): " + "; ".join(parts), flush=True)
    return summary


def measure_memory(server: Server, sessions, hosts, args) -> dict[str, float]:
    from django.db import connections

    # One thread per worker: one backend per worker, so every backend meets nearly every
    # schema in a few rounds (what a backend holds per schema does not depend on how many
    # threads there are, and the sweep takes minutes instead of a quarter of an hour).
    concurrency = args.workers
    print(
        f"\nmemory: gunicorn started with nothing recycled (CONN_MAX_AGE 1 day, "
        f"max_requests 0), {args.workers} workers x 1 thread = {concurrency} backends",
        flush=True,
    )
    server.stop()
    server.start(CONN_MAX_AGE="86400", GUNICORN_MAX_REQUESTS="0", GUNICORN_THREADS="1")
    client = Client(server.port, 2 * concurrency)
    try:
        one = hosts[0]
        step = sweep(client, sessions, [one], rounds=8 * concurrency)
        print(f"  one schema swept: {step.sent} requests, {step.errors} errors; {_setup.load()}")
        connections.close_all()
        pids = backend_pids()
        at_one = memory_report("postgres backends after one schema", pids)
        workers_one = memory_report("gunicorn workers after one schema", server.worker_pids())
        t0 = time.perf_counter()
        step = sweep(client, sessions, hosts, rounds=args.memory_rounds)
        secs = time.perf_counter() - t0
        print(
            f"  {len(hosts)} schemas x {len(PATHS)} pages x {args.memory_rounds} rounds: "
            f"{step.sent} requests in {secs:.0f} s ({step.sent / secs:.1f}/s), "
            f"{step.errors} errors; {_setup.load()}",
            flush=True,
        )
        pids_after = backend_pids()
        if set(pids_after) != set(pids):
            print(f"  (backends changed during the sweep: {len(pids)} -> {len(pids_after)})")
        at_all = memory_report("postgres backends after every schema", pids_after)
        workers_all = memory_report("gunicorn workers after every schema", server.worker_pids())
    finally:
        client.close()
    # A backend meets a schema when one of that schema's requests lands on it: each schema
    # sent len(PATHS) * rounds requests spread over `concurrency` backends.
    reach = 1 - (1 - 1 / concurrency) ** (len(PATHS) * args.memory_rounds)
    touched = len(hosts) * reach
    per_schema = (at_all["Anonymous"] - at_one["Anonymous"]) / max(touched - 1, 1)
    per_schema_rss = (at_all["VmRSS"] - at_one["VmRSS"]) / max(touched - 1, 1)
    worker_growth = workers_all["VmRSS"] - workers_one["VmRSS"]
    print(
        f"  each backend met about {touched:.0f} of {len(hosts)} schemas "
        f"({100 * reach:.0f}%, from {len(PATHS) * args.memory_rounds} requests per schema over "
        f"{concurrency} backends)"
    )
    print(
        f"  => per schema a backend has served: {1024 * per_schema:.0f} kB private heap "
        f"(anonymous), {1024 * per_schema_rss:.0f} kB RSS; a backend that has met all "
        f"{len(hosts)}: {at_all['Anonymous']:.0f} MB heap, {at_all['VmRSS']:.0f} MB RSS "
        f"(median); gunicorn worker grew {worker_growth:.0f} MB",
        flush=True,
    )
    return {
        "per_schema_mb": per_schema,
        "per_schema_rss_mb": per_schema_rss,
        "heap_one": at_one["Anonymous"],
        "heap_all": at_all["Anonymous"],
        "worker_growth_mb": worker_growth,
    }


# --------------------------------------------------------------------------- main


def build(args) -> None:
    from tenants.models import Cooperative

    model = _setup.sign_up_model()
    give_logins(model.schema_name)
    print(f"copying it {args.n} times…", flush=True)
    _made, secs = _setup.clone_many(
        source=model.schema_name, n=args.n, processes=args.clone_processes
    )
    print(f"  {args.n} cooperatives in {secs:.0f} s; {Cooperative.objects.count()} in all")


def database_holds(name: str, n: int) -> bool:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    try:
        with psycopg.connect(
            dbname=name,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
        ) as conn:
            row = conn.execute(
                "SELECT count(*) FROM tenants_cooperative WHERE slug LIKE 'bench-0%%'"
            ).fetchone()
            return bool(row and row[0] == n)
    except psycopg.Error:
        return False


def server_env(args, static_root: Path) -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        DEBUG="0",
        DATABASE_URL=os.environ["DATABASE_URL"],
        PGAPPNAME=APP_NAME,
        CACHE_URL=f"redis://127.0.0.1:6379/{args.redis_db}",
        CELERY_BROKER_URL=f"redis://127.0.0.1:6379/{args.redis_db}",
        STATIC_ROOT=str(static_root),
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_THREADS=str(args.threads),
        LOG_LEVEL="WARNING",
        SECRET_KEY=settings.SECRET_KEY,
        PLATFORM_DOMAIN=DOMAIN,
        TENANT_SPARE_SCHEMAS="0",
    )
    for name in ("CONN_MAX_AGE", "GUNICORN_MAX_REQUESTS"):
        env.pop(name, None)  # production defaults
    return env


def highest(steps: list[Step], series: str, p95_ms: float) -> float:
    return max((s.rate for s in steps if s.series == series and s.within(p95_ms)), default=0.0)


def report_capacity(steps: list[Step], n_hosts: int, knee_ms: float) -> None:
    """The target (p95 <= 150 ms), then the same comparison where each series still keeps up
    (p95 <= knee_ms): on a machine whose cores other work shares, no rate may meet 150 ms,
    and the ratio of the two knees still says what switching schemas costs."""
    for label, limit in (("target", TARGET_P95_MS), ("keeps up", knee_ms)):
        one, zipf = highest(steps, "one", limit), highest(steps, "zipf", limit)
        ratio = zipf / one if one else 0.0
        print(f"highest rate with p95 <= {limit:.0f} ms and no errors ({label}):")
        print(f"  one cooperative (fixed schema): {one:.1f} requests/s")
        print(f"  Zipf over {n_hosts} cooperatives: {zipf:.1f} requests/s")
        verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
        print(f"  {verdict}: ratio {ratio:.2f} (target >= {TARGET_RATIO:.2f})")
    # Per-request cost at the same offered rate, where both kept up.
    pairs = [
        (z.pct(50) / o.pct(50), z.pct(95) / o.pct(95))
        for o in steps
        for z in steps
        if o.series == "one"
        and z.series == "zipf"
        and o.rate == z.rate
        and o.within(knee_ms)
        and z.within(knee_ms)
    ]
    if pairs:
        print(
            f"at the same rate, where both kept up ({len(pairs)} rates): Zipf/one p50 "
            f"{statistics.median(p for p, _ in pairs):.2f}x, p95 "
            f"{statistics.median(q for _, q in pairs):.2f}x (median over the rates)"
        )


def measure_load(server: Server, sessions, hosts: list[str], args, age, log: Path) -> list[Step]:
    """Warm up, then the stepped series, on a server just started with CONN_MAX_AGE ``age``."""
    from django.db import connections

    print(
        f"\ngunicorn: {args.workers} workers x {args.threads} threads (gthread), "
        f"deploy/gunicorn.conf.py, DEBUG=0, CONN_MAX_AGE "
        f"{age if age is not None else '60 (settings default)'}, max_requests 1000 (+-10%); "
        f"log {log}",
        flush=True,
    )
    for path in PATHS.values():
        status, _ = fetch(server.port, hosts[0], path, sessions[hosts[0]][0])
        if status != 200:
            raise RuntimeError(f"{path} answered {status} to a logged-in member")
    client = Client(server.port, args.client_threads)
    try:
        t0 = time.perf_counter()
        warm = sweep(client, sessions, hosts, rounds=1, paths=["/"])
        print(
            f"warm-up: every cooperative's home page once, {warm.sent} requests in "
            f"{time.perf_counter() - t0:.0f} s, {warm.errors} errors",
            flush=True,
        )
        steps = run_steps(client, sessions, hosts, args)
    finally:
        client.close()
    connections.close_all()
    memory_report("postgres backends at the end of the steps", backend_pids())
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="cooperatives (default 500)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per process")
    parser.add_argument("--step-seconds", type=float, default=20)
    parser.add_argument("--start-rate", type=float, default=2, help="requests/s")
    parser.add_argument("--rate-factor", type=float, default=1.15)
    parser.add_argument("--max-rate", type=float, default=200)
    parser.add_argument(
        "--knee-ms",
        type=float,
        default=1000,
        help="p95 up to which a series still keeps up; the steps stop once both exceed it",
    )
    parser.add_argument(
        "--conn-max-ages",
        type=lambda v: [int(x) if x else None for x in v.split(",")],
        default=[None],
        help="comma-separated CONN_MAX_AGE values to run the steps with (default: settings')",
    )
    parser.add_argument("--memory-rounds", type=int, default=2)
    parser.add_argument("--clone-processes", type=int, default=2)
    parser.add_argument("--client-threads", type=int, default=64)
    parser.add_argument("--database", default="noaber_load_bench")
    parser.add_argument("--redis-db", type=int, default=8)
    parser.add_argument("--reuse", action="store_true", help="keep the cooperatives if present")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if args.n < 1 or args.workers < 1 or args.threads < 1:
        parser.error("--n, --workers and --threads must be >= 1")

    # One key for the bench (which makes the sessions) and the server (which checks them).
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)
    os.environ["PLATFORM_DOMAIN"] = DOMAIN
    benchdb.choose_database(args.database)
    reuse = args.reuse and database_holds(args.database, args.n)
    # Reused: the schemas are current (and `migrate` over hundreds of them takes minutes).
    _setup.start(args.database, recreate=not reuse, migrate=not reuse)
    static_root = Path("/tmp") / f"{args.database}-static"  # noqa: S108
    log = Path("/tmp") / f"{args.database}-gunicorn.log"  # noqa: S108
    server = None
    try:
        from django_tenants.utils import get_tenant_model

        if reuse:
            print(f"reusing the {args.n} cooperatives in {args.database}", flush=True)
        else:
            build(args)
        cooperatives = list(get_tenant_model().objects.filter(slug__startswith="bench-0"))
        t0 = time.perf_counter()
        sessions = sessions_for(cooperatives)
        print(
            f"{sum(map(len, sessions.values()))} member sessions made in "
            f"{time.perf_counter() - t0:.0f} s",
            flush=True,
        )
        size = catalog_size()
        print(
            f"catalog at {size['schemas']} cooperative schemas (+ template): "
            f"{size['pg_class']} pg_class rows ({size['relations_per_schema']} per cooperative), "
            f"{size['pg_attribute']} pg_attribute rows, system catalog {size['catalog_mb']:.0f} MB,"
            f" database {size['database_mb']:.0f} MB",
            flush=True,
        )

        env = server_env(args, static_root)
        import redis

        redis.Redis.from_url(env["CACHE_URL"]).flushdb()
        if not (static_root / "staticfiles.json").exists():
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=benchdb.REPO_ROOT,
                env=env,
                check=True,
            )
        server = Server(env, log)
        hosts = sorted(sessions)
        # The memory first: it is the figure the settings are chosen from, and on a shared
        # machine a long run may be cut short.
        memory = measure_memory(server, sessions, hosts, args)
        results = []
        for age in args.conn_max_ages:
            server.stop()
            server.start(**({"CONN_MAX_AGE": str(age)} if age is not None else {}))
            steps = measure_load(server, sessions, hosts, args, age, log)
            results.append((age, steps))

        for age, steps in results:
            print()
            print(f"== CONN_MAX_AGE {age if age is not None else '60 (production default)'}:")
            report_capacity(steps, len(hosts), args.knee_ms)
        print(
            f"memory per schema served, per backend: {1024 * memory['per_schema_mb']:.0f} kB "
            f"heap; all {len(hosts)} schemas: {memory['heap_all']:.0f} MB heap per backend"
        )
        print(f"at the end: {_setup.load()}")
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"database {args.database} kept (--keep)")
        else:
            benchdb.drop_database(args.database)
            print(f"database {args.database} dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
