"""Reads of members, applications and the audit log, always through what the viewer may see."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from cooperatives.models import Application, Member
from shared import permissions
from shared.audit.models import AuditEntry


def member_list(
    *,
    viewer: Member,
    search: str = "",
    neighbourhood_id: int | None = None,
    role: str = "",
    status: str = Member.Status.ACTIVE,
) -> QuerySet[Member]:
    """Members the viewer may see, with what a list row shows loaded up front (no query per
    row): their buurt and their roles."""
    qs = permissions.members_visible_to(viewer, Member.objects.all(), "member.list")
    if status:
        qs = qs.filter(status=status)
    if search:
        terms = search.strip()
        qs = qs.filter(
            Q(name__icontains=terms)
            | Q(email__icontains=terms)
            | Q(street__icontains=terms)
            | Q(postcode__icontains=terms.replace(" ", "").upper())
        )
    if neighbourhood_id:
        qs = qs.filter(neighbourhood_id=neighbourhood_id)
    if role:
        qs = qs.filter(role_assignments__role=role)
    return (
        qs.select_related("neighbourhood")
        .prefetch_related("role_assignments")
        .order_by("name", "id")
    )


def member_get(*, viewer: Member, pk: int, action: str = "member.view") -> Member | None:
    """One member by id, only if the viewer may ``action`` on them (themselves always for
    viewing). An id of another cooperative's member simply does not exist here."""
    if viewer.pk == pk and action in ("member.view", "self.view"):
        return Member.objects.select_related("neighbourhood").filter(pk=pk).first()
    member = Member.objects.select_related("neighbourhood").filter(pk=pk).first()
    if member is None or not permissions.can(viewer, action, about=member):
        return None
    return member


def application_list(*, status: str = "") -> QuerySet[Application]:
    qs = Application.objects.all()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-created_at")


def audit_list(*, target_type: str = "", action: str = "") -> QuerySet[AuditEntry]:
    """The log, newest first, with the actor's current name (a pseudonym once erased)."""
    qs = AuditEntry.objects.annotate(
        actor_name=Subquery(Member.objects.filter(pk=OuterRef("actor_id")).values("name")[:1])
    )
    if target_type:
        qs = qs.filter(target_type=target_type)
    if action:
        qs = qs.filter(action__startswith=action)
    return qs.order_by("-created_at", "-id")
