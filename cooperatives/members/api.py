"""Members through the API: the same selectors and services as the pages, so the same scope
(a neighbourhood assistant sees only their buurten) and the same Dutch messages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.members import selectors, services
from cooperatives.members.models import AVAILABILITY_CHOICES, Member, Role
from cooperatives.setup.models import Neighbourhood
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.permissions import HasAction

ERRORS = ERROR_RESPONSES
STATUS_ALL = "all"


# --- what goes out -----------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    """A row of the member list."""

    # A plain string in the schema: "status" of applications and invitations has other
    # values, and enums of one field name clash there (until ENUM_NAME_OVERRIDES names them).
    status = serializers.CharField(read_only=True, help_text="active, left of erased")
    neighbourhood_name = serializers.CharField(
        source="neighbourhood.name", allow_null=True, read_only=True
    )
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "kind",
            "name",
            "street",
            "house_number",
            "postcode",
            "neighbourhood",
            "neighbourhood_name",
            "phone",
            "email",
            "status",
            "roles",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Role.choices)))
    def get_roles(self, member: Member) -> list[str]:
        # role_assignments is prefetched by the selectors: no query per row.
        return sorted(r.role for r in member.role_assignments.all())


class MemberDetailSerializer(MemberSerializer):
    class Meta(MemberSerializer.Meta):
        fields = [
            *MemberSerializer.Meta.fields,
            "neighbourhood_fixed",
            "year_of_birth",
            "languages",
            "talents",
            "help_clusters",
            "availability",
            "uses_internet",
            "privacy_version",
            "privacy_accepted_at",
            "disclaimer_version",
            "disclaimer_accepted_at",
            "consent_on_behalf",
            "registered_by",
            "assisted_neighbourhoods",
            "joined_at",
            "left_at",
            "erased_at",
        ]
        read_only_fields = fields


# --- what comes in (shapes only: the services check the values) --------------------------------


class MemberFilterSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, default="", allow_blank=True)
    neighbourhood = serializers.IntegerField(required=False, allow_null=True, default=None)
    role = serializers.ChoiceField(Role.choices, required=False, default="", allow_blank=True)
    status = serializers.ChoiceField(
        [*Member.Status.values, STATUS_ALL], required=False, default=Member.Status.ACTIVE
    )


class MemberProfileSerializer(serializers.Serializer):
    kind = serializers.CharField(required=False, help_text="resident of organisation")
    name = serializers.CharField(required=False, allow_blank=True)
    street = serializers.CharField(required=False, allow_blank=True)
    house_number = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    year_of_birth = serializers.IntegerField(required=False, allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), required=False)
    talents = serializers.ListField(child=serializers.CharField(), required=False)
    help_clusters = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=selectors.clusters_choosable(),
        error_messages={"does_not_exist": _("Kies een cluster uit de lijst.")},
    )
    availability = serializers.ListField(
        child=serializers.ChoiceField(AVAILABILITY_CHOICES), required=False
    )
    uses_internet = serializers.BooleanField(required=False)

    def __init__(self, *args: Any, member: Member | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["help_clusters"].child_relation.queryset = selectors.clusters_choosable(
            member=member
        )


class MemberChangeSerializer(MemberProfileSerializer):
    neighbourhood = serializers.PrimaryKeyRelatedField(
        required=False,
        allow_null=True,
        queryset=Neighbourhood.objects.none(),
        help_text="Een buurt, of null: de buurt volgt weer uit het adres",
        error_messages={"does_not_exist": _("Kies een buurt uit de lijst.")},
    )

    def __init__(
        self, *args: Any, neighbourhoods: QuerySet[Neighbourhood] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if neighbourhoods is not None:
            self.fields["neighbourhood"].queryset = neighbourhoods


class MemberIntakeSerializer(MemberProfileSerializer):
    accept_privacy = serializers.BooleanField(
        default=False, help_text="Het lid stemde mondeling in met de privacyverklaring"
    )
    accept_disclaimer = serializers.BooleanField(
        default=False, help_text="Het lid stemde mondeling in met de spelregels (aansprakelijkheid)"
    )


class MemberRolesSerializer(serializers.Serializer):
    roles = serializers.ListField(child=serializers.CharField(), allow_empty=True)
    assisted_neighbourhoods = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Neighbourhood.objects.all(),
        error_messages={"does_not_exist": _("Kies een buurt uit de lijst.")},
    )


# --- views -------------------------------------------------------------------------------------


def _member_or_404(request: Request, pk: int, action: str) -> Member:
    """Another buurt's member or another cooperative's id: not found, never a hint."""
    member = selectors.member_get(viewer=permissions.current_member(request), pk=pk, action=action)
    if member is None:
        raise NotFound
    return member


def _detail(member: Member) -> Response:
    return Response(MemberDetailSerializer(selectors.member_reload(member=member)).data)


class MemberListView(ListAPIView):
    serializer_class = MemberSerializer
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "member.list", "POST": "member.register"}

    def get_queryset(self) -> QuerySet[Member]:
        params = MemberFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        return selectors.member_list(
            viewer=permissions.current_member(self.request),
            search=values["search"],
            neighbourhood_id=values["neighbourhood"],
            role=values["role"],
            status="" if values["status"] == STATUS_ALL else values["status"],
        )

    @extend_schema(
        operation_id="members_list",
        summary="Leden die u mag zien (een buurtassistent: alleen in de eigen buurten)",
        parameters=[
            OpenApiParameter("search", str, description="naam, e-mailadres, straat of postcode"),
            OpenApiParameter("neighbourhood", int, description="id van een buurt"),
            OpenApiParameter("role", str, enum=Role.values),
            OpenApiParameter("status", str, enum=[*Member.Status.values, STATUS_ALL]),
        ],
        responses={200: MemberSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="members_register",
        summary="Een lid inschrijven namens hem of haar (telefoon of aan de deur)",
        request=MemberIntakeSerializer,
        responses={201: MemberDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = MemberIntakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.member_register_on_behalf(
            actor=permissions.current_member(request), **serializer.validated_data
        )
        response = _detail(member)
        response.status_code = status.HTTP_201_CREATED
        return response


class MemberDetailView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "member.view", "PATCH": "member.edit"}

    @extend_schema(
        operation_id="members_retrieve",
        responses={200: MemberDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(_member_or_404(request, pk, "member.view"))

    @extend_schema(
        operation_id="members_partial_update",
        summary="Het profiel wijzigen, en de buurt als u die mag kiezen",
        request=MemberChangeSerializer,
        responses={200: MemberDetailSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        viewer = permissions.current_member(request)
        member = _member_or_404(request, pk, "member.edit")
        serializer = MemberChangeSerializer(
            data=request.data,
            member=member,
            neighbourhoods=selectors.neighbourhoods_for(
                viewer=viewer, action="member.set_neighbourhood"
            ),
        )
        serializer.is_valid(raise_exception=True)
        services.member_update(actor=viewer, member=member, **serializer.validated_data)
        return _detail(member)


class MemberRolesView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"PUT": "member.assign_roles"}

    @extend_schema(
        operation_id="members_roles_update",
        summary="De rollen van een lid vastleggen (en voor welke buurten het buurtassistent is)",
        request=MemberRolesSerializer,
        responses={200: MemberDetailSerializer, **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        member = _member_or_404(request, pk, "member.assign_roles")
        serializer = MemberRolesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.member_assign_roles(
            actor=permissions.current_member(request),
            member=member,
            roles=set(serializer.validated_data["roles"]),
            assisted_neighbourhoods=serializer.validated_data.get("assisted_neighbourhoods"),
        )
        return _detail(member)


class MemberEraseView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"POST": "member.erase"}

    @extend_schema(
        operation_id="members_erase",
        summary="Persoonsgegevens wissen; het lid blijft bestaan onder een pseudoniem",
        request=None,
        responses={200: MemberDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        member = _member_or_404(request, pk, "member.erase")
        services.member_erase(actor=permissions.current_member(request), member=member)
        return _detail(member)


class MyDataExportView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "self.view"}

    @extend_schema(
        operation_id="me_export",
        summary="Alles wat de coöperatie over u weet (JSON)",
        responses={200: OpenApiTypes.OBJECT, 403: ErrorResponseSerializer},
    )
    def get(self, request: Request) -> Response:
        member = permissions.current_member(request)
        return Response(services.member_export(member=member))


class MyDataLeaveView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"POST": "self.view"}

    @extend_schema(
        operation_id="me_leave",
        summary="Uw lidmaatschap opzeggen; daarna kunt u niet meer inloggen",
        request=None,
        responses={204: None, 400: ErrorResponseSerializer, 403: ErrorResponseSerializer},
    )
    def post(self, request: Request) -> Response:
        services.member_leave(member=permissions.current_member(request))
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
