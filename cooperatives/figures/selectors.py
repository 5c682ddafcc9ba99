"""The aggregate cells of one cooperative, per month, computed inside its own schema.

This is the only code that turns a cooperative's records into figures a network may see. It
reads the cooperative's schema (whatever schema the connection is in) and returns ``Cell``s:
counts and amounts over groups of members or services, whose dimension is a cluster's name
(set by the board), a member kind's code or nothing. No member id, name, address or free text
is ever put in a cell. Suppression of small cells happens afterwards, in
``tenants.figures.suppression``, before anything is written to the public schema.

Each figure counts what the cooperative's own pages count, with the same filters, so a network
never sees a number the board would not recognise:
- members joined, left and at month end by kind: as the annual report's members section
  (``cooperatives.annual_report.figures.members``), per month instead of per year;
- services: confirmed services on the day they were given, as the annual report and the
  monthly statements count them; hours are the registered hours (the planned ones where none
  were registered, as the annual report adds them);
- near by: the same street and the same buurt as matching ranks them (``same_street``);
- feedback: the ratings of those services;
- points in circulation at month end: what every account but the issuance account holds,
  which the ledger keeps equal to what the issuance account gave out (``points.circulation``).

The klussen (billing) and wellbeing groups are computed by the layer that holds their data,
through ``cooperatives.figures.registry``."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from cooperatives.figures.catalog import GROUP_KEYS
from cooperatives.figures.cells import Cell
from cooperatives.figures.registry import figure_group_compute
from cooperatives.marketplace.matching import same_street
from cooperatives.marketplace.models import HelpRequest, Service
from cooperatives.members.models import Member
from cooperatives.points.models import Account, Posting

ZERO = Decimal("0")
TENTH = Decimal("0.1")
# Figure.dimension holds at most this many characters.
DIMENSION_LENGTH = 80
MONTHS_BACK = 13


# --- months --------------------------------------------------------------------------------------


def month_first(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_next(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def months_back(*, today: dt.date | None = None, count: int = MONTHS_BACK) -> list[dt.date]:
    """The first days of the last ``count`` months, oldest first, the current month last."""
    month = month_first(today or timezone.localdate())
    found = [month]
    while len(found) < count:
        month = month_first(month - dt.timedelta(days=1))
        found.append(month)
    return found[::-1]


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of the month and of the next, in the cooperative's time zone."""
    following = month_next(month)
    return (
        timezone.make_aware(dt.datetime(month.year, month.month, 1)),
        timezone.make_aware(dt.datetime(following.year, following.month, 1)),
    )


def _last_day(month: dt.date) -> dt.date:
    return month_next(month) - dt.timedelta(days=1)


# --- helpers -------------------------------------------------------------------------------------


def _count_cell(month: dt.date, group: str, metric: str, n: int) -> Cell:
    """A count standing alone: its value is its count."""
    return Cell(month=month, group=group, metric=metric, value=Decimal(n), count=n)


def _dimension(name: str | None) -> str:
    """A cluster's name as a dimension: the board chose it; cut to what the row holds."""
    return (name or "").strip()[:DIMENSION_LENGTH] or "-"


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(TENTH) if whole else ZERO


def _services_given(first: dt.date, last: dt.date) -> QuerySet[Service]:
    """The services given from ``first`` to ``last`` (days): confirmed ones, on the day they
    were given (as the annual report and the statements count them)."""
    return Service.objects.filter(status=Service.Status.CONFIRMED, date__gte=first, date__lte=last)


def _month_of(moment: dt.datetime | dt.date) -> dt.date:
    """The month (its first day) of a moment in the cooperative's time zone, or of a day."""
    day = timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment
    return day.replace(day=1)


@dataclass(frozen=True)
class Given:
    """One service given, as the figures need it: no name, no address leaves this module
    (the addresses are compared here, only whether they match is kept)."""

    month: dt.date
    cluster: str
    hours: Decimal
    same_street: bool
    same_buurt: bool
    requester_id: int
    volunteer_id: int
    rating: int | None


def _given(months: list[dt.date]) -> dict[dt.date, list[Given]]:
    """The services given in ``months``, by month, in one query."""
    found: dict[dt.date, list[Given]] = {month: [] for month in months}
    rows = (
        _services_given(months[0], _last_day(months[-1]))
        .annotate(hours=Coalesce("registered_hours", "planned_hours"))
        .values_list(
            "date",
            "cluster__name",
            "hours",
            "request__street",
            "request__postcode",
            "request__neighbourhood_id",
            "volunteer__street",
            "volunteer__postcode",
            "volunteer__neighbourhood_id",
            "requester_id",
            "volunteer_id",
            "rating",
        )
    )
    for row in rows:
        day, cluster, hours, street, postcode, buurt, v_street, v_postcode, v_buurt = row[:9]
        requester_id: int = row[9]
        volunteer_id: int = row[10]
        month = _month_of(day)
        if month in found:
            found[month].append(
                Given(
                    month=month,
                    cluster=_dimension(cluster),
                    hours=hours or ZERO,
                    # Near by, as matching ranks it: the request keeps where the help was;
                    # the volunteer's address is the one known now (as the annual report).
                    same_street=same_street(street, postcode, v_street, v_postcode),
                    same_buurt=buurt is not None and buurt == v_buurt,
                    requester_id=requester_id,
                    volunteer_id=volunteer_id,
                    rating=row[11],
                )
            )
    return found


def _table(
    month: dt.date,
    group: str,
    metric: str,
    table: str,
    rows: dict[str, tuple[int, Decimal]],
) -> list[Cell]:
    """One table: a cell per dimension with its (count, value), and the total (dimension "")."""
    cells = [
        Cell(
            month=month,
            group=group,
            metric=metric,
            value=value,
            count=count,
            dimension=dimension,
            table=table,
        )
        for dimension, (count, value) in sorted(rows.items())
    ]
    cells.append(
        Cell(
            month=month,
            group=group,
            metric=metric,
            value=sum((value for _count, value in rows.values()), ZERO),
            count=sum(count for count, _value in rows.values()),
            dimension="",
            table=table,
        )
    )
    return cells


# --- members -------------------------------------------------------------------------------------


def members_compute(
    *, months: list[dt.date], given: dict[dt.date, list[Given]] | None = None
) -> list[Cell]:
    """Per month: joined and left, members at its end by kind (a table with their total), and
    the active volunteers (members who gave at least one service that month)."""
    people = list(Member.objects.values_list("kind", "joined_at", "left_at", "erased_at"))
    given = given if given is not None else _given(months)
    cells: list[Cell] = []
    for month in months:
        start, end = month_bounds(month)
        joined = left = 0
        by_kind = dict.fromkeys(Member.Kind.values, 0)
        for kind, joined_at, left_at, erased_at in people:
            joined += start <= joined_at < end
            # Left in the month: the day they left, or the day they were erased without
            # having left before (as the annual report counts it).
            gone_at = left_at or erased_at
            left += gone_at is not None and start <= gone_at < end
            # At month end: joined before it ended, not left or erased by then.
            gone_by_end = (left_at is not None and left_at < end) or (
                erased_at is not None and erased_at < end
            )
            if joined_at < end and not gone_by_end:
                by_kind[kind] = by_kind.get(kind, 0) + 1
        volunteers = len({g.volunteer_id for g in given[month]})
        cells += [
            _count_cell(month, "members", "joined", joined),
            _count_cell(month, "members", "left", left),
            *_table(
                month,
                "members",
                "members",
                "members",
                {kind: (n, Decimal(n)) for kind, n in by_kind.items()},
            ),
            _count_cell(month, "members", "active_volunteers", volunteers),
        ]
    return cells


# --- help ----------------------------------------------------------------------------------------


def _first_matches(months: list[dt.date]) -> dict[dt.date, list[Decimal]]:
    """Days from a request to its match (the first service made for it: a volunteer's answer
    accepted), by the month of the match."""
    start, end = month_bounds(months[0])[0], month_bounds(months[-1])[1]
    waits: dict[dt.date, list[Decimal]] = {month: [] for month in months}
    for asked, first in (
        Service.objects.values("request_id", "request__created_at")
        .annotate(first=Min("created_at"))
        .filter(first__gte=start, first__lt=end)
        .values_list("request__created_at", "first")
    ):
        month = _month_of(first)
        if month in waits:
            waits[month].append(Decimal((first - asked).total_seconds()) / 86400)
    return waits


def help_compute(
    *, months: list[dt.date], given: dict[dt.date, list[Given]] | None = None
) -> list[Cell]:
    """Per month: requests and services by cluster (tables with totals), hours of help by
    cluster, the share of services within the same street and the same buurt, the median days
    from a request to its match, and the members helped, and helped more than once."""
    group = "help"
    start, end = month_bounds(months[0])[0], month_bounds(months[-1])[1]
    requests: dict[dt.date, Counter[str]] = {month: Counter() for month in months}
    for created_at, name in HelpRequest.objects.filter(
        created_at__gte=start, created_at__lt=end
    ).values_list("created_at", "cluster__name"):
        month = _month_of(created_at)
        if month in requests:
            requests[month][_dimension(name)] += 1
    given = given if given is not None else _given(months)
    waits = _first_matches(months)
    # Repeat help: a member helped in a month whose service then is at least their second
    # (counting every confirmed service up to that month's end, also before the window).
    earlier = Counter(
        dict(
            _services_given(dt.date(1, 1, 1), months[0] - dt.timedelta(days=1))
            .values("requester_id")
            .annotate(n=Count("id"))
            .values_list("requester_id", "n")
        )
    )
    cells: list[Cell] = []
    for month in months:
        services: dict[str, tuple[int, Decimal]] = {}
        for g in given[month]:
            count, hours = services.get(g.cluster, (0, ZERO))
            services[g.cluster] = (count + 1, hours + g.hours)
        n = len(given[month])
        cells += [
            *_table(
                month,
                group,
                "requests",
                "requests",
                {k: (c, Decimal(c)) for k, c in requests[month].items()},
            ),
            *_table(
                month,
                group,
                "services",
                "services",
                {k: (c, Decimal(c)) for k, (c, _h) in services.items()},
            ),
            *_table(month, group, "hours", "hours", services),
            # A share is about all the month's services: hidden when they are fewer than 5.
            Cell(
                month=month,
                group=group,
                metric="same_street_share",
                value=_percent(sum(g.same_street for g in given[month]), n),
                count=n,
            ),
            Cell(
                month=month,
                group=group,
                metric="same_buurt_share",
                value=_percent(sum(g.same_buurt for g in given[month]), n),
                count=n,
            ),
            Cell(
                month=month,
                group=group,
                metric="median_days_to_match",
                value=(
                    Decimal(statistics.median(waits[month])).quantize(TENTH)
                    if waits[month]
                    else ZERO
                ),
                count=len(waits[month]),
            ),
        ]
        this_month = Counter(g.requester_id for g in given[month])
        earlier.update(this_month)  # up to this month's end now
        cells += [
            _count_cell(month, group, "members_helped", len(this_month)),
            _count_cell(
                month, group, "repeat_help", sum(1 for member in this_month if earlier[member] >= 2)
            ),
        ]
    return cells


# --- feedback ------------------------------------------------------------------------------------


def feedback_compute(
    *, months: list[dt.date], given: dict[dt.date, list[Given]] | None = None
) -> list[Cell]:
    """Per month: how many of the month's services were rated, and their average (1-5)."""
    given = given if given is not None else _given(months)
    cells: list[Cell] = []
    for month in months:
        ratings = [g.rating for g in given[month] if g.rating is not None]
        average = Decimal(sum(ratings)) / len(ratings) if ratings else ZERO
        cells += [
            _count_cell(month, "feedback", "ratings", len(ratings)),
            Cell(
                month=month,
                group="feedback",
                metric="average_rating",
                value=average.quantize(TENTH),
                count=len(ratings),
            ),
        ]
    return cells


# --- points --------------------------------------------------------------------------------------


def points_compute(*, months: list[dt.date], given: object = None) -> list[Cell]:
    """Per month: the points in circulation at its end (now, for the running month): what the
    issuance account had given out by then, which every other account holds together
    (``points.circulation``). Its count is the members whose account had moved by then."""
    issued = list(
        Posting.objects.filter(account__kind=Account.Kind.ISSUANCE)
        .values_list("created_at", "amount")
        .order_by()
    )
    holders = list(
        Posting.objects.filter(account__kind=Account.Kind.MEMBER)
        .values("account_id")
        .annotate(first=Min("created_at"))
        .values_list("first", flat=True)
    )
    cells = []
    for month in months:
        _start, end = month_bounds(month)
        out = sum((amount for at, amount in issued if at < end), ZERO)
        cells.append(
            Cell(
                month=month,
                group="points",
                metric="in_circulation",
                value=-out,
                count=sum(1 for first in holders if first < end),
            )
        )
    return cells


# --- all of it -----------------------------------------------------------------------------------

# The groups this package computes itself, each over all the months at once (a handful of
# queries per cooperative, whatever the number of months: the nightly run covers hundreds of
# cooperatives). Other groups come from ``registry`` (one call per month).
BUILT_IN: dict[str, Callable[..., list[Cell]]] = {
    "members": members_compute,
    "help": help_compute,
    "feedback": feedback_compute,
    "points": points_compute,
}


def figures_compute(*, groups: Iterable[str], months: Iterable[dt.date]) -> list[Cell]:
    """The cells of ``groups`` (keys of the catalog; others are ignored) for each month, in the
    schema the connection is in. A group without a computer gives no cells."""
    months = sorted(set(months))
    wanted = [key for key in GROUP_KEYS if key in set(groups)]
    cells: list[Cell] = []
    if not months:
        return cells
    # The services given in the window, read once for the groups that need them.
    given = _given(months) if {"members", "help", "feedback"} & set(wanted) else None
    for key in wanted:
        built_in = BUILT_IN.get(key)
        if built_in is not None:
            cells.extend(built_in(months=months, given=given))
            continue
        for month in months:
            # A registered computer answers for its own group and month only.
            found = figure_group_compute(key, month=month)
            cells.extend(c for c in found if c.group == key and c.month == month)
    return cells
