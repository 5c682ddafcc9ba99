"""Reads of the meetings feature: who may attend a meeting, its agenda, the quorum, the tally
of an item's votes, and what a member sees."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from cooperatives.governance.models import Body
from cooperatives.governance.selectors import seats_active, statutes_current
from cooperatives.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotRegister,
    Choice,
    Meeting,
    OpenVote,
    Proxy,
    Rsvp,
)
from cooperatives.members.models import Member
from shared import permissions

# BW 2:38 lid 8: electronic votes may be cast from the 30th day before the meeting at most.
EVOTING_MAX_DAYS_BEFORE = 30


def meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localdate(meeting.starts_at)


def entitled_members(*, meeting: Meeting) -> QuerySet[Member]:
    """Who is called to the meeting and votes there: for the ALV every active member, for a
    board or committee the holders of its seats on the day of the meeting."""
    active = Member.objects.filter(status=Member.Status.ACTIVE)
    if meeting.body.kind == Body.Kind.ALV:
        return active
    seats = seats_active(on=meeting_day(meeting)).filter(body=meeting.body)
    return active.filter(pk__in=seats.values("member_id"))


def is_entitled(*, meeting: Meeting, member: Member) -> bool:
    return entitled_members(meeting=meeting).filter(pk=member.pk).exists()


def meetings_for(*, viewer: Member) -> QuerySet[Meeting]:
    """The meetings the viewer may see: every convened ALV and the convened meetings of the
    bodies they sit in; the secretary sees drafts too."""
    qs = Meeting.objects.select_related("body")
    if permissions.can(viewer, "meeting.manage"):
        return qs.order_by("-starts_at", "-id")
    bodies = seats_active().filter(member=viewer).values("body_id")
    return (
        qs.exclude(status=Meeting.Status.DRAFT)
        .filter(Q(body__kind=Body.Kind.ALV) | Q(body_id__in=bodies))
        .order_by("-starts_at", "-id")
    )


def meeting_get(*, viewer: Member, pk: int) -> Meeting | None:
    return meetings_for(viewer=viewer).filter(pk=pk).first()


def agenda(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.select_related("decision").order_by("order", "id")


def item_get(*, viewer: Member, pk: int) -> AgendaItem | None:
    item = AgendaItem.objects.select_related("meeting__body", "decision").filter(pk=pk).first()
    if item is None or meeting_get(viewer=viewer, pk=item.meeting_id) is None:
        return None
    return item


def rsvp_of(*, meeting: Meeting, member: Member) -> Rsvp | None:
    return Rsvp.objects.filter(meeting=meeting, member=member).first()


def rsvp_counts(*, meeting: Meeting) -> dict[str, int]:
    counts = Counter(meeting.rsvps.values_list("answer", flat=True))
    return {answer: counts.get(answer, 0) for answer in Rsvp.Answer.values}


def proxy_given_by(*, meeting: Meeting, member: Member) -> Proxy | None:
    return Proxy.objects.select_related("holder").filter(meeting=meeting, grantor=member).first()


def proxies_held_by(*, meeting: Meeting, member: Member) -> QuerySet[Proxy]:
    return Proxy.objects.select_related("grantor").filter(meeting=meeting, holder=member)


def evoting_open(*, item: AgendaItem, now: dt.datetime | None = None) -> bool:
    """Members may vote online on the item now: the statutes allow it, the item has a window
    that has opened and not closed, and the result is not recorded yet."""
    now = now or timezone.now()
    return bool(
        item.votes
        and item.decision_id is None
        and item.evoting_opens is not None
        and item.evoting_closes is not None
        and item.evoting_opens <= now < item.evoting_closes
        and item.meeting.status in (Meeting.Status.CONVENED, Meeting.Status.HELD)
        and statutes_current().electronic_voting
    )


def has_voted(*, item: AgendaItem, member: Member) -> bool:
    if item.vote_mode == AgendaItem.VoteMode.SECRET:
        return BallotRegister.objects.filter(item=item, member=member).exists()
    return OpenVote.objects.filter(item=item, member=member).exists()


def open_vote_of(*, item: AgendaItem, member: Member) -> OpenVote | None:
    return OpenVote.objects.filter(item=item, member=member).first()


@dataclass(frozen=True)
class Quorum:
    entitled: int
    present: int
    represented: int
    online: int
    needed: int
    percent: int

    @property
    def counted(self) -> int:
        return self.present + self.represented + self.online

    @property
    def reached(self) -> bool:
        return self.counted >= self.needed


def quorum_check(*, meeting: Meeting) -> Quorum:
    """Present + represented by proxy (+ members who voted online, where the statutes allow
    electronic participation) against the statutes' quorum of the members entitled."""
    statutes = statutes_current()
    entitled = entitled_members(meeting=meeting)
    present_ids = set(
        Attendance.objects.filter(meeting=meeting, member__in=entitled).values_list(
            "member_id", flat=True
        )
    )
    represented_ids = set(
        Proxy.objects.filter(meeting=meeting, holder_id__in=present_ids, grantor__in=entitled)
        .exclude(grantor_id__in=present_ids)
        .values_list("grantor_id", flat=True)
    )
    online_ids: set[int] = set()
    if statutes.electronic_participation:
        online_ids = set(
            OpenVote.objects.filter(
                item__meeting=meeting, cast_electronically=True, member__in=entitled
            ).values_list("member_id", flat=True)
        ) | set(
            BallotRegister.objects.filter(
                item__meeting=meeting, cast_electronically=True, member__in=entitled
            ).values_list("member_id", flat=True)
        )
        online_ids -= present_ids | represented_ids
    total = entitled.count()
    needed = math.ceil(total * statutes.quorum_percent / 100)
    return Quorum(
        entitled=total,
        present=len(present_ids),
        represented=len(represented_ids),
        online=len(online_ids),
        needed=needed,
        percent=statutes.quorum_percent,
    )


def tally(*, item: AgendaItem) -> dict[str, int]:
    """The votes cast so far (online before or at the meeting, by proxy, or recorded in the
    room), per choice; the hall counts the secretary adds come on top."""
    choices: list[str]
    if item.vote_mode == AgendaItem.VoteMode.SECRET:
        choices = list(Ballot.objects.filter(item=item).values_list("choice", flat=True))
    else:
        choices = list(OpenVote.objects.filter(item=item).values_list("choice", flat=True))
    counts = Counter(choices)
    return {choice: counts.get(choice, 0) for choice in Choice.values}


def receipts_counted(*, item: AgendaItem) -> list[str]:
    """The receipt codes of the ballots counted for an item, sorted (the order says nothing)."""
    return sorted(Ballot.objects.filter(item=item).values_list("receipt_code", flat=True))


def members_without_email(*, meeting: Meeting) -> QuerySet[Member]:
    """Who gets the convocation as a printed letter."""
    return entitled_members(meeting=meeting).filter(email="").order_by("name", "id")


def meetings_with_letters() -> QuerySet[Meeting]:
    """Convened meetings still to come, for the coordinators' list of letters to deliver."""
    return (
        Meeting.objects.select_related("body")
        .filter(status=Meeting.Status.CONVENED, starts_at__gte=timezone.now())
        .order_by("starts_at", "id")
    )


def meetings_to_remind(*, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Convened meetings within the next two days whose reminder has not gone out."""
    now = now or timezone.now()
    return Meeting.objects.filter(
        status=Meeting.Status.CONVENED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(days=2),
    )


def meetings_unanswered(*, viewer: Member) -> QuerySet[Meeting]:
    """Convened meetings still to come that the viewer may attend and has not answered."""
    bodies = seats_active().filter(member=viewer).values("body_id")
    return (
        Meeting.objects.filter(Q(body__kind=Body.Kind.ALV) | Q(body_id__in=bodies))
        .filter(status=Meeting.Status.CONVENED, starts_at__gt=timezone.now())
        .exclude(rsvps__member=viewer)
        .order_by("starts_at")[:3]
    )
