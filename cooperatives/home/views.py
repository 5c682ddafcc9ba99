"""The member's start page and who-am-I API on a cooperative's subdomain."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.members import selectors as members_selectors
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup import selectors as setup_selectors
from shared import permissions


@permissions.login_then
def home(request: HttpRequest) -> HttpResponse:
    member = permissions.current_member(request)
    rulebook = rulebook_current()
    clusters = setup_selectors.cluster_rows(rulebook=rulebook, active_only=True)
    return render(
        request,
        "home/home.html",
        {
            "member": member,
            "roles": members_selectors.role_labels(roles=sorted(permissions.roles_of(member))),
            "member_roles": permissions.roles_of(member),
            "clusters": clusters,
            "has_klus": any(row["compensation"] in ("euros", "both") for row in clusters),
            "rulebook": rulebook,
            # Template-friendly keys: "member.list" → can.member_list.
            "can": {
                action.replace(".", "_"): permissions.can(member, action)
                for action in (
                    "member.list",
                    "member.register",
                    "application.decide",
                    "invitation.send",
                    "neighbourhood.manage",
                    "cluster.manage",
                    "rulebook.edit",
                    "partner.manage",
                    "audit.view",
                    "offer.create",
                    "marketplace.board",
                    "points.use",
                    "points.overview",
                    "billing.view",
                    "billing.manage",
                    "klus.overview",
                    "statement.view",
                )
            },
        },
    )


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    cooperative = serializers.CharField()
    member_id = serializers.IntegerField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """The member who is logged in, in this cooperative."""

    @extend_schema(operation_id="me", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        member = permissions.current_member(request)
        data = {
            "id": user.pk,
            "full_name": user.full_name,
            "email": user.email,
            "cooperative": request.tenant.name,
            "member_id": member.pk if member else None,
            "roles": sorted(permissions.roles_of(member) - {permissions.MEMBER}),
        }
        return Response(MeSerializer(data).data)
