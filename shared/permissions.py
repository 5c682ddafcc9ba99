"""The one permission layer: which role may do what, and in which neighbourhoods.

Every page and API view asks here (through the base views in ``shared.views`` and
``shared.api.views``); nothing else decides access. Actions are named "<area>.<verb>". A
neighbourhood assistant's rights reach only the buurten they assist, so object checks pass the
member (or buurt) the action is about.

This module knows no feature app: a member is anything shaped like ``Actor``, and the app that
owns members registers how to find the member of a logged-in user (``member_loader_register``,
called from ``cooperatives.apps``), so ``shared`` stays the bottom layer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from shared.tenancy.current import connection

# Roles as the member holds them (``Actor.current_roles``: stored roles, and the board and
# audit committee roles of their seats today), plus "member" (every active member) and "board"
# (any of the four board positions).
MEMBER, BOARD = "member", "board"
VOLUNTEER, ASSISTANT, COORDINATOR = "volunteer", "neighbourhood_assistant", "coordinator"
AUDIT, ADMIN = "audit_committee", "administrator"
CHAIR, SECRETARY, TREASURER = "board_chair", "board_secretary", "board_treasurer"
BOARD_POSITIONS = frozenset({"board_chair", "board_secretary", "board_treasurer", "board_general"})

# Roles whose holders move money, read members' data or act for the cooperative: a session of
# theirs counts only once it has passed the second factor (issue 14). The base views send such a
# person to set up or type the code before any page or API call (``second_factor_missing``).
TWO_FACTOR_ROLES = BOARD_POSITIONS | {AUDIT, ADMIN}

# Actions on a member's record that a member may always take on their own record.
READ_OWN = frozenset({"member.view"})

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
    # download a member's data (AVG art. 15 and 20) for a member without a login; audited
    "member.export": frozenset({COORDINATOR, BOARD, ADMIN}),
    # a lost phone: one board member asks, another confirms (never the member themselves)
    "member.two_factor_reset": frozenset({BOARD}),
    # send a member who calls a link to choose a new password (an assistant: in their buurten)
    "member.password_reset": frozenset({ASSISTANT, COORDINATOR, ADMIN}),
    # joining
    "application.decide": frozenset({COORDINATOR, BOARD, ADMIN}),
    "invitation.send": frozenset({COORDINATOR, BOARD, ADMIN}),
    # the cooperative's set-up; its details (contact address, place) in the public registry
    "cooperative.manage": frozenset({BOARD, ADMIN}),
    # all the cooperative's data in one archive (every member's personal data), and how long
    # it is kept once the cooperative is archived: the board itself, no one else
    "cooperative.export": frozenset({BOARD}),
    "neighbourhood.manage": frozenset({BOARD, ADMIN}),
    "cluster.manage": frozenset({BOARD, ADMIN}),
    "rulebook.edit": frozenset({BOARD, ADMIN}),
    "partner.manage": frozenset({COORDINATOR, BOARD, ADMIN}),
    # oversight
    "audit.view": frozenset({BOARD, AUDIT, ADMIN}),
    # who read members' care data (cooperatives.carelog), without the care text itself
    "carelog.view": frozenset({BOARD, AUDIT, ADMIN}),
    # marketplace
    "request.create": frozenset({MEMBER}),
    "request.create_on_behalf": frozenset({ASSISTANT, COORDINATOR, ADMIN}),
    "offer.create": frozenset({VOLUNTEER, ASSISTANT, COORDINATOR, ADMIN}),
    "request.respond": frozenset({VOLUNTEER, ASSISTANT, COORDINATOR, ADMIN}),
    # accept a volunteer, plan, move, cancel, confirm or give feedback on someone's behalf
    "service.coordinate": frozenset({ASSISTANT, COORDINATOR, ADMIN}),
    "marketplace.board": frozenset({ASSISTANT, COORDINATOR, BOARD, ADMIN}),
    "marketplace.view": frozenset({MEMBER}),
    # on one service (who of its members may is decided per service, in the marketplace's
    # selectors; coordinators and assistants of the buurt act through service.coordinate):
    # say the registered hours are not right, correct them, write to the other side
    "service.dispute": frozenset({MEMBER}),
    "service.resolve": frozenset({MEMBER}),
    "service.message": frozenset({MEMBER}),
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
    # governance: every member sees the bodies, the register of decisions and approved
    # minutes; the board fills seats and keeps the statutes' settings; the secretary (or the
    # chair) convenes meetings, records decisions and drafts minutes
    "governance.view": frozenset({MEMBER}),
    "seat.manage": frozenset({BOARD, ADMIN}),
    "statutes.edit": frozenset({BOARD, ADMIN}),
    "meeting.manage": frozenset({SECRETARY, CHAIR, ADMIN}),
    "decision.record": frozenset({SECRETARY, CHAIR, ADMIN}),
    "minutes.manage": frozenset({SECRETARY, CHAIR, ADMIN}),
    # needs surveys (peilingen): the board makes, opens and closes them and reads the results
    # (never an answer linked to a member); every member may answer one open for them; the
    # coordinator prints the paper form and enters the answers members give on paper
    "survey.manage": frozenset({BOARD, ADMIN}),
    "survey.results": frozenset({BOARD, ADMIN}),
    "survey.answer": frozenset({MEMBER}),
    "survey.paper": frozenset({COORDINATOR, ADMIN}),
    # the annual report: the board and the kascommissie read every version, members the
    # approved ones; the board writes it, the kascommissie records its findings, and the
    # secretary (or the chair) records the ALV's approval and discharge
    "report.read": frozenset({MEMBER}),
    "report.view": frozenset({BOARD, AUDIT, ADMIN}),
    "report.edit": frozenset({BOARD, ADMIN}),
    "report.review": frozenset({AUDIT}),
    "report.approve": frozenset({SECRETARY, CHAIR, ADMIN}),
    # project proposals: every member reads, submits and supports them; a coordinator (or the
    # board) submits one on behalf of a neighbourhood partner; the board handles them and runs
    # the projects they become (a project group's own members post its updates: checked per
    # project in the service)
    "proposal.view": frozenset({MEMBER}),
    "proposal.submit": frozenset({MEMBER}),
    "proposal.submit_for_partner": frozenset({COORDINATOR, BOARD, ADMIN}),
    "proposal.support": frozenset({MEMBER}),
    "proposal.handle": frozenset({BOARD, ADMIN}),
    "project.view": frozenset({MEMBER}),
    "project.post": frozenset({MEMBER}),
    "project.manage": frozenset({BOARD, ADMIN}),
    # networks (tenants.networks): the board asks to join, answers invitations, chooses what
    # the cooperative shares with each network and ends a membership
    "network.manage": frozenset({BOARD, ADMIN}),
    # meetings: every member sees the meetings they may attend, answers whether they come,
    # gives a written proxy and votes online where the statutes allow it; the coordinators
    # print the convocation letters of members without email
    "meeting.view": frozenset({MEMBER}),
    "meeting.rsvp": frozenset({MEMBER}),
    "meeting.vote": frozenset({MEMBER}),
    "proxy.grant": frozenset({MEMBER}),
    "meeting.letters": frozenset({COORDINATOR, SECRETARY, CHAIR, ADMIN}),
    # the knowledge network: the board and coordinators read the documents of the networks
    # the cooperative belongs to; the board suggests one to a network
    "knowledge.read": frozenset({BOARD, COORDINATOR, ADMIN}),
    "knowledge.suggest": frozenset({BOARD, ADMIN}),
    # anyone who is a member
    "self.view": frozenset({MEMBER}),
    "rulebook.view": frozenset({MEMBER}),
    "cluster.view": frozenset({MEMBER}),
    "neighbourhood.view": frozenset({MEMBER}),
    "partner.view": frozenset({MEMBER}),
}


class Actor(Protocol):
    """What the permission layer reads of a member (``cooperatives.members.models.Member``)."""

    @property
    def pk(self) -> Any: ...

    @property
    def status(self) -> str: ...

    @property
    def neighbourhood_id(self) -> int | None: ...

    def current_roles(self) -> frozenset[str]:
        """The roles held today: stored ones and those that seats in the cooperative's
        bodies give (the board, the kascommissie), so a term that ends ends the rights."""
        ...

    @property
    def assisted_neighbourhoods(self) -> Any: ...


class HasPk(Protocol):
    @property
    def pk(self) -> Any: ...


class Scoped(Protocol):
    """A record that says whom or where an action on it is about: a member is about itself, a
    buurt is where it is. Object checks of the API read it (``HasAction``)."""

    def permission_scope(self) -> tuple[Actor | None, HasPk | None]: ...


MemberLoader = Callable[[Any], Actor | None]
_member_loader: MemberLoader | None = None


def member_loader_register(loader: MemberLoader) -> None:
    """The app that owns members tells how to find the active member of a logged-in user in
    the current cooperative (one query, roles prefetched)."""
    global _member_loader
    _member_loader = loader


def _cached(obj: object, name: str, compute: Callable[[], frozenset[Any]]) -> frozenset[Any]:
    # On the instance, so a request that checks ten actions reads the roles once.
    store = vars(obj)
    if name not in store:
        store[name] = compute()
    value: frozenset[Any] = store[name]
    return value


def roles_of(member: Actor | None) -> frozenset[str]:
    """The member's roles, cached on the instance for the request."""
    if member is None or member.status != "active":
        return frozenset()

    def compute() -> frozenset[str]:
        held = member.current_roles()
        return frozenset({MEMBER, *held, *([BOARD] if held & BOARD_POSITIONS else [])})

    return _cached(member, "_roles_cache", compute)


def assisted_neighbourhood_ids(member: Actor) -> frozenset[int]:
    return _cached(
        member,
        "_assisted_cache",
        lambda: frozenset(member.assisted_neighbourhoods.values_list("id", flat=True)),
    )


def _unscoped_roles(member: Actor, action: str) -> set[str]:
    return set((roles_of(member) & ACTIONS[action]) - SCOPED_ROLES)


def can(
    member: Actor | None,
    action: str,
    *,
    about: Actor | None = None,
    neighbourhood: HasPk | None = None,
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
    target = neighbourhood.pk if neighbourhood is not None else about and about.neighbourhood_id
    return target is not None and target in assisted_neighbourhood_ids(member)


def can_on(member: Actor | None, action: str, obj: object) -> bool:
    """``can`` for a record: a ``Scoped`` record says whom or where it is about; actions
    named "self.*" are for the member's own record only."""
    scope = getattr(obj, "permission_scope", None)
    about, neighbourhood = scope() if scope is not None else (None, None)
    own = member is not None and about is not None and about.pk == member.pk
    if action.startswith("self."):
        return own
    if own and action in READ_OWN:
        # Whoever may read members' records may read their own, wherever they live (an
        # assistant need not live in a buurt they assist).
        return can(member, action)
    return can(member, action, about=about, neighbourhood=neighbourhood)


def members_visible_to(viewer: Actor, queryset: QuerySet[Any], action: str = "member.list") -> Any:
    """Narrow a Member queryset to what ``viewer`` may see for ``action``."""
    if not can(viewer, action):
        return queryset.none()
    if _unscoped_roles(viewer, action):
        return queryset
    return queryset.filter(neighbourhood_id__in=assisted_neighbourhood_ids(viewer))


def neighbourhood_filter_for(viewer: Actor, action: str) -> Q | None:
    """A Q on ``neighbourhood_id`` for scoped viewers, or None when the viewer sees all."""
    if _unscoped_roles(viewer, action):
        return None
    return Q(neighbourhood_id__in=assisted_neighbourhood_ids(viewer))


def member_of_user(user: Any) -> Any:
    """The active member of this cooperative who logs in as ``user``, or None (also outside a
    cooperative, where no loader applies: network administrators are no members)."""
    if _member_loader is None or user is None or not getattr(user, "pk", None):
        return None
    if connection.schema_name == get_public_schema_name():
        return None
    return _member_loader(user)


def current_member(request: HttpRequest) -> Any:
    """The active member behind this request in this cooperative, or None. Resolved once per
    request. Typed ``Any`` on purpose: the member's class belongs to a feature app; views get
    it typed from the base views (``shared.views``, ``shared.api.views``)."""
    # A DRF Request wraps Django's: cache on the one underneath, which both see.
    cache = vars(getattr(request, "_request", request))
    if "_member_cache" not in cache:
        member = None
        user = getattr(request, "user", None)
        if (
            _member_loader is not None
            and getattr(request, "cooperative", None) is not None
            and user is not None
            and user.is_authenticated
        ):
            member = _member_loader(user)
        cache["_member_cache"] = member
    return cache["_member_cache"]


def needs_two_factor(member: Actor | None) -> bool:
    """The member holds a role that may act only after the second factor."""
    return bool(roles_of(member) & TWO_FACTOR_ROLES)


def session_verified(request: HttpRequest) -> bool:
    """The session passed the second factor (django-otp's middleware sets ``is_verified``)."""
    user = getattr(request, "user", None)
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def second_factor_missing(request: HttpRequest) -> bool:
    """This request's member needs the second factor and the session has not passed it."""
    return needs_two_factor(current_member(request)) and not session_verified(
        getattr(request, "_request", request)
    )


class SecondFactorRequired(PermissionDenied):
    """The API's refusal for a role that needs the second factor in a session without it."""

    default_detail = _(
        "Uw rol vraagt om inloggen met een code van uw telefoon. Stel de tweestapsverificatie "
        "in op de website (Tweestapsverificatie) en log opnieuw in."
    )
    default_code = "two_factor_required"


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", status=403)


class HasAction(BasePermission):
    """DRF: the view names its action per HTTP method in ``permission_actions``, e.g.
    ``{"GET": "member.list", "POST": "member.register"}``; a method it does not name is
    refused. Object checks pass the object's member or buurt (``can_on``)."""

    message = "U heeft geen toestemming voor deze handeling."

    def _action(self, request: Any, view: Any) -> str:
        actions: dict[str, str] = getattr(view, "permission_actions", {})
        if request.method in ("HEAD", "OPTIONS"):
            return actions.get("GET") or next(iter(actions.values()), "")
        return actions.get(request.method, "")

    def has_permission(self, request: Any, view: Any) -> bool:
        action = self._action(request, view)
        if not (bool(action) and can(current_member(request), action)):
            return False
        if second_factor_missing(request):
            raise SecondFactorRequired
        return True

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return can_on(current_member(request), self._action(request, view), obj)


__all__ = [
    "ACTIONS",
    "Actor",
    "HasAction",
    "can",
    "can_on",
    "current_member",
    "forbidden",
    "member_loader_register",
    "member_of_user",
    "members_visible_to",
    "needs_two_factor",
    "roles_of",
    "second_factor_missing",
    "session_verified",
]
