"""Who is logged in, in this cooperative (API)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.home.serializers import MeSerializer
from cooperatives.members.models import Member
from shared import permissions
from shared.accounts.models import User
from shared.api.views import CooperativeAPIView
from shared.tenancy.current import current_cooperative


class MeView(CooperativeAPIView[Member]):
    """The member who is logged in, in this cooperative."""

    permission_actions = {"GET": "self.view"}

    @extend_schema(operation_id="me", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # the permission check lets only a member's login in
        data = {
            "id": user.pk,
            "full_name": user.full_name,
            "email": user.email,
            "cooperative": current_cooperative().name,
            "member_id": self.member.pk,
            "roles": sorted(permissions.roles_of(self.member) - {permissions.MEMBER}),
        }
        return Response(MeSerializer(data).data)
