"""Joining through the API: applying (anyone), deciding on applications and sending
invitations (coordinators and the board), and accepting an invitation (anyone holding the
token). Serializers only shape data; the services check and do the work."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from cooperatives.joining import services as joining
from cooperatives.joining.models import Application, Invitation
from cooperatives.members.models import Member
from cooperatives.members.selectors import application_list
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.permissions import HasAction, current_member

ERRORS = ERROR_RESPONSES


def _text(**kwargs: object) -> serializers.CharField:
    # Optional and blank allowed: the service answers a missing value with its Dutch message.
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class _ConsentAndAddress(serializers.Serializer):
    password = _text(max_length=500, write_only=True, trim_whitespace=False)
    accept_privacy = serializers.BooleanField(
        required=False, default=False, help_text="Akkoord met de privacyverklaring"
    )
    accept_disclaimer = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Akkoord met de uitsluiting van aansprakelijkheid uit de spelregels",
    )
    phone = _text(max_length=500)
    street = _text(max_length=500)
    house_number = _text(max_length=500)
    postcode = _text(max_length=500)


class ApplicationSubmitSerializer(_ConsentAndAddress):
    kind = serializers.CharField(
        required=False, default=Member.Kind.RESIDENT, help_text="resident of organisation"
    )
    name = _text(max_length=500)
    email = _text(max_length=500)
    message = _text(max_length=5000)


class ApplicationReceivedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = ["id", "status", "created_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    member_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "status",
            "kind",
            "name",
            "email",
            "phone",
            "street",
            "house_number",
            "postcode",
            "message",
            "created_at",
            "privacy_version",
            "disclaimer_version",
            "consent_at",
            "decided_by_id",
            "decided_at",
            "decision_reason",
            "member_id",
        ]


class DeclineSerializer(serializers.Serializer):
    reason = _text(max_length=5000, help_text="Verplicht; de aanvrager krijgt deze reden te lezen")


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as the board sees it: never the token or its hash."""

    state = serializers.SerializerMethodField()
    invited_by_id = serializers.IntegerField(read_only=True, allow_null=True)
    invited_by_name = serializers.CharField(
        source="invited_by.name", read_only=True, allow_null=True
    )
    member_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "name",
            "state",
            "created_at",
            "expires_at",
            "used_at",
            "invited_by_id",
            "invited_by_name",
            "member_id",
        ]

    @extend_schema_field(serializers.ChoiceField(["open", "used", "expired"]))
    def get_state(self, invitation: Invitation) -> str:
        return joining.invitation_state(invitation)


class InvitationCreateSerializer(serializers.Serializer):
    email = _text(max_length=500)
    name = _text(max_length=500)


class InvitationAcceptSerializer(_ConsentAndAddress):
    token = _text(max_length=200, help_text="Het token uit de link in de uitnodiging")
    name = _text(max_length=500)


class NewMemberSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    email = serializers.EmailField()


class _OpenToAnyone:
    """POST needs no login: no session is read (so no CSRF token and no logged-in identity
    is involved) and it is throttled like the cooperative sign-up. Other methods keep the
    usual session login and permission check."""

    throttle_scope = "signup"
    open_methods = ("POST",)

    def _anonymous(self) -> bool:
        # The schema generator asks before it has set a request.
        return getattr(self.request, "method", None) in self.open_methods

    def get_authenticators(self) -> list:
        return [] if self._anonymous() else super().get_authenticators()

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self._anonymous() else super().get_permissions()

    def get_throttles(self) -> list[BaseThrottle]:
        return [ScopedRateThrottle()] if self._anonymous() else super().get_throttles()


class ApplicationListView(_OpenToAnyone, ListAPIView):
    serializer_class = ApplicationSerializer
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "application.decide"}

    def get_queryset(self):
        status_filter = self.request.query_params.get("status", "").strip()
        return application_list(status=status_filter).order_by("-created_at", "-id")

    @extend_schema(
        operation_id="application_list",
        summary="Aanmeldingen, nieuwste eerst",
        parameters=[
            OpenApiParameter("status", str, enum=Application.Status.values, description="filter")
        ],
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

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
        application = joining.application_submit(**serializer.validated_data)
        return Response(
            ApplicationReceivedSerializer(application).data, status=status.HTTP_201_CREATED
        )


class _Decision(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"POST": "application.decide"}

    def _application(self, pk: int) -> Application:
        return get_object_or_404(application_list(), pk=pk)


class ApplicationApproveView(_Decision):
    @extend_schema(
        operation_id="application_approve",
        summary="Aanmelding goedkeuren: de aanvrager wordt lid",
        request=None,
        responses={200: ApplicationSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = self._application(pk)
        joining.application_approve(
            actor=current_member(request),
            application=application,
            login_url=request.build_absolute_uri(reverse("login")),
        )
        application.refresh_from_db()
        return Response(ApplicationSerializer(application).data)


class ApplicationDeclineView(_Decision):
    @extend_schema(
        operation_id="application_decline",
        summary="Aanmelding afwijzen, met een reden",
        request=DeclineSerializer,
        responses={200: ApplicationSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = self._application(pk)
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = joining.application_decline(
            actor=current_member(request),
            application=application,
            reason=serializer.validated_data["reason"],
        )
        return Response(ApplicationSerializer(application).data)


class InvitationListView(ListAPIView):
    serializer_class = InvitationSerializer
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "invitation.send", "POST": "invitation.send"}

    def get_queryset(self):
        return joining.invitation_list()

    @extend_schema(operation_id="invitation_list", summary="Uitnodigingen, nieuwste eerst")
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="invitation_send",
        summary="Iemand uitnodigen per e-mail (de link gaat alleen per e-mail)",
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = joining.invitation_send(
            actor=current_member(request),
            accept_url=lambda token: request.build_absolute_uri(
                reverse("invitation-accept", args=[token])
            ),
            **serializer.validated_data,
        )[0]
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationAcceptView(_OpenToAnyone, APIView):
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
        member = joining.invitation_accept(**serializer.validated_data)
        return Response(
            NewMemberSerializer({"member_id": member.pk, "email": member.email}).data,
            status=status.HTTP_201_CREATED,
        )
