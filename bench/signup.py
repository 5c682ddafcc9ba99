"""Time a cooperative's sign-up three ways: taking a spare schema from the pool (production: a
worker refills the pool after each sign-up), cloning the template on the spot (the pool is
empty), and running every migration.

    .venv/bin/python bench/signup.py [--samples-clone 20] [--samples-migrate 5] [--present 200]
                                     [--warmup 1] [--keep]

Runs against a database of its own, ``noaber_bench``, which it drops and recreates at the start
and drops again at the end (unless --keep), so dev and test data are never touched:

* DATABASE_URL set: that server, with the database name replaced by ``noaber_bench``;
* DATABASE_URL unset and postgres://postgres@127.0.0.1:5432 answers: that server;
* otherwise: the embedded PostgreSQL (DATABASE_URL stays unset), database ``noaber_bench``.

Each sign-up goes through ``tenants.services.cooperative_sign_up``; only
``provisioning.provide_schema`` is replaced per path (spare: the real one, with one spare made
untimed before each sign-up; clone: ``clone_template``; migrate: CREATE SCHEMA +
``migrate_schemas`` for that schema);
the rest of the sign-up is the same code. After every timed sign-up its cooperative is removed
again (untimed), so each case runs with exactly the stated number of cooperatives present; the
"present" cooperatives are real tenants made through the clone path.

The output is a report: the exit code is 0 whether the targets are met or not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from unittest import mock

import benchdb

# Spares are made by the bench itself, untimed, as a worker does in production after each
# sign-up: `migrate` must not make any, and a sign-up must not refill the pool inline.
os.environ["TENANT_SPARE_SCHEMAS"] = "0"

BENCH_DB = "noaber_bench"
PASSWORD = "Zonnebloem-42!"
TEMPLATE = "oost"
TARGET_MEDIAN_AT_N = 1.0  # seconds, clone path, with --present cooperatives present
TARGET_RATIO = 5.0  # clone at least this many times faster than migrating


# --------------------------------------------------------------------------- sign-ups


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def next_slug(self, tag: str) -> str:
        self.n += 1
        return f"bench-{tag}-{self.n:05d}"


def sign_up(slug: str):
    from tenants.services import cooperative_sign_up

    return cooperative_sign_up(
        name=f"Bench {slug}",
        slug=slug,
        board_member_name="Bea Bestuur",
        email=f"bestuur@{slug}.example.nl",
        password=PASSWORD,
        template=TEMPLATE,
    )


def migrate_instead_of_clone(*, schema_name: str) -> None:
    """The old way: an empty schema and every tenant migration run in it."""
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    call_command(
        "migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0
    )
    connection.set_schema_to_public()


def remove(cooperative) -> None:
    """Undo one sign-up (untimed): the schema, the domain and the registry row."""
    from django.db import connection

    from tenants.models import Cooperative

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{cooperative.schema_name}" CASCADE')
    Cooperative.objects.filter(pk=cooperative.pk).delete()


def present_count() -> int:
    from django.db import connection

    from tenants.models import Cooperative

    connection.set_schema_to_public()
    return Cooperative.objects.count()


class StepTimer:
    """Wraps a function and adds the time spent in it to ``spent`` (for the breakdown)."""

    def __init__(self, fn):
        self.fn, self.spent = fn, 0.0

    def __call__(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.spent += time.perf_counter() - t0


def run_case(
    *, path: str, samples: int, warmup: int, counter: Counter, tag: str
) -> dict[str, list[float]]:
    """Sign up ``warmup + samples`` cooperatives; per timed sign-up, the whole time and the
    two steps that dominate it: making the schema and hashing the password (Argon2)."""
    import django.contrib.auth.base_user as base_user

    from tenants import services

    steps = {
        "migrate": migrate_instead_of_clone,
        "clone": services.provisioning.clone_template,
        "spare": services.provisioning.provide_schema,
    }
    schema_step = StepTimer(steps[path])
    hash_step = StepTimer(base_user.make_password)
    with (
        mock.patch.object(services.provisioning, "provide_schema", schema_step),
        mock.patch.object(base_user, "make_password", hash_step),
    ):
        out: dict[str, list[float]] = {"total": [], "schema": [], "hash": []}
        for i in range(warmup + samples):
            slug = counter.next_slug(tag)
            if path == "spare":
                # The pool is refilled between sign-ups (a worker's job), outside the timing.
                services.provisioning.spares_fill(target=1)
            schema_step.spent = hash_step.spent = 0.0
            t0 = time.perf_counter()
            result = sign_up(slug)
            elapsed = time.perf_counter() - t0
            remove(result.cooperative)
            if i >= warmup:
                out["total"].append(elapsed)
                out["schema"].append(schema_step.spent)
                out["hash"].append(hash_step.spent)
        return out


def catalog_read(samples: int = 5) -> float:
    """Median time to read the template's clone script from the catalog (what the first clone
    in a process pays; later ones reuse it)."""
    from tenants import provisioning, schema_clone

    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        schema_clone.clone_script(source=provisioning.template_schema_name())
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def burst(*, signups: int, seconds: float, pool: int, counter: Counter, seed: int = 7) -> dict:
    """``signups`` sign-ups at random moments within ``seconds`` (one after another when two
    fall together), with the pool refilled to ``pool`` by a thread of its own after each
    sign-up, as the Celery worker does (refill_spare_schemas after commit). Counts how many
    took a spare; every cooperative made is removed again afterwards."""
    import random
    import threading

    from django.db import connection

    from tenants import provisioning, services

    rng = random.Random(seed)
    moments = sorted(rng.uniform(0, seconds) for _ in range(signups))
    wake = threading.Event()
    stop = threading.Event()
    refills: list[float] = []

    def refiller() -> None:
        from django.db import connection as own

        try:
            while not stop.is_set():
                if wake.wait(0.2):
                    wake.clear()
                    t0 = time.perf_counter()
                    made = provisioning.spares_fill(target=pool)
                    if made:
                        refills.append((time.perf_counter() - t0) / made)
        finally:
            own.close()

    provisioning.spares_fill(target=pool)
    took: list[bool] = []
    real_take = provisioning.spare_take

    def take(*, schema_name: str) -> bool:
        took.append(real_take(schema_name=schema_name))
        return took[-1]

    made = []
    thread = threading.Thread(target=refiller, daemon=True)
    thread.start()
    t0 = time.perf_counter()
    try:
        with (
            mock.patch.object(services.provisioning, "spare_take", take),
            mock.patch.object(services, "_queue_spares_refill", wake.set),
        ):
            for moment in moments:
                delay = moment - (time.perf_counter() - t0)
                if delay > 0:
                    time.sleep(delay)
                made.append(sign_up(counter.next_slug("burst")).cooperative)
    finally:
        stop.set()
        thread.join()
    wall = time.perf_counter() - t0
    for cooperative in made:
        remove(cooperative)
    connection.set_schema_to_public()
    for spare in list(provisioning.SpareSchema.objects.all()):
        provisioning.spares_drop(spare=spare)
    return {
        "took_spare": sum(took),
        "signups": signups,
        "wall": wall,
        "refill_each": statistics.median(refills) if refills else float("nan"),
    }


def fill(target: int, counter: Counter) -> tuple[int, float]:
    """Sign up cooperatives through the clone path until `target` are present (kept)."""
    made = 0
    t0 = time.perf_counter()
    while present_count() < target:
        sign_up(counter.next_slug("fill"))
        made += 1
        if made % 50 == 0:
            print(f"  … {made} cooperatives signed up", flush=True)
    return made, time.perf_counter() - t0


# --------------------------------------------------------------------------- report


def p95(values: list[float]) -> float:
    return benchdb.percentile(values, 95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples-clone", type=int, default=20)
    parser.add_argument("--samples-migrate", type=int, default=5)
    parser.add_argument("--present", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=1, help="untimed sign-ups per case")
    parser.add_argument("--keep", action="store_true", help="keep the noaber_bench database")
    parser.add_argument(
        "--database", default=BENCH_DB, help=f"database to make and drop (default {BENCH_DB})"
    )
    parser.add_argument("--burst", type=int, default=20, help="sign-ups in the burst case")
    parser.add_argument("--burst-seconds", type=float, default=60.0)
    parser.add_argument("--pool", type=int, default=2, help="spares kept in the burst case")
    parser.add_argument(
        "--burst-only", action="store_true", help="only the burst case (no cooperatives present)"
    )
    args = parser.parse_args()
    if args.samples_clone < 1 or args.samples_migrate < 1 or args.present < 0:
        parser.error("samples must be >= 1 and --present >= 0")

    bench_db = args.database
    where = benchdb.choose_database(bench_db)

    from django.conf import settings

    benchdb.recreate_database(bench_db)
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
    print(
        f"Database: {db.get('NAME')} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        f" — {where}"
    )
    connection.ensure_connection()
    print(f"PostgreSQL server {connection.pg_version}; Python {sys.version.split()[0]}")

    try:
        t0 = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"migrate (public + template schema): {time.perf_counter() - t0:.1f} s")

        counter = Counter()
        results: dict[tuple[str, int], dict[str, list[float]]] = {}
        if args.burst_only:
            bursted = burst(
                signups=args.burst, seconds=args.burst_seconds, pool=args.pool, counter=counter
            )
            print(
                f"burst: {bursted['took_spare']} of {bursted['signups']} sign-ups within "
                f"{args.burst_seconds:.0f} s took a spare (pool {args.pool}; "
                f"{bursted['wall']:.0f} s; one spare refilled in {bursted['refill_each']:.2f} s; "
                f"{os.getloadavg()[0]:.1f} load on {os.cpu_count()} cores)"
            )
            return 0

        def case(path: str, n_present: int) -> None:
            samples = args.samples_migrate if path == "migrate" else args.samples_clone
            assert present_count() == n_present, (present_count(), n_present)
            print(
                f"case {path} @ {n_present}: {samples} samples (+{args.warmup} warm-up)…",
                flush=True,
            )
            results[(path, n_present)] = run_case(
                path=path,
                samples=samples,
                warmup=args.warmup,
                counter=counter,
                tag=f"{path[0]}{n_present}",
            )

        catalog = {0: catalog_read()}
        case("clone", 0)
        case("spare", 0)
        case("migrate", 0)
        print(f"signing up {args.present} cooperatives (clone path)…", flush=True)
        made, secs = fill(args.present, counter)
        if made:
            print(f"  {made} cooperatives in {secs:.1f} s ({secs / made:.3f} s each)")
        catalog[args.present] = catalog_read()
        case("clone", args.present)
        case("spare", args.present)
        case("migrate", args.present)
        print(
            f"burst: {args.burst} sign-ups within {args.burst_seconds:.0f} s, pool of "
            f"{args.pool}, refilled by a worker thread…",
            flush=True,
        )
        bursted = burst(
            signups=args.burst, seconds=args.burst_seconds, pool=args.pool, counter=counter
        )

        print()
        print(f"{'case':<40}{'n':>4}{'median s':>12}{'p95 s':>10}{'schema s':>10}{'hash s':>9}")
        print("-" * 85)
        medians: dict[tuple[str, int], float] = {}
        schema_medians: dict[tuple[str, int], float] = {}
        for (path, n_present), parts in results.items():
            times = parts["total"]
            medians[(path, n_present)] = statistics.median(times)
            schema_medians[(path, n_present)] = statistics.median(parts["schema"])
            label = f"{path} path, {n_present} cooperatives present"
            print(
                f"{label:<40}{len(times):>4}{medians[(path, n_present)]:>12.3f}"
                f"{p95(times):>10.3f}{schema_medians[(path, n_present)]:>10.3f}"
                f"{statistics.median(parts['hash']):>9.3f}"
            )
        print("(schema: median time making the schema; hash: median time hashing the password)")
        print()
        clone_0, clone_n = schema_medians[("clone", 0)], schema_medians[("clone", args.present)]
        print(
            f"schema step, clone path: {clone_0:.3f} s with 0 cooperatives, {clone_n:.3f} s with "
            f"{args.present} ({(clone_n - clone_0) * 1000:+.0f} ms)"
        )
        print(
            f"reading the template's clone script from the catalog (first clone in a process): "
            f"{catalog[0]:.3f} s with 0, {catalog[args.present]:.3f} s with {args.present}"
        )
        print(
            f"burst: {bursted['took_spare']} of {bursted['signups']} sign-ups took a spare "
            f"(pool {args.pool}; {bursted['wall']:.0f} s; one spare refilled in "
            f"{bursted['refill_each']:.2f} s)"
        )
        print()
        ratios = {}
        for n_present in (0, args.present):
            for path in ("clone", "spare"):
                whole = medians[("migrate", n_present)] / medians[(path, n_present)]
                step = schema_medians[("migrate", n_present)] / schema_medians[(path, n_present)]
                ratios[(path, n_present)] = whole
                print(
                    f"ratio migrate/{path} at {n_present:>3}: whole sign-up {whole:.1f}x, "
                    f"schema step alone {step:.1f}x"
                )
        print()
        # Sign-up as it runs in production: a spare schema when the pool has one (refilled by
        # a worker after each sign-up), a clone when it is empty.
        spare_at_n = medians[("spare", args.present)]
        clone_at_n = medians[("clone", args.present)]
        ok_time = max(spare_at_n, clone_at_n) <= TARGET_MEDIAN_AT_N
        ok_ratio = ratios[("spare", args.present)] >= TARGET_RATIO
        print(
            f"{'PASS' if ok_time else 'FAIL'}: median at {args.present} cooperatives "
            f"{spare_at_n:.3f} s with a spare schema, {clone_at_n:.3f} s cloning "
            f"(target <= {TARGET_MEDIAN_AT_N:.1f} s)"
        )
        print(
            f"{'PASS' if ok_ratio else 'FAIL'}: sign-up with a spare schema "
            f"{ratios[('spare', args.present)]:.1f}x faster than migrating at {args.present}; "
            f"cloning on the spot {ratios[('clone', args.present)]:.1f}x "
            f"(target >= {TARGET_RATIO:.0f}x)"
        )
        print(f"verdict: {'PASS' if ok_time and ok_ratio else 'FAIL'}")
    finally:
        if args.keep:
            print(f"database {bench_db} kept (--keep)")
        else:
            benchdb.drop_database(bench_db)
            print(f"database {bench_db} dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
