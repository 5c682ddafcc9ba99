"""Members through the API: the same selectors and services as the pages, so the same scope
(a neighbourhood assistant sees only their buurten) and the same Dutch messages."""

from __future__ import annotations

from django.contrib.auth import logout
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.members import selectors, services
from cooperatives.members.filters import MemberFilter
from cooperatives.members.models import Member
from cooperatives.members.serializers import (
    MemberChangeSerializer,
    MemberDetailSerializer,
    MemberIntakeSerializer,
    MemberRolesSerializer,
    MemberSerializer,
)
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.views import CooperativeAPIView, CooperativeListAPIView

ERRORS = ERROR_RESPONSES


def _detail(member: Member) -> Response:
    """The member as stored after a write the viewer was allowed to make (which may have
    moved them out of an assistant's buurten)."""
    return Response(MemberDetailSerializer(selectors.member_reload(member=member)).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="members_list",
        summary="Leden die u mag zien (een buurtassistent: alleen in de eigen buurten)",
        responses={200: MemberSerializer(many=True), **ERRORS},
    )
)
class MemberListView(CooperativeListAPIView[Member]):
    serializer_class = MemberSerializer
    permission_actions = {"GET": "member.list", "POST": "member.register"}
    filter_backends = [DjangoFilterBackend]
    filterset_class = MemberFilter

    def get_queryset(self) -> QuerySet[Member]:
        return selectors.member_list(viewer=self.member)

    @extend_schema(
        operation_id="members_register",
        summary="Een lid inschrijven namens hem of haar (telefoon of aan de deur)",
        request=MemberIntakeSerializer,
        responses={201: MemberDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = MemberIntakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.member_register_on_behalf(actor=self.member, **serializer.validated_data)
        response = _detail(member)
        response.status_code = status.HTTP_201_CREATED
        return response


class MemberDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "member.view", "PATCH": "member.edit"}

    @extend_schema(
        operation_id="members_retrieve",
        responses={200: MemberDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(self.found(selectors.member_get(viewer=self.member, pk=pk)))

    @extend_schema(
        operation_id="members_partial_update",
        summary="Het profiel wijzigen, en de buurt als u die mag kiezen",
        request=MemberChangeSerializer,
        responses={200: MemberDetailSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        member = self.found(selectors.member_get(viewer=self.member, pk=pk, action="member.edit"))
        serializer = MemberChangeSerializer(
            data=request.data,
            member=member,
            neighbourhoods=selectors.neighbourhoods_for(
                viewer=self.member, action="member.set_neighbourhood"
            ),
        )
        serializer.is_valid(raise_exception=True)
        services.member_update(actor=self.member, member=member, **serializer.validated_data)
        return _detail(member)


class MemberRolesView(CooperativeAPIView[Member]):
    permission_actions = {"PUT": "member.assign_roles"}

    @extend_schema(
        operation_id="members_roles_update",
        summary="De rollen van een lid vastleggen (en voor welke buurten het buurtassistent is)",
        request=MemberRolesSerializer,
        responses={200: MemberDetailSerializer, **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        member = self.found(
            selectors.member_get(viewer=self.member, pk=pk, action="member.assign_roles")
        )
        serializer = MemberRolesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.member_assign_roles(
            actor=self.member,
            member=member,
            roles=set(serializer.validated_data["roles"]),
            assisted_neighbourhoods=serializer.validated_data.get("assisted_neighbourhoods"),
        )
        return _detail(member)


class MemberEraseView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "member.erase"}
    reauth_methods = ("POST",)

    @extend_schema(
        operation_id="members_erase",
        summary="Persoonsgegevens wissen; het lid blijft bestaan onder een pseudoniem",
        request=None,
        responses={200: MemberDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        member = self.found(selectors.member_get(viewer=self.member, pk=pk, action="member.erase"))
        services.member_erase(actor=self.member, member=member)
        return _detail(member)


class MyDataExportView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "self.view"}

    @extend_schema(
        operation_id="me_export",
        summary="Alles wat de coöperatie over u weet (JSON)",
        responses={200: OpenApiTypes.OBJECT, 403: ErrorResponseSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.member_export(member=self.member))


class MyDataLeaveView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "self.view"}

    @extend_schema(
        operation_id="me_leave",
        summary="Uw lidmaatschap opzeggen; daarna kunt u niet meer inloggen",
        request=None,
        responses={204: None, 400: ErrorResponseSerializer, 403: ErrorResponseSerializer},
    )
    def post(self, request: Request) -> Response:
        services.member_leave(member=self.member)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
