"""Demo data for the meetings (called from platform/noaber/demo.py, inside the cooperative's
schema; idempotent): on `oost` a past ALV with its minutes and decisions, and the next ALV
convened with its agenda, the draft minutes of the past one to approve there."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cooperatives.governance.models import Body, Decision
from cooperatives.governance.selectors import body_standing
from cooperatives.governance.services import decision_record, minutes_save
from cooperatives.meetings.models import AgendaItem, Meeting
from cooperatives.meetings.services import agenda_item_add, meeting_convene, meeting_create
from cooperatives.members.models import Member

PAST = "ALV voorjaar"
NEXT = "ALV najaar"
PAST_MINUTES = (
    "Aanwezig: 23 leden, 4 vertegenwoordigd met een machtiging. De voorzitter opent om 19.35 "
    "uur.\n\n1. De notulen van de vorige ALV worden vastgesteld.\n2. Het jaarverslag wordt "
    "besproken; de kascommissie adviseert decharge.\n3. De ALV kiest Marian Kok tot "
    "penningmeester.\n\nDe voorzitter sluit om 21.10 uur."
)


def _secretary() -> Member | None:
    return (
        Member.objects.filter(
            role_assignments__role__in=("board_secretary", "board_chair"), status="active"
        )
        .order_by("pk")
        .first()
    )


def _past_alv(actor: Member | None, alv: Body) -> Meeting:
    held = timezone.now() - dt.timedelta(days=120)
    meeting = Meeting.objects.create(
        body=alv,
        title=PAST,
        starts_at=held.replace(hour=19, minute=30, second=0, microsecond=0),
        place="Buurthuis De Linde",
        status=Meeting.Status.CLOSED,
        convened_at=held - dt.timedelta(days=21),
    )
    day = timezone.localdate(meeting.starts_at)
    minutes = minutes_save(actor=actor, body=alv, held_on=day, text=PAST_MINUTES)
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    rows = [
        ("Jaarverslag 2025 en decharge", Decision.Kind.DISCHARGE, (27, 0, 2)),
        ("Verkiezing penningmeester", Decision.Kind.ELECTION, (24, 3, 2)),
        ("Tarief voor klussen blijft € 4,50 per uur", Decision.Kind.RULES, (20, 8, 1)),
    ]
    for order, (title, kind, (votes_for, against, abstain)) in enumerate(rows, 1):
        decision = decision_record(
            actor=actor,
            body=alv,
            decided_on=day,
            title=title,
            text=f"De ALV besluit: {title.lower()}.",
            kind=kind,
            votes_for=votes_for,
            votes_against=against,
            votes_abstain=abstain,
            minutes=minutes,
        )
        AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title=title,
            kind=kind,
            vote_mode=(
                AgendaItem.VoteMode.SECRET
                if kind == Decision.Kind.ELECTION
                else AgendaItem.VoteMode.OPEN
            ),
            decision=decision,
        )
    return meeting


def meetings_seed() -> None:
    if Meeting.objects.filter(title__in=(PAST, NEXT)).exists():
        return
    actor = _secretary()
    alv = body_standing(Body.Kind.ALV)
    past = _past_alv(actor, alv)
    starts = (timezone.now() + dt.timedelta(days=30)).replace(
        hour=19, minute=30, second=0, microsecond=0
    )
    meeting = meeting_create(
        actor=actor,
        body=alv,
        title=NEXT,
        starts_at=starts,
        place="Buurthuis De Linde, Oudwijkerdwarsstraat 5",
        previous_minutes=past.minutes,
    )
    for title, kind, mode, explanation in (
        (
            "Vaststellen notulen ALV voorjaar",
            Decision.Kind.MINUTES,
            AgendaItem.VoteMode.OPEN,
            "De conceptnotulen staan onderaan deze pagina.",
        ),
        (
            "Begroting 2027",
            Decision.Kind.ORDINARY,
            AgendaItem.VoteMode.OPEN,
            "Het bestuur stelt een begroting voor met € 2.400 voor de buurtmaaltijden.",
        ),
        (
            "Verkiezing secretaris",
            Decision.Kind.ELECTION,
            AgendaItem.VoteMode.SECRET,
            "Kandidaat: Gerrit de Vries. Stem voor of tegen.",
        ),
        ("Rondvraag", Decision.Kind.ORDINARY, AgendaItem.VoteMode.NONE, ""),
    ):
        agenda_item_add(
            actor=actor,
            meeting=meeting,
            title=title,
            kind=kind,
            vote_mode=mode,
            explanation=explanation,
        )
    meeting_convene(actor=actor, meeting=meeting)
