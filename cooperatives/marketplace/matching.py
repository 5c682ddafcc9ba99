"""Suggested volunteers for a request, best first, each with the reasons in plain Dutch.

The ranking adds up parts that each explain themselves: cluster and skills fit, distance
(same street, same buurt, a bordering buurt, the rest), availability, fair spread (fewer recent
services first), feedback received and a shared language. Everything is read in a fixed number
of queries (the candidates with their cluster fit annotated, one grouped pass over past services,
the offers in the cluster, the bordering buurten, the winners' records) and scored in Python, so
the time stays flat with thousands of members.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Exists, F, Func, OuterRef, Q, TextField, Value
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cooperatives.marketplace.models import HelpRequest, HelpResponse, Offer, Reach, Service
from cooperatives.members.models import DAY_PARTS, DAYS, Member, Role, RoleAssignment
from cooperatives.setup.models import Neighbourhood

VOLUNTEER_ROLES = (Role.VOLUNTEER, Role.NEIGHBOURHOOD_ASSISTANT, Role.COORDINATOR)
RECENT_DAYS = 90
FEW_SERVICES = 2  # at most this many recent services earns the "nog weinig diensten" reason

# Weights: distance and cluster fit dominate; the rest orders volunteers who are alike there.
W_CLUSTER, W_TALENT = 30.0, 10.0
W_STREET, W_BUURT, W_ADJACENT = 25.0, 18.0, 9.0
W_AVAILABLE = 12.0
W_SPREAD_MAX = 10.0  # minus one point per recent service
W_RATING = 2.0  # per star above (or below) 3
W_LANGUAGE = 6.0

_WEEKDAY_CODES = [code for code, _label in DAYS]  # date.weekday(): 0 = maandag = "ma"
# Words of three letters or more that say nothing about the skill asked for.
_STOPWORDS = frozenset(
    {"hulp", "bij", "met", "voor", "een", "het", "van", "aan", "naar", "die", "dat", "graag"}
    | {"nodig", "iemand", "zoek", "zoekt", "gezocht", "vraag", "mijn", "onze", "wie", "kan"}
)
_SEP = "\x1f"  # ASCII unit separator: no tag typed by a person contains it
_WORD = re.compile(r"[^\W\d_]+")
# A volunteer with several offers in one cluster goes as far as the widest of them.
_RANK: dict[str, int] = {Reach.STREET: 0, Reach.NEIGHBOURHOOD: 1, Reach.COOPERATIVE: 2}


@dataclass(frozen=True)
class Suggestion:
    member: Member
    score: float
    reasons: list[str]


def suggest_volunteers(*, request: HelpRequest, limit: int = 10) -> list[Suggestion]:
    """The best ``limit`` volunteers for ``request``, excluding the requester and everyone who
    already answered "ik help" (those are listed with the responses)."""
    ctx = _Context(
        here=_street_key(request.street, request.postcode),
        buurt=request.neighbourhood_id,
        adjacent=_adjacent_ids(request.neighbourhood_id),
        offers=_offers_in_cluster(cluster_id=request.cluster_id),
        stats=_service_stats(),
        wanted=_wanted_slots(request.preferred_dates, request.preferred_parts),
        title_words=_words(request.title),
        languages={lang.lower() for lang in request.requester.languages},
    )
    # Only the best ``limit`` judgements are kept: holding one for each of thousands of
    # volunteers would wake Python's garbage collector on every call.
    judged = (j for row in _candidates(request=request) if (j := _judge(ctx, row)) is not None)
    # Ties: fewer recent services first, then by name, so the order is stable.
    top = heapq.nsmallest(max(limit, 0), judged, key=lambda j: (-j[0], j[1], j[2], j[3]))
    members = Member.objects.select_related("neighbourhood").in_bulk([j[3] for j in top])
    cluster = request.cluster.name
    return [
        Suggestion(
            member=members[pk], score=score, reasons=[_say(r, cluster=cluster) for r in reasons]
        )
        for score, _recent, _name, pk, reasons in top
    ]


@dataclass
class _Context:
    """What every candidate is measured against."""

    here: tuple[str, str] | None
    buurt: int | None
    adjacent: frozenset[int]
    offers: dict[int, tuple[str, list[str]]]
    stats: dict[int, tuple[int, float | None]]
    wanted: list[str]
    title_words: set[str]
    languages: set[str]
    talent_fits: dict[str, bool] = field(default_factory=dict)


# A reason is (kind, value): the kind says which words it becomes (``_say``), the value what
# they name (talents, availability slots, a number of services, a rating, languages or None).
Reason = tuple[str, Any]
# (score, recent services, name, id, reasons): the order of the tuple is the ranking's.
Judged = tuple[float, int, str, int, list[Reason]]


def _judge(ctx: _Context, row: tuple[Any, ...]) -> Judged | None:
    """(score, recent services, name, id, reasons) for one candidate, or None when their
    offer does not reach this far. Reasons stay (kind, value) pairs here and are put into words
    for the winners only: translating them for every candidate would cost more than the rest.
    The score adds up the parts below, each of which also says why it counts."""
    pk, name, street, postcode, buurt_id, languages, talents, availability, helps = row
    offer = ctx.offers.get(pk)
    same_street = ctx.here is not None and ctx.here == _street_key(street, postcode)
    same_buurt = ctx.buurt is not None and ctx.buurt == buurt_id
    if offer and not _within_reach(offer[0], same_street=same_street, same_buurt=same_buurt):
        return None
    reasons: list[Reason] = []
    recent, rating = ctx.stats.get(pk, (0, None))
    score = 0.0
    score += _cluster_part(bool(helps or offer), reasons)
    score += _talent_part(ctx, _split(talents), reasons)
    score += _distance_part(ctx, same_street, same_buurt, buurt_id, reasons)
    score += _availability_part(ctx, _split(availability), offer, reasons)
    score += _spread_part(recent, reasons)
    score += _rating_part(rating, reasons)
    score += _language_part(ctx, _split(languages), reasons)
    return round(score, 2), recent, name, pk, reasons


def _split(joined: str | None) -> list[str]:
    return joined.split(_SEP) if joined else []


def _cluster_part(helps: bool, reasons: list[Reason]) -> float:
    """They help in the request's cluster (named it, or offer help in it)."""
    if not helps:
        return 0.0
    reasons.append(("cluster", None))
    return W_CLUSTER


def _talent_part(ctx: _Context, talents: list[str], reasons: list[Reason]) -> float:
    """A talent of theirs fits a word of the request's title (each talent judged once)."""
    fitting = []
    for talent in talents:
        if talent not in ctx.talent_fits:
            ctx.talent_fits[talent] = _matches(_words(talent), ctx.title_words)
        if ctx.talent_fits[talent]:
            fitting.append(talent)
    if not fitting:
        return 0.0
    reasons.append(("talent", fitting))
    return W_TALENT


def _distance_part(
    ctx: _Context, same_street: bool, same_buurt: bool, buurt_id: int | None, reasons: list[Reason]
) -> float:
    """The same street, else the same buurt, else a bordering one."""
    if same_street:
        reasons.append(("street", None))
        return W_STREET
    if same_buurt:
        reasons.append(("buurt", None))
        return W_BUURT
    if buurt_id in ctx.adjacent:
        reasons.append(("adjacent", None))
        return W_ADJACENT
    return 0.0


def _availability_part(
    ctx: _Context,
    availability: list[str],
    offer: tuple[str, list[str]] | None,
    reasons: list[Reason],
) -> float:
    """They are available (in general or in an offer) when the request would like help."""
    if not ctx.wanted:
        return 0.0
    overlap = set(availability).union(offer[1] if offer else ()).intersection(ctx.wanted)
    if not overlap:
        return 0.0
    reasons.append(("available", sorted(overlap, key=ctx.wanted.index)[:2]))
    return W_AVAILABLE


def _spread_part(recent: int, reasons: list[Reason]) -> float:
    """Fair spread: fewer recent services, more points."""
    if recent <= FEW_SERVICES:
        reasons.append(("few", recent))
    return max(W_SPREAD_MAX - recent, 0.0)


def _rating_part(rating: float | None, reasons: list[Reason]) -> float:
    """The average rating of their confirmed services, above or below 3 stars."""
    if rating is None:
        return 0.0
    reasons.append(("rating", rating))
    return (rating - 3.0) * W_RATING


def _language_part(ctx: _Context, languages: list[str], reasons: list[Reason]) -> float:
    """They speak a language of the requester."""
    shared = [lang for lang in languages if lang.lower() in ctx.languages]
    if not shared:
        return 0.0
    reasons.append(("language", shared))
    return W_LANGUAGE


def _say(reason: Reason, *, cluster: str) -> str:
    kind, value = reason
    if kind == "cluster":
        return _("helpt bij %(cluster)s") % {"cluster": cluster}
    if kind == "talent":
        return _("talent: %(talent)s") % {"talent": ", ".join(value)}
    if kind == "street":
        return _("woont in dezelfde straat")
    if kind == "buurt":
        return _("in dezelfde buurt")
    if kind == "adjacent":
        return _("in een aangrenzende buurt")
    if kind == "available":
        labels = [_slot_label(slot) for slot in value]
        if len(labels) == 1:
            return _("beschikbaar op %(when)s") % {"when": labels[0]}
        return _("beschikbaar op %(first)s en %(second)s") % {
            "first": labels[0],
            "second": labels[1],
        }
    if kind == "few":
        return _("nog weinig diensten gedaan (%(n)s in %(days)s dagen)") % {
            "n": value,
            "days": RECENT_DAYS,
        }
    if kind == "rating":
        return _("gemiddelde waardering %(rating)s") % {
            "rating": number_format(value, decimal_pos=1)
        }
    return _("spreekt %(languages)s") % {"languages": ", ".join(value)}


# --- the parts ---------------------------------------------------------------------------------


def _street_key(street: str, postcode: str) -> tuple[str, str] | None:
    """Same street means the same street name in the same postcode area (4 digits): street
    names repeat across a city, postcode letters change along one long street."""
    name = " ".join(street.lower().split())
    return (name, postcode[:4]) if name and postcode[:4] else None


def same_street(street: str, postcode: str, other_street: str, other_postcode: str) -> bool:
    """Two addresses in the same street, as matching counts it (the annual report asks)."""
    here = _street_key(street, postcode)
    return here is not None and here == _street_key(other_street, other_postcode)


def _within_reach(reach: str, *, same_street: bool, same_buurt: bool) -> bool:
    if reach == Reach.STREET:
        return same_street
    if reach == Reach.NEIGHBOURHOOD:
        return same_street or same_buurt
    return True


def _adjacent_ids(neighbourhood_id: int | None) -> frozenset[int]:
    if neighbourhood_id is None:
        return frozenset()
    through = Neighbourhood.adjacent.through
    return frozenset(
        through.objects.filter(from_neighbourhood_id=neighbourhood_id).values_list(
            "to_neighbourhood_id", flat=True
        )
    )


def _offers_in_cluster(*, cluster_id: int) -> dict[int, tuple[str, list[str]]]:
    """Per volunteer with an active offer in the cluster: the widest reach they offer and the
    availability of all their offers there."""
    out: dict[int, tuple[str, list[str]]] = {}
    rows = Offer.objects.filter(cluster_id=cluster_id, status=Offer.Status.ACTIVE).values_list(
        "volunteer_id", "reach", "availability"
    )
    for volunteer_id, reach, availability in rows:
        if volunteer_id in out:
            known, slots = out[volunteer_id]
            reach = max(known, reach, key=_RANK.__getitem__)
            availability = [*slots, *availability]
        out[volunteer_id] = (reach, availability)
    return out


def _candidates(*, request: HelpRequest):
    """One row per possible volunteer with what scoring needs. The tag lists come as one
    string each (split again in ``_judge``): rows of plain strings and numbers are left alone by
    Python's garbage collector, rows holding three lists each made it sweep the whole process
    every few calls, which alone doubled the slowest timings."""
    joined = {
        f"{name}_joined": Func(
            F(name), Value(_SEP), function="array_to_string", output_field=TextField()
        )
        for name in ("languages", "talents", "availability")
    }
    return (
        Member.objects.filter(status=Member.Status.ACTIVE)
        .filter(
            Exists(
                RoleAssignment.objects.filter(member_id=OuterRef("pk"), role__in=VOLUNTEER_ROLES)
            )
        )
        .exclude(pk=request.requester_id)
        .exclude(Exists(HelpResponse.objects.filter(request=request, volunteer_id=OuterRef("pk"))))
        .annotate(
            helps_cluster=Exists(
                Member.help_clusters.through.objects.filter(
                    member_id=OuterRef("pk"), cluster_id=request.cluster_id
                )
            ),
            **joined,
        )
        .order_by()
        .values_list(
            "id", "name", "street", "postcode", "neighbourhood_id", *joined, "helps_cluster"
        )
    )


def _service_stats() -> dict[int, tuple[int, float | None]]:
    """Per volunteer: services in the last RECENT_DAYS (cancelled ones not counted) and the
    average rating of their confirmed services. One grouped pass over the services is cheaper
    than a subquery per candidate (and stays under PostgreSQL's JIT threshold)."""
    since = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
    rows = (
        Service.objects.order_by()
        .values("volunteer_id")
        .annotate(
            recent=Count("pk", filter=Q(date__gte=since) & ~Q(status=Service.Status.CANCELLED)),
            rating=Avg("rating", filter=Q(status=Service.Status.CONFIRMED)),
        )
        .values_list("volunteer_id", "recent", "rating")
    )
    return {pk: (recent, rating) for pk, recent, rating in rows}


def _wanted_slots(dates: list[dt.date], parts: list[str]) -> list[str]:
    """Availability codes ("di-middag") that fit the request, in the order of its dates; no
    preference at all means availability does not count."""
    days = list(dict.fromkeys(_WEEKDAY_CODES[d.weekday()] for d in sorted(dates)))
    all_parts = [code for code, _label in DAY_PARTS]
    if not days and not parts:
        return []
    return [f"{d}-{p}" for d in days or _WEEKDAY_CODES for p in (parts or all_parts)]


def _slot_label(code: str) -> str:
    day, part = code.split("-")
    # Translators: a weekday and a part of the day, in Dutch one word ("dinsdagmiddag").
    return pgettext("day and part", "%(day)s%(part)s") % {
        "day": dict(DAYS)[day],
        "part": dict(DAY_PARTS)[part],
    }


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _STOPWORDS}


def _matches(talent_words: set[str], title_words: set[str]) -> bool:
    """A talent fits when a word of it equals a word of the title, or one starts with the
    other and they share at least four letters ("tuin" and "tuinieren")."""
    return any(
        a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))
        for a in talent_words
        for b in title_words
    )
