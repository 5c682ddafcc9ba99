"""Joining through the API: applying (anyone), deciding on applications and sending
invitations (coordinators and the board), and accepting an invitation (anyone holding the
token). Serializers only shape data; the services check and do the work."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.joining import selectors, services
from cooperatives.joining.filters import ApplicationFilter
from cooperatives.joining.models import Application, Invitation
from cooperatives.joining.serializers import (
    ApplicationReceivedSerializer,
    ApplicationSerializer,
    ApplicationSubmitSerializer,
    DeclineSerializer,
    InvitationAcceptSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    NewMemberSerializer,
)
from cooperatives.members.models import Member
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.throttles import MAIL_THROTTLES
from shared.api.views import CooperativeAPIView, CooperativeListAPIView, OpenToAnyoneMixin

ERRORS = ERROR_RESPONSES


@extend_schema_view(
    get=extend_schema(operation_id="application_list", summary="Aanmeldingen, nieuwste eerst")
)
class ApplicationListView(OpenToAnyoneMixin, CooperativeListAPIView[Member]):
    serializer_class = ApplicationSerializer
    permission_actions = {"GET": "application.decide"}
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApplicationFilter

    def get_queryset(self) -> QuerySet[Application]:
        return selectors.application_list().order_by("-created_at", "-id")

    @extend_schema(
        operation_id="application_submit",
        summary="Aanmelden als lid (zonder inloggen)",
        auth=[],
        request=ApplicationSubmitSerializer,
        responses={201: ApplicationReceivedSerializer, 400: ErrorResponseSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = ApplicationSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_submit(**serializer.validated_data)
        return Response(
            ApplicationReceivedSerializer(application).data, status=status.HTTP_201_CREATED
        )


class ApplicationApproveView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "application.decide"}

    @extend_schema(
        operation_id="application_approve",
        summary="Aanmelding goedkeuren: de aanvrager wordt lid",
        request=None,
        responses={200: ApplicationSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = self.found(selectors.application_get(pk=pk))
        services.application_approve(
            actor=self.member,
            application=application,
        )
        application.refresh_from_db()
        return Response(ApplicationSerializer(application).data)


class ApplicationDeclineView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "application.decide"}

    @extend_schema(
        operation_id="application_decline",
        summary="Aanmelding afwijzen, met een reden",
        request=DeclineSerializer,
        responses={200: ApplicationSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = self.found(selectors.application_get(pk=pk))
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_decline(
            actor=self.member,
            application=application,
            reason=serializer.validated_data["reason"],
        )
        return Response(ApplicationSerializer(application).data)


@extend_schema_view(
    get=extend_schema(operation_id="invitation_list", summary="Uitnodigingen, nieuwste eerst")
)
class InvitationListView(CooperativeListAPIView[Member]):
    throttle_classes = MAIL_THROTTLES  # it sends mail
    serializer_class = InvitationSerializer
    permission_actions = {"GET": "invitation.send", "POST": "invitation.send"}

    def get_queryset(self) -> QuerySet[Invitation]:
        return selectors.invitation_list()

    @extend_schema(
        operation_id="invitation_send",
        summary="Iemand uitnodigen per e-mail (de link gaat alleen per e-mail)",
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, _token = services.invitation_send(
            actor=self.member,
            **serializer.validated_data,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationAcceptView(OpenToAnyoneMixin, CooperativeAPIView[Member]):
    @extend_schema(
        operation_id="invitation_accept",
        summary="Een uitnodiging aannemen en lid worden (zonder inloggen)",
        auth=[],
        request=InvitationAcceptSerializer,
        responses={201: NewMemberSerializer, 400: ErrorResponseSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = InvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.invitation_accept(**serializer.validated_data)
        return Response(
            NewMemberSerializer({"member_id": member.pk, "email": member.email}).data,
            status=status.HTTP_201_CREATED,
        )
