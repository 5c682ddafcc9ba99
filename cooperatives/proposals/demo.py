"""Demo proposals for `oost`: one project proposal in every state, the approved one a project
with a budget, a project group, an update and spending in 2025. Made through the real services
(mailing happens after commit and the platform demo catches it); idempotent: a proposal known
by its title is not made again. Called from ``noaber.demo`` inside the cooperative's schema."""

from __future__ import annotations

import datetime as dt

from cooperatives.members.models import Member
from cooperatives.proposals import services
from cooperatives.proposals.models import Project, Proposal
from cooperatives.setup.models import Partner

# (title, description, needs (volunteers, money, space), other needs, budget, proposer's email
# or None for a partner's proposal, the states it goes through after "received", a note)
PROPOSALS = [
    (
        "Moestuin achter het buurthuis",
        "Een gezamenlijke moestuin waar buren samen groente kweken en oogsten, met bakken op "
        "hoogte zodat ook wie slecht ter been is mee kan doen.",
        (True, True, True),
        "Tien vrijwilligers voor het opzetten; een kraan in de buurt.",
        "1500.00",
        "ans@oost.example.nl",
        ["being_discussed", "approved_with_conditions"],
        "Eerst twee offertes voor de plantenbakken; de buurt wordt vooraf uitgenodigd.",
    ),
    (
        "Koffieochtend voor nieuwe buren",
        "Elke eerste zaterdag van de maand koffie en kennismaking voor wie net in de wijk woont.",
        (True, False, True),
        "",
        None,
        "joop@oost.example.nl",
        [],
        "",
    ),
    (
        "Repair café in Podium Oost",
        "Maandelijks samen kapotte spullen repareren, met vrijwilligers uit de buurt.",
        (True, True, False),
        "Gereedschap en een werkbank.",
        "600.00",
        None,
        ["being_discussed"],
        "Op de agenda van de volgende bestuursvergadering.",
    ),
    (
        "Buurtbus naar de markt",
        "Een eigen busje dat ouderen elke week naar de markt brengt.",
        (True, True, False),
        "Een chauffeur met rijbewijs D.",
        "45000.00",
        "henk@oost.example.nl",
        ["being_discussed", "declined"],
        "Te duur voor de coöperatie; de gemeente heeft al een belbus. Het bestuur helpt graag "
        "om die beter bekend te maken.",
    ),
    (
        "Jaarlijks straatfeest",
        "Een straatfeest voor de hele wijk, elk jaar in juni.",
        (True, True, True),
        "Vergunning van de gemeente.",
        "2500.00",
        "marian@oost.example.nl",
        ["sent_to_alv"],
        "Dit raakt de hele wijk en de begroting: de ALV beslist.",
    ),
]
APPROVED_ON = dt.date(2025, 3, 10)
SPENDING_2025 = [
    (dt.date(2025, 4, 12), "Plantenbakken op hoogte", "640.00"),
    (dt.date(2025, 5, 3), "Zaad, plantjes en potgrond", "185.50"),
    (dt.date(2025, 9, 20), "Regenton en gieters", "92.75"),
]
SUPPORTERS = ["henk@oost.example.nl", "fatma@oost.example.nl", "kees@oost.example.nl"]


def _steps(board: Member, proposal: Proposal, steps: list[str], note: str) -> None:
    for status in steps:
        final = status == steps[-1]
        services.proposal_handle(
            actor=board,
            proposal=proposal,
            status=status,
            note="" if final and status in ("approved_with_conditions", "declined") else note,
            conditions=note if final and status == "approved_with_conditions" else "",
            reasons=note if final and status == "declined" else "",
            record_decision=final and status in ("approved_with_conditions", "declined"),
            decided_on=APPROVED_ON if status == "approved_with_conditions" else None,
        )
        proposal.refresh_from_db()


def proposals_demo_seed(*, slug: str, board: Member) -> None:
    """The proposals of `oost` (other cooperatives get none)."""
    if slug != "oost":
        return
    coordinator = Member.objects.filter(email="henk@oost.example.nl").first() or board
    partner = Partner.objects.filter(name="Podium Oost").first()
    for title, text, needs, other, budget, email, steps, note in PROPOSALS:
        if Proposal.objects.filter(title=title).exists():
            continue
        proposer = (Member.objects.filter(email=email).first() if email else coordinator) or board
        proposal = services.proposal_submit(
            actor=proposer,
            title=title,
            description=text,
            contact=proposer.email or "info@oost.example.nl",
            needs_volunteers=needs[0],
            needs_money=needs[1],
            needs_space=needs[2],
            needs_other=other,
            budget=budget,
            partner=None if email else partner,
        )
        for supporter in Member.objects.filter(email__in=SUPPORTERS).exclude(pk=proposer.pk):
            if proposal.is_open:
                services.proposal_support(actor=supporter, proposal=proposal)
        _steps(board, proposal, steps, note)
    project = Project.objects.filter(proposal__title=PROPOSALS[0][0]).first()
    if project is not None and not project.spending.exists():
        for day, description, amount in SPENDING_2025:
            services.project_spending_add(
                actor=board, project=project, spent_on=day, description=description, amount=amount
            )
        joop = Member.objects.filter(email="joop@oost.example.nl").first()
        if joop is not None:
            services.project_member_add(actor=board, project=project, member=joop)
        services.project_update_post(
            actor=board,
            project=project,
            text="De bakken staan en de eerste oogst is binnen: sla, radijs en bonen.",
        )
