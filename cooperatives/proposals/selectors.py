"""Reads of the proposals feature. Every member of the cooperative sees its proposals and
projects (they are the members' business); the schema keeps other cooperatives out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from cooperatives.governance.models import Seat
from cooperatives.governance.selectors import body_seats
from cooperatives.members.models import Member
from cooperatives.proposals.models import (
    Project,
    ProjectSpending,
    ProjectUpdate,
    Proposal,
    ProposalEvent,
    ProposalSupport,
)
from cooperatives.setup.models import Partner
from shared import permissions

ZERO = Decimal("0.00")
# The list's filter value for every proposal not decided yet (received, being discussed, or
# waiting for the ALV).
OPEN = "open"


def proposals_list(*, viewer: Member, status: str = "") -> QuerySet[Proposal]:
    """Proposals, newest first, with their number of supporters and whether the viewer
    supports them; ``status`` narrows to one state, or to all undecided ones (``OPEN``)."""
    qs = (
        Proposal.objects.select_related("submitted_by", "partner", "project")
        .annotate(
            supporters=Count("supports", distinct=True),
            supported=Exists(
                ProposalSupport.objects.filter(proposal=OuterRef("pk"), member=viewer)
            ),
        )
        .order_by("-created_at", "-id")
    )
    if status == OPEN:
        qs = qs.filter(status__in=Proposal.OPEN)
    elif status:
        qs = qs.filter(status=status)
    return qs


def proposal_get(*, viewer: Member, pk: int) -> Proposal | None:
    return proposals_list(viewer=viewer).filter(pk=pk).first()


def proposal_history(*, proposal: Proposal) -> QuerySet[ProposalEvent]:
    return proposal.events.select_related("actor").order_by("at", "id")


def proposals_waiting_count() -> int:
    """Proposals the board has not decided yet (received or being discussed)."""
    return Proposal.objects.filter(
        status__in=(Proposal.Status.RECEIVED, Proposal.Status.BEING_DISCUSSED)
    ).count()


def projects_list() -> QuerySet[Project]:
    return (
        Project.objects.select_related("group", "proposal")
        .annotate(spent=Sum("spending__amount"))
        .order_by("-started_on", "-id")
    )


def project_get(*, pk: int) -> Project | None:
    return projects_list().filter(pk=pk).first()


def project_group(*, project: Project) -> QuerySet[Seat]:
    """Who sits in the project group today."""
    return body_seats(body=project.group).order_by("start", "id")


def project_updates(*, project: Project) -> QuerySet[ProjectUpdate]:
    return project.updates.select_related("author").order_by("-created_at", "-id")


def project_spending(*, project: Project) -> QuerySet[ProjectSpending]:
    return project.spending.order_by("spent_on", "id")


def project_member_can_post(*, member: Member, project: Project) -> bool:
    """Members of the project group write its updates; so does the board."""
    if permissions.can(member, "proposal.handle"):
        return True
    today = timezone.localdate()
    return (
        Seat.objects.filter(body=project.group, member=member, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gt=today))
        .exists()
    )


def projects_for_report(*, year: int) -> list[dict[str, Any]]:
    """Every project that ran in ``year`` (started by the end of it and not finished before
    it), for the annual report: name, status, budget, spent in that year, spent in total
    (amounts in euros as Decimal; budget None when the project has none)."""
    projects = (
        Project.objects.filter(started_on__year__lte=year)
        .filter(Q(finished_on__isnull=True) | Q(finished_on__year__gte=year))
        .annotate(
            spent_year=Sum("spending__amount", filter=Q(spending__spent_on__year=year)),
            spent_total=Sum("spending__amount"),
        )
        .order_by("started_on", "id")
    )
    return [
        {
            "id": p.pk,
            "name": p.name,
            "status": p.status,
            "status_label": str(Project.Status(p.status).label),
            "budget": p.budget,
            "spent_year": p.spent_year or ZERO,
            "spent_total": p.spent_total or ZERO,
        }
        for p in projects
    ]


def members_choosable() -> QuerySet[Member]:
    """Active members, by name: whom the board can seat in a project group."""
    return Member.objects.filter(status=Member.Status.ACTIVE).order_by("name", "id")


def partners_choosable() -> QuerySet[Partner]:
    return Partner.objects.filter(is_active=True).order_by("name")
