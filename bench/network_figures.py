"""Time the nightly network figures over many cooperatives, and the query a network's
dashboard makes over their rows.

    .venv/bin/python bench/network_figures.py [--n 500] [--processes 2] [--samples 50] [--keep]

The cooperatives are those of ``bench/_setup.py``: one real cooperative of "demo size" (a year
of activity; see there), signed up through the sign-up service and copied ``n - 1`` times with
the platform's own schema cloner (``tenants.schema_clone``: tables, rows and constraints), so
every cooperative holds the same amount of data. Each is an active member of one national
network that receives every group of figures.

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
import os
import statistics
import sys
import time

import _setup
import benchdb

os.environ["TENANT_SPARE_SCHEMAS"] = "0"

BENCH_DB = "noaber_bench_figures"
TARGET_MINUTES_500 = 5.0
TARGET_DASHBOARD_P95_MS = 200.0
load = _setup.load


def clone_many(*, source: str, n: int, network, processes: int, start: int = 0) -> float:
    """``n`` copies of ``source`` (``_setup.clone_many``, numbered from ``start``), each an
    active member of ``network`` sharing every group. Returns the seconds it took."""
    from django.utils import timezone

    from cooperatives.figures.catalog import GROUP_KEYS
    from tenants.networks.models import Membership

    made, secs = _setup.clone_many(source=source, n=n, processes=processes, start=start)
    t0 = time.perf_counter()
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
    return secs + time.perf_counter() - t0


# --------------------------------------------------------------------------- the run


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
            max_workers=processes, mp_context=get_context("fork"), initializer=_setup._worker_start
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

    _setup.start(BENCH_DB)
    try:
        from tenants.models import Network

        model = _setup.sign_up_model()
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
