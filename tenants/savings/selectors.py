"""Reads of the Triple Aim and shared-savings pages: the parameter versions, the estimate and
the three aims over months, for one network.

Everything here reads the public schema only: the network's parameter versions and the
aggregate ``Figure`` rows of the cooperatives the network sees
(``tenants.networks.selectors.cooperatives_visible_to_network``), of the groups each shares
with it. A suppressed cell (fewer than five behind it) has no value and is left out, and the
pages say how many were. Nothing reads a cooperative's schema."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django_stubs_ext import StrOrPromise

from cooperatives.surveys.positive_health import DIMENSIONS
from tenants.figures.models import Figure
from tenants.models import Cooperative, Network
from tenants.networks.selectors import Visible, cooperatives_visible_to_network
from tenants.savings.models import SavingsParameters

CENT = Decimal("0.01")
TENTH = Decimal("0.1")

# The Figure cells these pages read: (group, metric). Hours per cluster have the cluster's
# name as dimension, the cooperative's total an empty one.
HOURS = ("help", "hours")
RATING = ("feedback", "average_rating")
WELLBEING = ("wellbeing", "score")


# --- months --------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_add(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every first-of-the-month from ``first`` to ``last``, both included."""
    months: list[dt.date] = []
    month = month_start(first)
    while month <= last:
        months.append(month)
        month = month_add(month, 1)
    return months


# --- parameters ----------------------------------------------------------------------------------


def parameter_versions(*, network: Network) -> QuerySet[SavingsParameters]:
    """Every version of the network's parameters, newest first, with their clusters."""
    return (
        SavingsParameters.objects.filter(network=network)
        .prefetch_related("clusters")
        .order_by("-version")
    )


def parameters_get(*, network: Network, version: int) -> SavingsParameters | None:
    return parameter_versions(network=network).filter(version=version).first()


def parameters_in_force(*, network: Network, on: dt.date) -> SavingsParameters | None:
    """The version that applies on ``on``: the latest ``valid_from`` on or before it (of two
    from the same day, the later version)."""
    return (
        parameter_versions(network=network)
        .filter(valid_from__lte=on)
        .order_by("-valid_from", "-version")
        .first()
    )


@dataclass(frozen=True)
class Rate:
    share: Decimal
    hourly_cost: Decimal
    # The cluster name the version lists, or "" when the default applied.
    listed_as: str = ""


def rate_for(parameters: SavingsParameters, cluster: str) -> Rate:
    """The share and cost for a cluster name: its own when the version lists it (without
    regard to capitals or spaces), else the version's default."""
    wanted = " ".join(cluster.split()).casefold()
    for row in parameters.clusters.all():
        if row.cluster.casefold() == wanted:
            return Rate(row.share, row.hourly_cost, row.cluster)
    return Rate(parameters.share, parameters.hourly_cost)


def amount(hours: Decimal, rate: Rate) -> Decimal:
    """The estimate's formula: hours × substitution share × hourly cost, to the cent."""
    return (hours * rate.share * rate.hourly_cost).quantize(CENT, rounding=ROUND_HALF_UP)


# --- the figures a network may read --------------------------------------------------------------


def sharing(*, network: Network, group: str) -> tuple[list[Cooperative], list[Cooperative]]:
    """The cooperatives the network sees that share ``group`` with it, and those that do not."""
    visible: list[Visible] = cooperatives_visible_to_network(network=network)
    shared = [v.cooperative for v in visible if group in v.groups]
    not_shared = [v.cooperative for v in visible if group not in v.groups]
    return shared, not_shared


def shared_figures(
    *,
    network: Network,
    cell: tuple[str, str],
    first: dt.date,
    last: dt.date,
    cooperatives: list[Cooperative] | None = None,
) -> QuerySet[Figure]:
    """The cells ``cell`` = (group, metric) from ``first`` to ``last`` (months) of the
    cooperatives that share the group with the network, suppressed ones included."""
    group, metric = cell
    if cooperatives is None:
        cooperatives, _others = sharing(network=network, group=group)
    if not cooperatives:
        return Figure.objects.none()
    return Figure.objects.filter(
        Q(cooperative__in=cooperatives),
        group=group,
        metric=metric,
        month__gte=month_start(first),
        month__lte=month_start(last),
    ).select_related("cooperative")


# --- the estimate --------------------------------------------------------------------------------


@dataclass
class ClusterLine:
    cluster: str
    hours: Decimal
    rate: Rate
    amount: Decimal


@dataclass
class CooperativeEstimate:
    cooperative: Cooperative
    lines: list[ClusterLine] = field(default_factory=list)
    suppressed: int = 0  # hour cells left out

    @property
    def hours(self) -> Decimal:
        return sum((line.hours for line in self.lines), Decimal(0))

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


@dataclass
class Estimate:
    parameters: SavingsParameters | None
    first: dt.date
    last: dt.date
    cooperatives: list[CooperativeEstimate]
    # The same lines added up over the cooperatives, per cluster name.
    clusters: list[ClusterLine]
    suppressed: int
    not_shared: list[Cooperative]

    @property
    def hours(self) -> Decimal:
        return sum((c.hours for c in self.cooperatives), Decimal(0))

    @property
    def amount(self) -> Decimal:
        return sum((c.amount for c in self.cooperatives), Decimal(0))


def savings_estimate(
    *,
    network: Network,
    first: dt.date,
    last: dt.date,
    parameters: SavingsParameters | None,
) -> Estimate:
    """The estimate per cooperative and per cluster over the months ``first`` to ``last``:
    each cooperative's hours of a cluster (its shown cells added up) × the cluster's share ×
    its hourly cost. Suppressed cells are counted, never estimated. Without parameters the
    hours are given and the amounts are zero."""
    shared, not_shared = sharing(network=network, group=HOURS[0])
    rows = shared_figures(
        network=network, cell=HOURS, first=first, last=last, cooperatives=shared
    ).exclude(dimension="")
    hours: dict[int, dict[str, Decimal]] = defaultdict(dict)
    suppressed: dict[int, int] = defaultdict(int)
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for figure in rows.order_by("cooperative_id", "dimension", "month"):
        if figure.suppressed or figure.value is None:
            suppressed[figure.cooperative_id] += 1
            continue
        name = " ".join(figure.dimension.split())
        key = name.casefold()
        names[figure.cooperative_id].setdefault(key, name)
        per = hours[figure.cooperative_id]
        per[key] = per.get(key, Decimal(0)) + figure.value
    no_rate = Rate(Decimal(0), Decimal(0))
    estimates: list[CooperativeEstimate] = []
    totals: dict[str, ClusterLine] = {}
    for cooperative in shared:
        estimate = CooperativeEstimate(cooperative, suppressed=suppressed[cooperative.pk])
        for key, value in sorted(hours[cooperative.pk].items()):
            name = names[cooperative.pk][key]
            rate = rate_for(parameters, name) if parameters is not None else no_rate
            line = ClusterLine(name, value, rate, amount(value, rate))
            estimate.lines.append(line)
            # Added up under the name the parameters list, else the first cooperative's.
            total = totals.setdefault(
                key, ClusterLine(rate.listed_as or name, Decimal(0), rate, Decimal(0))
            )
            total.hours += line.hours
            total.amount += line.amount
        estimates.append(estimate)
    return Estimate(
        parameters=parameters,
        first=month_start(first),
        last=month_start(last),
        cooperatives=estimates,
        clusters=[totals[key] for key in sorted(totals)],
        suppressed=sum(suppressed.values()),
        not_shared=not_shared,
    )


# --- Triple Aim ----------------------------------------------------------------------------------


@dataclass
class Mean:
    """The mean of the cooperatives' shown values for one month (each cooperative weighs the
    same: the figures carry averages, not the answers behind them)."""

    value: Decimal | None
    cooperatives: int
    suppressed: int


def _means(rows: QuerySet[Figure], months: list[dt.date]) -> dict[tuple[dt.date, str], Mean]:
    values: dict[tuple[dt.date, str], list[Decimal]] = defaultdict(list)
    hidden: dict[tuple[dt.date, str], int] = defaultdict(int)
    for month, dimension, value, is_suppressed in rows.values_list(
        "month", "dimension", "value", "suppressed"
    ):
        if is_suppressed or value is None:
            hidden[(month, dimension)] += 1
        else:
            values[(month, dimension)].append(value)
    keys = set(values) | set(hidden)
    return {
        key: Mean(
            (sum(values[key], Decimal(0)) / len(values[key])).quantize(TENTH, ROUND_HALF_UP)
            if values[key]
            else None,
            len(values[key]),
            hidden[key],
        )
        for key in keys
        if key[0] in months
    }


def _monthly_amounts(
    rows: QuerySet[Figure], parameters: SavingsParameters | None
) -> dict[dt.date, Decimal]:
    """The estimate per month: each shown cell of hours per cluster × its cluster's rate."""
    if parameters is None:
        return {}
    amounts: dict[dt.date, Decimal] = {}
    for month, cluster, value in rows.filter(suppressed=False, value__isnull=False).values_list(
        "month", "dimension", "value"
    ):
        if value is None:  # excluded above; the check tells the type checker
            continue
        amounts[month] = amounts.get(month, Decimal(0)) + amount(
            value, rate_for(parameters, cluster)
        )
    return amounts


@dataclass
class WellbeingRow:
    month: dt.date
    scores: list[tuple[StrOrPromise, Mean]]  # per dimension, in the order of DIMENSIONS


@dataclass
class ExperienceRow:
    month: dt.date
    rating: Mean


@dataclass
class CostRow:
    month: dt.date
    hours: Decimal | None
    cooperatives: int
    suppressed: int
    amount: Decimal | None


@dataclass
class TripleAim:
    months: list[dt.date]
    wellbeing: list[WellbeingRow]
    experience: list[ExperienceRow]
    cost: list[CostRow]
    parameters: SavingsParameters | None
    sharing: dict[str, int]  # group -> how many cooperatives share it with the network
    seen: int  # cooperatives the network sees


def triple_aim(
    *, network: Network, first: dt.date, last: dt.date, parameters: SavingsParameters | None
) -> TripleAim:
    """The three aims per month for the network: quality of life (the mean score per dimension
    of Positieve Gezondheid), experience (the mean of the feedback ratings) and cost (hours of
    informal help, and the savings estimate with ``parameters``)."""
    months = months_between(first, last)
    visible = cooperatives_visible_to_network(network=network)

    def shared(group: str) -> list[Cooperative]:
        return [v.cooperative for v in visible if group in v.groups]

    wellbeing = _means(
        shared_figures(
            network=network,
            cell=WELLBEING,
            first=first,
            last=last,
            cooperatives=shared("wellbeing"),
        ),
        months,
    )
    ratings = _means(
        shared_figures(
            network=network, cell=RATING, first=first, last=last, cooperatives=shared("feedback")
        ).filter(dimension=""),
        months,
    )
    totals = shared_figures(
        network=network, cell=HOURS, first=first, last=last, cooperatives=shared("help")
    ).filter(dimension="")
    hours: dict[dt.date, list[Decimal]] = defaultdict(list)
    hidden: dict[dt.date, int] = defaultdict(int)
    for month, value, is_suppressed in totals.values_list("month", "value", "suppressed"):
        if is_suppressed or value is None:
            hidden[month] += 1
        else:
            hours[month].append(value)
    empty = Mean(None, 0, 0)
    amounts = _monthly_amounts(
        shared_figures(
            network=network, cell=HOURS, first=first, last=last, cooperatives=shared("help")
        ).exclude(dimension=""),
        parameters,
    )
    cost = [
        CostRow(
            month,
            sum(hours[month], Decimal(0)) if hours[month] else None,
            len(hours[month]),
            hidden[month],
            amounts.get(month),
        )
        for month in months
    ]
    return TripleAim(
        months=months,
        wellbeing=[
            WellbeingRow(
                month, [(d.label, wellbeing.get((month, d.key), empty)) for d in DIMENSIONS]
            )
            for month in months
        ],
        experience=[ExperienceRow(month, ratings.get((month, ""), empty)) for month in months],
        cost=cost,
        parameters=parameters,
        sharing={group: len(shared(group)) for group in ("wellbeing", "feedback", "help")},
        seen=len(visible),
    )
