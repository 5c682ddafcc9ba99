"""Reads of members, always narrowed to what the viewer may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cooperatives.governance.selectors import with_seats_today
from cooperatives.members.export import member_export_full
from cooperatives.members.models import EmailChange, Member, Role, email_change_token_hash
from cooperatives.setup.models import Cluster, Neighbourhood
from shared import permissions
from shared.accounts import two_factor
from shared.accounts.models import User
from shared.audit.models import AuditEntry


def member_for_user(user: User) -> Member | None:
    """The active member of this cooperative who logs in as ``user``, with their roles (the
    permission layer finds the member of a request through this; see cooperatives.apps)."""
    return (
        with_seats_today(Member.objects.filter(user=user, status=Member.Status.ACTIVE))
        .prefetch_related("role_assignments")
        .first()
    )


def role_labels(*, roles: Iterable[str]) -> list[str]:
    """The Dutch (or English) names of roles, for pages."""
    labels = dict(Role.choices)
    return [str(labels[r]) for r in roles if r in labels]


def member_list(*, viewer: Member) -> QuerySet[Member]:
    """Members the viewer may see, of every status (the list's filters narrow them further:
    cooperatives.members.filters), with what a list row shows loaded up front (no query per
    row): their buurt and their roles (stored, and those of their seats)."""
    visible: QuerySet[Member] = permissions.members_visible_to(
        viewer, Member.objects.all(), "member.list"
    )
    return (
        with_seats_today(visible.select_related("neighbourhood"))
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


def email_change_pending(*, member: Member) -> EmailChange | None:
    """The member's open request for a new email address (the latest link), if any."""
    now = timezone.now()
    return (
        EmailChange.objects.filter(member=member, used_at=None, expires_at__gt=now)
        .order_by("-created_at", "-id")
        .first()
    )


def email_change_for_token(*, token: str) -> EmailChange | None:
    """The open email change behind a link's token, with its member, or None (unknown, used
    or expired all look the same)."""
    change = (
        EmailChange.objects.select_related("member")
        .filter(token_hash=email_change_token_hash(token or ""))
        .first()
    )
    return change if change is not None and change.is_open else None


def member_may_get_password_link(*, viewer: Member, member: Member) -> bool:
    """Whether the page offers ``viewer`` to send ``member`` a link for a new password: the
    viewer may (an assistant only in their buurten) and the member has an active login."""
    return (
        member.status == Member.Status.ACTIVE
        and member.user_id is not None
        and bool(member.email)
        and permissions.can(viewer, "member.password_reset", about=member)
    )


def member_reload(*, member: Member) -> Member:
    """The member as stored now, after a write the viewer was allowed to make (which may
    have moved them out of an assistant's buurten)."""
    return _with_details(Member.objects.filter(pk=member.pk)).get()


def _with_details(qs: QuerySet[Member]) -> QuerySet[Member]:
    return qs.select_related("neighbourhood", "registered_by").prefetch_related(
        "role_assignments", "seats__body", "help_clusters", "assisted_neighbourhoods"
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


def member_export(*, member: Member) -> dict[str, Any]:
    """Everything the cooperative keeps about this member, for the member (JSON and PDF;
    AVG art. 15 and 20). Built in cooperatives.members.export."""
    return member_export_full(member=member)


# A lost phone without recovery codes: one board member asks to remove it, another confirms
# (cooperatives.members.services.member_two_factor_reset_*). The request is the audit entry
# itself (append-only, so the trail and the state are one); it lapses after a week.
TWO_FACTOR_RESET_ASK = "member.two_factor_reset_request"
TWO_FACTOR_RESET_DONE = "member.two_factor_reset"
TWO_FACTOR_RESET_DAYS = 7


def two_factor_reset_asked(*, member: Member) -> AuditEntry | None:
    """The open request to remove ``member``'s phone (who asked, when), or None."""
    latest = (
        AuditEntry.objects.filter(
            target_type=Member._meta.label_lower,
            target_id=str(member.pk),
            action__in=(TWO_FACTOR_RESET_ASK, TWO_FACTOR_RESET_DONE),
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None or latest.action != TWO_FACTOR_RESET_ASK:
        return None
    if latest.created_at < timezone.now() - timedelta(days=TWO_FACTOR_RESET_DAYS):
        return None
    return latest


@dataclass(frozen=True)
class TwoFactorResetOffer:
    """What the board's page of a member offers about a lost phone: whether the member has
    the second factor, the open request and who made it, and what ``viewer`` may do."""

    has_two_factor: bool
    asked: AuditEntry | None
    asked_by: str
    may_ask: bool
    may_confirm: bool


def two_factor_reset_offer(*, viewer: Member, member: Member) -> TwoFactorResetOffer:
    has = member.user_id is not None and (
        two_factor.has_two_factor(member.user) or two_factor.recovery_codes_left(member.user) > 0
    )
    board = permissions.can(viewer, "member.two_factor_reset", about=member)
    asked = two_factor_reset_asked(member=member) if has and board else None
    allowed = has and board and viewer.pk != member.pk and member.status == Member.Status.ACTIVE
    asker = (
        Member.objects.filter(pk=asked.actor_id).first()
        if asked is not None and asked.actor_id is not None
        else None
    )
    return TwoFactorResetOffer(
        has_two_factor=has,
        asked=asked,
        asked_by=asker.name if asker is not None else "",
        may_ask=allowed and asked is None,
        may_confirm=allowed and asked is not None and asked.actor_id != viewer.pk,
    )
