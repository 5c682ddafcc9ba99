"""The one permission layer: which role may do what, and in which neighbourhoods.

Every page and API view asks here; nothing else decides access. Actions are named
"<area>.<verb>". A neighbourhood assistant's rights reach only the buurten they assist, so
object checks pass the member (or buurt) the action is about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from cooperatives.members.models import Member
    from cooperatives.setup.models import Neighbourhood

# Roles as stored in RoleAssignment, plus "member" (every active member) and "board" (any of
# the four board positions).
MEMBER, BOARD = "member", "board"
VOLUNTEER, ASSISTANT, COORDINATOR = "volunteer", "neighbourhood_assistant", "coordinator"
AUDIT, ADMIN = "audit_committee", "administrator"
BOARD_POSITIONS = frozenset({"board_chair", "board_secretary", "board_treasurer", "board_general"})

# Roles whose rights are limited to the buurten they assist.
SCOPED_ROLES = frozenset({ASSISTANT})

ACTIONS: dict[str, frozenset[str]] = {
    # members
    "member.list": frozenset({ASSISTANT, COORDINATOR, BOARD, ADMIN}),
    "member.view": frozenset({ASSISTANT, COORDINATOR, BOARD, ADMIN}),
    "member.edit": frozenset({ASSISTANT, COORDINATOR, ADMIN}),
    "member.register": frozenset({ASSISTANT, COORDINATOR, ADMIN}),  # intake by phone/door
    "member.set_neighbourhood": frozenset({ASSISTANT, COORDINATOR, ADMIN}),
    "member.assign_roles": frozenset({BOARD, ADMIN}),
    "member.erase": frozenset({BOARD, ADMIN}),
    # joining
    "application.decide": frozenset({COORDINATOR, BOARD, ADMIN}),
    "invitation.send": frozenset({COORDINATOR, BOARD, ADMIN}),
    # the cooperative's set-up
    "neighbourhood.manage": frozenset({BOARD, ADMIN}),
    "cluster.manage": frozenset({BOARD, ADMIN}),
    "rulebook.edit": frozenset({BOARD, ADMIN}),
    "partner.manage": frozenset({COORDINATOR, BOARD, ADMIN}),
    # oversight
    "audit.view": frozenset({BOARD, AUDIT, ADMIN}),
    # marketplace
    "request.create": frozenset({MEMBER}),
    "request.create_on_behalf": frozenset({ASSISTANT, COORDINATOR, ADMIN}),
    "offer.create": frozenset({VOLUNTEER, ASSISTANT, COORDINATOR, ADMIN}),
    "request.respond": frozenset({VOLUNTEER, ASSISTANT, COORDINATOR, ADMIN}),
    # accept a volunteer, plan, move, cancel, confirm or give feedback on someone's behalf
    "service.coordinate": frozenset({ASSISTANT, COORDINATOR, ADMIN}),
    "marketplace.board": frozenset({ASSISTANT, COORDINATOR, BOARD, ADMIN}),
    "marketplace.view": frozenset({MEMBER}),
    # points
    "points.use": frozenset({MEMBER}),
    "points.grant": frozenset({COORDINATOR, ADMIN}),
    "points.correct": frozenset({BOARD, ADMIN}),
    "points.overview": frozenset({BOARD, AUDIT, ADMIN}),
    # billing: the subscription and the cooperative's own Stripe account are the chair's and
    # the treasurer's; the board and the audit committee may look
    "billing.manage": frozenset({"board_chair", "board_treasurer", ADMIN}),
    "billing.view": frozenset({BOARD, AUDIT, ADMIN}),
    # klussen in euros: the requester pays, the volunteer confirms cash (object checks in the
    # service); coordinators follow up and see the allowance totals
    "klus.settle": frozenset({MEMBER}),
    "klus.overview": frozenset({COORDINATOR, BOARD, AUDIT, ADMIN}),
    "allowance.configure": frozenset({BOARD, ADMIN}),
    "allowance.override": frozenset({BOARD, ADMIN}),
    "statement.view": frozenset({BOARD, AUDIT, ADMIN}),
    # anyone who is a member
    "self.view": frozenset({MEMBER}),
    "rulebook.view": frozenset({MEMBER}),
    "cluster.view": frozenset({MEMBER}),
    "neighbourhood.view": frozenset({MEMBER}),
    "partner.view": frozenset({MEMBER}),
}


def roles_of(member: Member | None) -> frozenset[str]:
    """The member's roles, cached on the instance for the request."""
    if member is None or member.status != "active":
        return frozenset()
    cached = getattr(member, "_roles_cache", None)
    if cached is None:
        stored = {r.role for r in member.role_assignments.all()}
        cached = frozenset({MEMBER, *stored, *([BOARD] if stored & BOARD_POSITIONS else [])})
        member._roles_cache = cached
    return cached


def assisted_neighbourhood_ids(member: Member) -> frozenset[int]:
    cached = getattr(member, "_assisted_cache", None)
    if cached is None:
        cached = frozenset(member.assisted_neighbourhoods.values_list("id", flat=True))
        member._assisted_cache = cached
    return cached


def _unscoped_roles(member: Member, action: str) -> set[str]:
    return (roles_of(member) & ACTIONS[action]) - SCOPED_ROLES


def can(
    member: Member | None,
    action: str,
    *,
    about: Member | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> bool:
    """May ``member`` do ``action`` (on the member ``about`` / in ``neighbourhood``)?

    Without an object, a scoped role counts: the assistant may open the list, which then
    shows only their buurten (see ``members_visible_to``).
    """
    if action not in ACTIONS:
        raise KeyError(f"Unknown action {action!r}: add it to shared.permissions.ACTIONS")
    if member is None:
        return False
    granted = roles_of(member) & ACTIONS[action]
    if not granted:
        return False
    if about is None and neighbourhood is None:
        return True
    if _unscoped_roles(member, action):
        return True
    # Only scoped roles are left: the object must lie in one of their buurten.
    target = neighbourhood.pk if neighbourhood is not None else about.neighbourhood_id
    return target is not None and target in assisted_neighbourhood_ids(member)


def members_visible_to(viewer: Member, queryset: QuerySet, action: str = "member.list") -> QuerySet:
    """Narrow a Member queryset to what ``viewer`` may see for ``action``."""
    if not can(viewer, action):
        return queryset.none()
    if _unscoped_roles(viewer, action):
        return queryset
    return queryset.filter(neighbourhood_id__in=assisted_neighbourhood_ids(viewer))


def neighbourhood_filter_for(viewer: Member, action: str) -> Q | None:
    """A Q on ``neighbourhood_id`` for scoped viewers, or None when the viewer sees all."""
    if _unscoped_roles(viewer, action):
        return None
    return Q(neighbourhood_id__in=assisted_neighbourhood_ids(viewer))


def current_member(request: HttpRequest) -> Member | None:
    """The active member behind this request in this cooperative, or None."""
    if not hasattr(request, "_member_cache"):
        member = None
        user = getattr(request, "user", None)
        if getattr(request, "cooperative", None) is not None and user and user.is_authenticated:
            from cooperatives.members.models import Member

            member = (
                Member.objects.filter(user=user, status=Member.Status.ACTIVE)
                .prefetch_related("role_assignments")
                .first()
            )
        request._member_cache = member
    return request._member_cache


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", status=403)


def require(action: str) -> Callable:
    """View decorator: log in first, then the member needs ``action``; else the 403 page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not can(current_member(request), action):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasAction(BasePermission):
    """DRF: the view names its action per HTTP method in ``permission_actions``, e.g.
    ``{"GET": "member.list", "POST": "member.register"}``; a method it does not name is
    refused. Object checks pass the object's member or buurt."""

    message = "U heeft geen toestemming voor deze handeling."

    def _action(self, request: Any, view: Any) -> str:
        actions = getattr(view, "permission_actions", {})
        if request.method in ("HEAD", "OPTIONS"):
            return actions.get("GET") or next(iter(actions.values()))
        return actions.get(request.method, "")

    def has_permission(self, request: Any, view: Any) -> bool:
        action = self._action(request, view)
        return bool(action) and can(current_member(request), action)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        from cooperatives.members.models import Member
        from cooperatives.setup.models import Neighbourhood

        member = current_member(request)
        action = self._action(request, view)
        if isinstance(obj, Member):
            if action.startswith("self."):
                return member is not None and obj.pk == member.pk
            return can(member, action, about=obj)
        if isinstance(obj, Neighbourhood):
            return can(member, action, neighbourhood=obj)
        return can(member, action)


def roles_display(roles: Iterable[str]) -> list[str]:
    from cooperatives.members.models import Role

    labels = dict(Role.choices)
    return [str(labels[r]) for r in roles if r in labels]


def login_then(view: Callable) -> Callable:
    """For pages any logged-in member may open (their own data)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if current_member(request) is None:
            return forbidden(request)
        return view(request, *args, **kwargs)

    return wrapped


__all__ = [
    "ACTIONS",
    "HasAction",
    "can",
    "current_member",
    "forbidden",
    "login_then",
    "members_visible_to",
    "require",
    "roles_of",
]
