"""Reads of members, applications and the audit log, always through what the viewer may see."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, When

from cooperatives.joining.models import Application
from cooperatives.members.models import Member, Role
from cooperatives.setup.models import Cluster, Neighbourhood
from shared import permissions
from shared.audit.models import AuditEntry


def member_for_user(user: object) -> Member | None:
    """The active member of this cooperative who logs in as ``user``, with their roles (the
    permission layer finds the member of a request through this; see cooperatives.apps)."""
    return (
        Member.objects.filter(user=user, status=Member.Status.ACTIVE)
        .prefetch_related("role_assignments")
        .first()
    )


def role_labels(roles: Iterable[str]) -> list[str]:
    """The Dutch (or English) names of stored roles, for pages."""
    labels = dict(Role.choices)
    return [str(labels[r]) for r in roles if r in labels]


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
    member = _with_details(Member.objects.filter(pk=pk)).first()
    if member is None:
        return None
    if viewer.pk == pk and action in ("member.view", "self.view"):
        return member
    return member if permissions.can(viewer, action, about=member) else None


def member_reload(*, member: Member) -> Member:
    """The member as stored now, after a write the viewer was allowed to make (which may
    have moved them out of an assistant's buurten)."""
    return _with_details(Member.objects.filter(pk=member.pk)).get()


def _with_details(qs: QuerySet[Member]) -> QuerySet[Member]:
    return qs.select_related("neighbourhood", "registered_by").prefetch_related(
        "role_assignments", "help_clusters", "assisted_neighbourhoods"
    )


def neighbourhoods_for(*, viewer: Member, action: str) -> QuerySet[Neighbourhood]:
    """The buurten in which the viewer may ``action``: all of them, or only the ones a
    neighbourhood assistant assists."""
    if not permissions.can(viewer, action):
        return Neighbourhood.objects.none()
    if permissions.neighbourhood_filter_for(viewer, action) is None:
        return Neighbourhood.objects.all()
    return Neighbourhood.objects.filter(pk__in=permissions.assisted_neighbourhood_ids(viewer))


def clusters_choosable(*, member: Member | None = None) -> QuerySet[Cluster]:
    """Clusters someone can say they help in: the active ones, plus retired ones the member
    already helps in (so saving a profile does not silently drop them)."""
    keep = Q(is_active=True)
    if member is not None and member.pk:
        keep |= Q(helpers=member)
    return Cluster.objects.filter(keep).distinct()


def application_list(*, status: str = "") -> QuerySet[Application]:
    """Applications waiting for a decision first (oldest on top), then the decided ones."""
    qs = Application.objects.all()
    if status:
        qs = qs.filter(status=status)
    waiting = Case(When(status=Application.Status.PENDING, then=0), default=1)
    return qs.annotate(waiting=waiting).order_by("waiting", "created_at")


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
