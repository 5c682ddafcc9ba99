"""What the dashboard, its CSV and the network API read: the figure rows a network may see.

``shared_cells`` is the only query over ``tenants.figures.Figure`` here: it takes the
cooperatives from ``tenants.networks.selectors.cooperatives_visible_to_network`` and keeps,
per cooperative, only the groups that cooperative shares with this network. Everything else
is built on it. The number of queries does not grow with the number of cooperatives: rows
are filtered per figure group (six at most), never per cooperative."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Count, Max, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cooperatives.figures.catalog import GROUP_KEYS
from tenants.dashboards.metrics import (
    ALIASES,
    BY_CODE,
    DASHBOARD,
    METRICS,
    RESOLVED,
    Metric,
    known_keys,
    metric_for,
)
from tenants.figures.models import Figure, FigureRun
from tenants.figures.selectors import figures_generation
from tenants.networks.selectors import Visible

TREND_MONTHS = 13
# The month picker offers the months with figures among the last three years.
PICKER_MONTHS = 36


@dataclass(frozen=True)
class Cell:
    """One figure as a network shows it: ``value`` is None when it was suppressed."""

    cooperative_id: int
    month: dt.date
    metric: Metric
    dimension: str
    value: Decimal | None
    suppressed: bool


@dataclass
class Row:
    """One cooperative on the dashboard: its cell per dashboard column, or why there is none."""

    visible: Visible
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def shares(self, group: str) -> bool:
        return group in self.visible.groups


def _ids_array(ids: Iterable[int]) -> str:
    """The ids as one PostgreSQL array literal (``{1,2,3}``): psycopg sends a string as it
    is, where it dumps a list of hundreds of numbers element by element."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def _cooperative_in(ids: list[int], column: str = '"figures_figure"."cooperative_id"') -> RawSQL:
    """``cooperative_id = ANY(%s)`` with the ids as one array parameter: an IN list of 500
    numbers per group makes PostgreSQL plan longer than it runs the query."""
    # ``column`` is one of this module's own constants, never input; the ids are a parameter.
    sql = f"{column} = ANY(%s::integer[])"
    return RawSQL(sql, (_ids_array(ids),), output_field=BooleanField())  # noqa: S611


def shared_cells(*, visible: Sequence[Visible]) -> QuerySet[Figure]:
    """Every stored cell of the visible cooperatives in a group each shares with the network;
    the one filter between the aggregate rows and a network's pages."""
    condition = Q()
    for group in GROUP_KEYS:
        ids = [v.cooperative.pk for v in visible if group in v.groups]
        if ids:
            # Only the metrics this app names (``metrics.METRICS``): a row it does not know
            # has no label or unit to show it with, on a page or in the API.
            condition |= Q(_cooperative_in(ids), group=group, metric__in=known_keys(group))
    if not condition:
        return Figure.objects.none()
    return Figure.objects.filter(condition)


def _cells(rows: Iterable[tuple[int, dt.date, str, str, str, Decimal | None, bool]]) -> list[Cell]:
    found = []
    for cooperative_id, month, group, key, dimension, value, suppressed in rows:
        metric = metric_for(group, key)
        if metric is not None:
            found.append(Cell(cooperative_id, month, metric, dimension, value, suppressed))
    return found


FIELDS = ("cooperative_id", "month", "group", "metric", "dimension", "value", "suppressed")


def months_with_figures(
    *, visible: Sequence[Visible], today: dt.date | None = None, back: int = PICKER_MONTHS
) -> list[dt.date]:
    """The months with at least one shared cell, newest first (the month picker's choices),
    among the last ``back`` months.

    One query, planned once: per candidate month an existence test that stops at the first
    row it finds. A DISTINCT over every row of every cooperative reads them all (hundreds of
    thousands for a national network); a UNION of one test per month is planned 36 times."""
    cells = shared_cells(visible=visible)
    if cells.query.is_empty():
        return []
    candidates = trend_months(last=today or timezone.localdate(), count=back)
    inner = cells.filter(month=RawSQL("months.m", ())).values("pk")
    sql, params = inner.query.sql_with_params()
    # First the months with any row at all (the index on group and month answers that
    # without looking at cooperatives), then those with a row this network may see. ``sql``
    # is the ORM's own compiled query; every value is a parameter.
    head = (
        "WITH months AS MATERIALIZED (SELECT c.m FROM (SELECT generate_series(%s::date, "
        "%s::date, interval '1 month')::date AS m) AS c WHERE EXISTS (SELECT 1 FROM "
        'figures_figure f WHERE f."group" = ANY(%s) AND f.month = c.m)) '
        "SELECT months.m FROM months WHERE EXISTS ("
    )
    query = head + sql + ") ORDER BY months.m DESC"
    with connection.cursor() as cursor:
        cursor.execute(query, [candidates[0], candidates[-1], list(GROUP_KEYS), *params])
        return [month for (month,) in cursor.fetchall()]


def last_run(*, visible: Sequence[Visible]) -> dt.datetime | None:
    """When the latest finished nightly run of these cooperatives ended."""
    if not visible:
        return None
    finished: dt.datetime | None = FigureRun.objects.filter(
        _cooperative_in(
            [v.cooperative.pk for v in visible], '"figures_figurerun"."cooperative_id"'
        ),
        status=FigureRun.Status.DONE,
    ).aggregate(last=Max("finished_at"))["last"]
    return finished


def figures_version(*, visible: Sequence[Visible], last_run: dt.datetime | None) -> str:
    """A key that changes whenever what the network's pages show of these cooperatives can:
    a run stores figures (``figures_generation`` and ``last_run`` move), a cooperative
    joins, leaves, is renamed or changes what it shares. The dashboard's table is cached
    under it: its figures change once a night, and drawing a national network's table from
    200,000 rows on every request is what kept it from its 200 ms."""
    digest = hashlib.sha256(
        f"{figures_generation()}:{last_run.isoformat() if last_run else '-'}".encode()
    )
    for each in visible:
        seen = each.cooperative
        digest.update(
            f"|{seen.pk}:{seen.slug}:{seen.name}:{','.join(sorted(each.groups))}".encode()
        )
    return digest.hexdigest()[:32]


def _dashboard_cells(*, visible: Sequence[Visible], month: dt.date) -> QuerySet[Figure]:
    """The shared cells of the dashboard's columns (whole cooperatives) for the month."""
    groups = {group for group, _key in DASHBOARD}
    keys = {key for _group, key in DASHBOARD} | {
        old for (group, old), key in ALIASES.items() if (group, key) in DASHBOARD
    }
    return shared_cells(visible=visible).filter(
        month=month, dimension="", group__in=groups, metric__in=keys
    )


def dashboard_rows(*, visible: Sequence[Visible], month: dt.date) -> list[Row]:
    """Each visible cooperative with its dashboard cells for the month (whole cooperative)."""
    rows = {v.cooperative.pk: Row(v) for v in visible}
    queryset = _dashboard_cells(visible=visible, month=month)
    wanted = set(DASHBOARD)
    for cooperative_id, on, group, key, dimension, value, suppressed in queryset.values_list(
        *FIELDS
    ):
        metric = RESOLVED[(group, key)]
        code = (metric.group, metric.key)
        if code in wanted:
            rows[cooperative_id].cells[code] = Cell(
                cooperative_id, on, metric, dimension, value, suppressed
            )
    return list(rows.values())


@dataclass(frozen=True)
class Total:
    value: Decimal | None
    shown: int  # cooperatives whose cell was shown and counted


def dashboard_totals(*, visible: Sequence[Visible], month: dt.date) -> dict[tuple[str, str], Total]:
    """The network's total per column over every visible cooperative (not only the page
    shown): the sum of the shown cells (a suppressed cell has no value and is left out, so a
    total never reveals it); none for shares, medians and averages. Summed by the database."""
    found: dict[tuple[str, str], tuple[Decimal, int]] = {}
    for group, key, total, shown in (
        _dashboard_cells(visible=visible, month=month)
        .values("group", "metric")
        .annotate(total=Sum("value"), shown=Count("value"))
        .values_list("group", "metric", "total", "shown")
    ):
        metric = RESOLVED[(group, key)]
        code = (metric.group, metric.key)
        before, counted = found.get(code, (Decimal(0), 0))
        found[code] = (before + (total or 0), counted + shown)
    totals: dict[tuple[str, str], Total] = {}
    for code in DASHBOARD:
        total, shown = found.get(code, (Decimal(0), 0))
        additive = BY_CODE[code].additive
        totals[code] = Total(total if additive and shown else None, shown)
    return totals


def month_rows(
    *, visible: Sequence[Visible], month: dt.date | None
) -> list[tuple[int, dt.date, Metric, str, Decimal | None, bool]]:
    """Every shared cell of the visible cooperatives (of one month, or all months) as plain
    rows (cooperative id, month, metric, dimension, value, suppressed), ordered by cooperative
    (in the order of ``visible``), month, group, metric and dimension: for the CSV, which has
    tens of thousands. The database returns them in the order of its unique index (by
    cooperative id, no sort); they are put in the order of ``visible`` here."""
    queryset = shared_cells(visible=visible)
    if month is not None:
        queryset = queryset.filter(month=month)
    queryset = queryset.order_by("cooperative_id", "month", "group", "metric", "dimension")
    by_cooperative: dict[int, list[tuple[int, dt.date, Metric, str, Decimal | None, bool]]] = {
        v.cooperative.pk: [] for v in visible
    }
    resolved = RESOLVED
    for cooperative_id, on, group, key, dimension, value, suppressed in queryset.values_list(
        *FIELDS
    ):
        by_cooperative[cooperative_id].append(
            (cooperative_id, on, resolved[(group, key)], dimension, value, suppressed)
        )
    return [row for rows in by_cooperative.values() for row in rows]


def trend_months(*, last: dt.date, count: int = TREND_MONTHS) -> list[dt.date]:
    """The first days of ``count`` months ending with ``last``, oldest first."""
    months = [last.replace(day=1)]
    while len(months) < count:
        previous = months[-1] - dt.timedelta(days=1)
        months.append(previous.replace(day=1))
    return months[::-1]


@dataclass
class Series:
    """One metric of one cooperative over the trend's months: per dimension, per month."""

    metric: Metric
    dimensions: list[str]
    values: dict[tuple[str, dt.date], Cell]

    def cell(self, dimension: str, month: dt.date) -> Cell | None:
        return self.values.get((dimension, month))


def cooperative_trend(*, visible: Visible, months: Sequence[dt.date]) -> list[Series]:
    """The shared cells of one cooperative over ``months``, one series per metric that has
    any, in the order of ``metrics.METRICS``; the whole cooperative ("") first."""
    queryset = shared_cells(visible=[visible]).filter(month__gte=months[0], month__lte=months[-1])
    by_metric: dict[Metric, Series] = {}
    for cell in _cells(queryset.values_list(*FIELDS)):
        series = by_metric.setdefault(cell.metric, Series(cell.metric, [], {}))
        if cell.dimension not in series.dimensions:
            series.dimensions.append(cell.dimension)
        series.values[(cell.dimension, cell.month)] = cell
    for series in by_metric.values():
        series.dimensions.sort(key=lambda d: (d != "", d.casefold()))
    return [by_metric[m] for m in METRICS if m in by_metric]
