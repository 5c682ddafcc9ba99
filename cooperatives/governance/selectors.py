"""Reads of the governance feature: bodies, who sits where today, the statutes, majorities."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from cooperatives.governance.models import Body, Decision, Minutes, Seat, Statutes
from cooperatives.members.models import Member

# The permission layer's board roles follow seats: (body kind, position) → role.
_BOARD_ROLE = {
    Seat.Position.CHAIR: "board_chair",
    Seat.Position.SECRETARY: "board_secretary",
    Seat.Position.TREASURER: "board_treasurer",
    Seat.Position.MEMBER: "board_general",
}
BOARD_BODIES = (Body.Kind.GENERAL_BOARD, Body.Kind.EXECUTIVE_BOARD)


def seat_role(*, body_kind: str, position: str) -> str | None:
    """The role a seat gives in the permission layer (None: a seat without extra rights)."""
    if body_kind in BOARD_BODIES:
        return _BOARD_ROLE[Seat.Position(position)]
    if body_kind == Body.Kind.AUDIT_COMMITTEE:
        return "audit_committee"
    return None


def seats_active(*, on: dt.date | None = None) -> QuerySet[Seat]:
    day = on or timezone.localdate()
    return Seat.objects.filter(Q(end__isnull=True) | Q(end__gt=day), start__lte=day)


# The annotation ``with_seats_today`` puts on members: "<body kind>:<position>" per seat.
SEATS_TODAY = "seats_today"


def with_seats_today(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """Members with the seats they hold today in the same query (an array of "kind:position"),
    so the permission layer and a list of members read their board roles without a query."""
    seats = (
        seats_active()
        .filter(member=OuterRef("pk"))
        .annotate(key=Concat("body__kind", Value(":"), "position"))
        .values("key")
    )
    return queryset.annotate(**{SEATS_TODAY: ArraySubquery(seats)})


def seat_roles_of(*, member: Member, on: dt.date | None = None) -> frozenset[str]:
    """The roles the member's seats give on the day (today by default). Uses the annotation
    of ``with_seats_today`` or prefetched ``seats__body`` when there is one, so a list of
    members costs no query per row."""
    keys = getattr(member, SEATS_TODAY, None)
    if on is None and keys is not None:
        pairs = (key.split(":", 1) for key in keys)
        return frozenset(r for k, p in pairs if (r := seat_role(body_kind=k, position=p)))
    day = on or timezone.localdate()
    prefetched = getattr(member, "_prefetched_objects_cache", {})
    seats = member.seats.all() if "seats" in prefetched else member.seats.select_related("body")
    roles = {
        seat_role(body_kind=seat.body.kind, position=seat.position)
        for seat in seats
        if seat.active_on(day)
    }
    return frozenset(r for r in roles if r)


def members_with_seat_role(*, role: str, on: dt.date | None = None) -> QuerySet[Member]:
    """Active members who hold ``role`` through a seat on the day."""
    seats = seats_active(on=on)
    if role == "audit_committee":
        seats = seats.filter(body__kind=Body.Kind.AUDIT_COMMITTEE)
    else:
        position = {v: k for k, v in _BOARD_ROLE.items()}.get(role)
        if position is None:
            return Member.objects.none()
        seats = seats.filter(body__kind__in=BOARD_BODIES, position=position)
    return Member.objects.filter(status=Member.Status.ACTIVE, pk__in=seats.values("member_id"))


def seats_of(*, member: Member, on: dt.date | None = None) -> QuerySet[Seat]:
    """The member's seats active on the day (today by default), read fresh, bodies loaded."""
    return seats_active(on=on).filter(member=member).select_related("body").order_by("id")


def members_on_board(*, on: dt.date | None = None) -> QuerySet[Member]:
    """Active members with a seat in the general or daily board on the day."""
    seats = seats_active(on=on).filter(body__kind__in=BOARD_BODIES)
    return Member.objects.filter(status=Member.Status.ACTIVE, pk__in=seats.values("member_id"))


def seat_for_role(*, role: str) -> tuple[str, str] | None:
    """Where a seat that gives ``role`` sits when the members' role page gives it: (body kind,
    position); None for a role that is no seat's."""
    if role == "audit_committee":
        return Body.Kind.AUDIT_COMMITTEE, Seat.Position.MEMBER
    if role == "board_general":
        return Body.Kind.GENERAL_BOARD, Seat.Position.MEMBER
    position = {v: k for k, v in _BOARD_ROLE.items()}.get(role)
    return (Body.Kind.EXECUTIVE_BOARD, position) if position is not None else None


def body_standing(kind: str) -> Body:
    return Body.objects.get(kind=kind)


def bodies_list() -> QuerySet[Body]:
    return Body.objects.filter(ended_on__isnull=True).order_by("id")


def bodies_with_seats() -> QuerySet[Body]:
    """The bodies that hold seats: all but the ALV, where every member takes part."""
    return bodies_list().exclude(kind=Body.Kind.ALV)


def body_get(*, pk: int) -> Body | None:
    return Body.objects.filter(pk=pk).first()


def seat_get(*, pk: int) -> Seat | None:
    return Seat.objects.select_related("body", "member").filter(pk=pk).first()


def bodies_overview(*, on: dt.date | None = None) -> list[tuple[Body, list[Seat]]]:
    """Every body that is not dissolved, with its seats active on the day (members loaded),
    chair, secretary and treasurer first: two queries whatever the number of bodies."""
    order = {p: i for i, p in enumerate(Seat.Position.values)}
    seats: dict[int, list[Seat]] = {}
    for seat in seats_active(on=on).select_related("member").order_by("start", "id"):
        seats.setdefault(seat.body_id, []).append(seat)
    return [
        (body, sorted(seats.get(body.pk, []), key=lambda s: (order[s.position], s.member.name)))
        for body in bodies_list()
    ]


def body_seats(*, body: Body, on: dt.date | None = None) -> QuerySet[Seat]:
    return seats_active(on=on).filter(body=body).select_related("member")


def body_history(*, body: Body) -> QuerySet[Seat]:
    return body.seats.select_related("member").order_by("-start", "-id")


def statutes_current() -> Statutes:
    statutes, _created = Statutes.objects.get_or_create(id=1)
    return statutes


def majority_for(*, kind: str) -> Fraction:
    """The share of the votes cast (for + against; abstentions do not count) that a proposal
    of this kind needs: more than half, or at least the statutes' qualified majority."""
    if kind in Decision.QUALIFIED:
        statutes = statutes_current()
        return Fraction(statutes.qualified_numerator, statutes.qualified_denominator)
    return Fraction(1, 2)


def outcome_of(*, kind: str, votes_for: int, votes_against: int) -> str:
    """Adopted when the votes for are strictly more than half of the votes cast (a simple
    majority; a tie rejects), or at least the qualified fraction for a qualified one."""
    cast = votes_for + votes_against
    if cast == 0:
        return Decision.Outcome.REJECTED
    share = Fraction(votes_for, cast)
    needed = majority_for(kind=kind)
    adopted = share >= needed if kind in Decision.QUALIFIED else share > needed
    return Decision.Outcome.ADOPTED if adopted else Decision.Outcome.REJECTED


def body_deciding(*, subject: str) -> Body:
    """The body that the statutes' settings name for a subject: "rules", "agreements",
    "allowance" or "network"."""
    statutes = statutes_current()
    kind = getattr(statutes, f"{subject}_decided_by")
    return body_standing(kind)


def decisions_list(*, body: Body | None = None, year: int | None = None) -> QuerySet[Decision]:
    qs = Decision.objects.select_related("body", "minutes")
    if body is not None:
        qs = qs.filter(body=body)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-sequence")


def minutes_list(*, body: Body | None = None) -> QuerySet[Minutes]:
    qs = Minutes.objects.select_related("body")
    return qs.filter(body=body) if body is not None else qs
