"""Demo data of the decisions register (called from platform/noaber/demo.py), idempotent:
`wij`'s members decide in the ALV what an hour of help is worth in points (seed 000: "de
leden bepalen wat de waarde van het geleverde werk is"), and that decision made the rulebook
version in force; a partner's social rate is agreed by a decision of the board."""

from __future__ import annotations

from django.utils import timezone

from cooperatives.decisions.services import decision_adopting
from cooperatives.governance.models import Decision
from cooperatives.governance.selectors import body_deciding
from cooperatives.governance.services import decision_record, statutes_update
from cooperatives.members.models import Member

HOUR_VALUE_TITLE = "Waarde van een uur hulp in punten"


def demo_seed(*, slug: str, actor: Member) -> None:
    """The demo's decisions of one cooperative (before its marketplace is seeded)."""
    if slug == "wij":
        demo_hour_value_decision(actor=actor)


def demo_hour_value_decision(*, actor: Member) -> Decision:
    """`wij`: the statutes let the ALV decide the rules; the ALV decided today that an hour of
    help is worth 2 points in every cluster and a service lasts at most 3 hours; that decision
    made the rulebook version in force."""
    existing = Decision.objects.filter(title=HOUR_VALUE_TITLE).first()
    if existing is not None:
        return existing
    statutes_update(actor=actor, changes={"rules_decided_by": "alv"})
    return decision_adopting(
        actor=actor,
        subject="rules",
        proposal={
            "rulebook": {
                "changes": {"points_per_hour": "2", "max_service_hours": "3"},
                "effective_from": None,
            }
        },
        title=HOUR_VALUE_TITLE,
        text=(
            "De leden stellen de waarde van het werk vast: een uur hulp is 2 punten waard (een "
            "half uur is 1 punt), in elk cluster gelijk, of het nu om de tuin, vervoer of "
            "administratie gaat. Een dienst duurt hoogstens 3 uur."
        ),
        kind=Decision.Kind.RULES,
        decided_on=timezone.localdate(),
        votes_for=23,
        votes_against=2,
        votes_abstain=1,
    )


def demo_agreement_decision(*, actor: Member, partner_name: str) -> Decision:
    """A board decision on a partner's social rate (what partner_save needs to set it)."""
    return decision_record(
        actor=actor,
        body=body_deciding(subject="agreements"),
        decided_on=timezone.localdate(),
        kind=Decision.Kind.AGREEMENT,
        title=f"Sociaal tarief van {partner_name}",
        text=f"Het bestuur spreekt met {partner_name} een sociaal tarief af voor grote klussen.",
        outcome=Decision.Outcome.ADOPTED,
    )
