"""Reading the aggregate figures (public schema only): what a network's pages show.

A network reads the rows of the cooperatives it sees (``tenants.networks.selectors``), and of
each only the groups that cooperative shares with it: a row of a group the cooperative shares
with another network only is never returned, even before the next run has removed anything.
One query over ``Figure`` per call, whatever the number of cooperatives."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import caches
from django.db.models import Count, Q, QuerySet, Sum

from tenants.figures.models import Figure, FigureRun
from tenants.networks.selectors import Visible

# A number that changes with every stored run, on any cooperative: what the networks' pages
# keep drawn is keyed on it (with the latest finished run). The latest run alone misses a run
# that commits after a later-finishing one (the nightly runs go in parallel); the key starts
# at a time, so a key evicted and made again never repeats an earlier number. It lives in the
# `tenancy` cache, which is platform-wide: the default cache's keys depend on the schema of
# the moment, and a run commits in the public schema while the pages read it on the apex.
GENERATION_KEY = "figures-generation"


def figures_generation() -> int:
    generation: int = caches["tenancy"].get_or_set(GENERATION_KEY, time.time_ns, timeout=None) or 0
    return generation


def figures_of(
    *,
    visible: Iterable[Visible],
    group: str,
    months: Iterable[dt.date] | None = None,
    metrics: Iterable[str] | None = None,
    totals_only: bool = False,
) -> QuerySet[Figure]:
    """The rows of ``group`` of the visible cooperatives that share it, oldest month first."""
    ids = [v.cooperative.pk for v in visible if group in v.groups]
    rows = Figure.objects.filter(cooperative_id__in=ids, group=group)
    if months is not None:
        rows = rows.filter(month__in=list(months))
    if metrics is not None:
        rows = rows.filter(metric__in=list(metrics))
    if totals_only:
        rows = rows.filter(dimension="")
    return rows.order_by("cooperative_id", "month", "metric", "dimension")


def last_runs(*, visible: Iterable[Visible]) -> dict[int, FigureRun]:
    """Each visible cooperative's last finished run (the date its figures are of)."""
    ids = [v.cooperative.pk for v in visible]
    runs = (
        FigureRun.objects.filter(Q(cooperative_id__in=ids) & Q(status=FigureRun.Status.DONE))
        .order_by("cooperative_id", "-finished_at")
        .distinct("cooperative_id")
    )
    return {run.cooperative_id: run for run in runs}


def figures_side_by_side(
    *, visible: Iterable[Visible], group: str, month: dt.date
) -> list[tuple[int, str, Decimal | None, bool]]:
    """The cooperatives side by side: each one's totals (dimension "") of ``group`` for one
    month, as (cooperative id, metric, value, suppressed) tuples; one query, no model
    instances (a network of 500 cooperatives reads a few thousand of them)."""
    return list(
        figures_of(visible=visible, group=group, months=[month], totals_only=True).values_list(
            "cooperative_id", "metric", "value", "suppressed"
        )
    )


@dataclass(frozen=True)
class TrendPoint:
    """One month of one figure over the network: the sum of the values shown, how many
    cooperatives show it and how many hide it (a hidden cell is never guessed at)."""

    month: dt.date
    total: Decimal
    shown: int
    hidden: int


def figures_network_trend(
    *, visible: Iterable[Visible], group: str, metric: str, dimension: str = ""
) -> list[TrendPoint]:
    """One figure summed over the network's cooperatives per month, added up by PostgreSQL
    (13 rows, whatever the number of cooperatives)."""
    rows = (
        figures_of(visible=visible, group=group, metrics=[metric])
        .filter(dimension=dimension)
        .order_by()
        .values("month")
        .annotate(
            total=Sum("value", filter=Q(suppressed=False)),
            shown=Count("id", filter=Q(suppressed=False)),
            hidden=Count("id", filter=Q(suppressed=True)),
        )
        .order_by("month")
    )
    return [TrendPoint(r["month"], r["total"] or Decimal(0), r["shown"], r["hidden"]) for r in rows]
