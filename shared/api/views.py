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
from typing import ClassVar, Generic, TypeVar

from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.views import APIView

from shared.permissions import HasAction, current_member

T = TypeVar("T")
MemberT = TypeVar("MemberT")


class CooperativeAPIView(APIView, Generic[MemberT]):
    permission_classes: Sequence[type[BasePermission]] = [IsAuthenticated, HasAction]
    # {"GET": "member.list", "POST": "member.register"}: the action each method needs.
    permission_actions: ClassVar[dict[str, str]] = {}

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


__all__ = ["CooperativeAPIView", "CooperativeListAPIView"]
