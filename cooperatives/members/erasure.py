"""What erasing a member (AVG art. 17, ``services.member_erase``) does outside their own
record: their open requests are withdrawn and their active offers ended; planned services
with them are cancelled (a request they were to help with goes back on the marketplace); and
every address and free text that is theirs or about them is removed: requests, offers,
answers, messages and feedback in their services, disputes, point memos, proposals' contact
details, email changes, login attempts under their address. What the cooperative must keep
(that a service took place, its hours and rating, every point posting) stays, under the
member's pseudonym, so the ledger still balances.

Klussen in euros live in ``billing.klussen``, which the cooperative apps may not import:
billing registers its own step here (``member_erase_step_register``, through
``cooperatives.settlement``). Survey answers are anonymous (not linked to anyone) and so
cannot be found or erased per member.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q
from django.utils import timezone

from cooperatives.marketplace.models import (
    HelpRequest,
    HelpResponse,
    HoursDispute,
    MemberSettings,
    Offer,
    Service,
    ServiceMessage,
)
from cooperatives.members.models import EmailChange, Member
from cooperatives.points.models import Transfer
from cooperatives.proposals.models import Proposal

ERASED_TEXT = "(gewist)"

# A step outside the cooperative apps: ``step(*, member) -> None``, inside the erasure's
# transaction (an error rolls the whole erasure back).
EraseStep = Callable[..., None]
_steps: dict[str, EraseStep] = {}


def member_erase_step_register(key: str, step: EraseStep) -> None:
    """Run ``step`` whenever a member is erased (again under the same key replaces it)."""
    _steps[key] = step


def _marketplace(member: Member, *, actor: Member, now: datetime) -> None:
    mine = Q(requester=member) | Q(volunteer=member)
    services = Service.objects.filter(mine)
    # A planned service with someone who is no longer there cannot take place. Where the
    # member was to help, the other's request goes back on the marketplace for someone else.
    planned = services.filter(status=Service.Status.PLANNED)
    helped = list(planned.exclude(requester=member).values_list("request_id", flat=True))
    planned.update(status=Service.Status.CANCELLED, cancelled_by_id=actor.pk)
    still_on = Service.objects.filter(
        status__in=[Service.Status.PLANNED, Service.Status.REGISTERED, Service.Status.DISPUTED]
    ).values("request_id")
    HelpRequest.objects.filter(pk__in=helped, status=HelpRequest.Status.MATCHED).exclude(
        pk__in=still_on
    ).update(status=HelpRequest.Status.OPEN)
    services.update(cancel_reason="", feedback="")
    HoursDispute.objects.filter(service__in=services).update(reason=ERASED_TEXT, resolution_note="")
    ServiceMessage.objects.filter(Q(service__in=services) | Q(author=member)).update(
        body=ERASED_TEXT
    )

    requests = HelpRequest.objects.filter(requester=member)
    # Open requests are withdrawn, and matched ones with nothing left to settle (their planned
    # services were cancelled above); hours still registered or disputed are settled as usual.
    unsettled = Service.objects.filter(
        status__in=[Service.Status.REGISTERED, Service.Status.DISPUTED]
    ).values("request_id")
    closing = Q(status=HelpRequest.Status.OPEN) | (
        Q(status=HelpRequest.Status.MATCHED) & ~Q(pk__in=unsettled)
    )
    requests.filter(closing).update(status=HelpRequest.Status.CANCELLED, closed_at=now)
    requests.update(title=ERASED_TEXT, description="", street="", house_number="", postcode="")
    HelpResponse.objects.filter(Q(volunteer=member) | Q(request__in=requests)).update(message="")
    offers = Offer.objects.filter(volunteer=member)
    offers.filter(status=Offer.Status.ACTIVE).update(status=Offer.Status.WITHDRAWN)
    offers.update(description=ERASED_TEXT, availability=[])
    MemberSettings.objects.filter(member=member).delete()


def member_erase_traces(*, actor: Member, member: Member, old_email: str, pseudonym: str) -> None:
    """Remove ``member``'s data outside their record (see the module's opening comment)."""
    now = timezone.now()
    _marketplace(member, actor=actor, now=now)
    # Point memos name services and people ("Dienst: boodschappen bij ..."); the postings
    # themselves are never changed (the database refuses), so the ledger still balances.
    Transfer.objects.filter(postings__account__member=member).update(memo=ERASED_TEXT)
    Proposal.objects.filter(submitted_by=member).update(contact=ERASED_TEXT)
    EmailChange.objects.filter(member=member).update(new_email=f"gewist-{pseudonym}@invalid")
    if old_email:
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=old_email).delete()
    for step in _steps.values():
        step(member=member)
