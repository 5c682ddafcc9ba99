"""Reading the aggregate figures (public schema only): what a network's pages show.

A network reads the rows of the cooperatives it sees (``tenants.networks.selectors``), and of
each only the groups that cooperative shares with it: a row of a group the cooperative shares
with another network only is never returned, even before the next run has removed anything.
One query over ``Figure`` per call, whatever the number of cooperatives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from tenants.figures.models import Figure, FigureRun
from tenants.networks.selectors import Visible


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
