"""The one base for API views on a cooperative's subdomain (the counterpart of
``shared.views``): the session must belong to an active member here, and the view declares
the action per HTTP method, which the one permission layer checks.

    class MemberListView(CooperativeListAPIView[Member]):
        permission_actions = {"GET": "member.list"}

        def get_queryset(self):
            return selectors.member_list(viewer=self.member)

``self.member`` is the member behind the request, never None once the permission check passed
(a method the view does not name is refused). ``self.found(obj)`` turns a selector's None into
a 404 and checks the object against the action (the member or buurt it is about).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from shared.accounts.reauth import ReauthRequired, auth_is_recent
from shared.permissions import HasAction, current_member

T = TypeVar("T")
MemberT = TypeVar("MemberT")


class CooperativeAPIView(APIView, Generic[MemberT]):
    permission_classes: Sequence[type[BasePermission]] = [IsAuthenticated, HasAction]
    # {"GET": "member.list", "POST": "member.register"}: the action each method needs.
    permission_actions: ClassVar[dict[str, str]] = {}
    # Methods that are sensitive actions (erasure, bank settings ...): after a login older
    # than settings.REAUTH_SECONDS they are refused (403 ``reauth_required``) until the
    # person confirms the password on the website.
    reauth_methods: ClassVar[tuple[str, ...]] = ()

    def check_permissions(self, request: Any) -> None:
        super().check_permissions(request)
        if request.method in self.reauth_methods and not auth_is_recent(request):
            raise ReauthRequired

    @property
    def member(self) -> MemberT:
        member: MemberT = current_member(self.request)
        return member

    def found(self, obj: T | None) -> T:
        """The record a selector found for this cooperative and viewer, or a 404; then the
        object check of the view's action (e.g. a buurt outside an assistant's buurten)."""
        if obj is None:
            raise NotFound
        self.check_object_permissions(self.request, obj)
        return obj


class CooperativeListAPIView(CooperativeAPIView[MemberT], ListAPIView):  # type: ignore[type-arg]
    """A paged list (50 per page, ?page=N) with the same member and permission check."""


class OpenToAnyoneMixin(APIView):
    """For the few API views a visitor uses before being a member (applying, accepting an
    invitation): the methods in ``open_methods`` need no login. No session is read for them
    (so no CSRF token and no logged-in identity is involved) and they are throttled like the
    cooperative sign-up. Other methods keep the base view's login and permission check. List
    it before the base view::

        class ApplicationListView(OpenToAnyoneMixin, CooperativeListAPIView[Member]): ...
    """

    throttle_scope = "signup"
    open_methods: ClassVar[tuple[str, ...]] = ("POST",)

    def _open(self) -> bool:
        # The schema generator asks before it has set a request.
        return getattr(getattr(self, "request", None), "method", None) in self.open_methods

    def get_authenticators(self) -> list[BaseAuthentication]:
        return [] if self._open() else super().get_authenticators()

    def get_permissions(self) -> Sequence[Any]:
        return [AllowAny()] if self._open() else super().get_permissions()

    def get_throttles(self) -> list[BaseThrottle]:
        return [ScopedRateThrottle()] if self._open() else super().get_throttles()


__all__ = ["CooperativeAPIView", "CooperativeListAPIView", "OpenToAnyoneMixin"]
