"""The service lifecycle through the API: the same selector and services as the pages, so the
same people see a service (others get 404) and the same Dutch refusals come back."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.marketplace import selectors, services
from cooperatives.marketplace.models import CompensationDue, Service
from cooperatives.marketplace.settlement import compensation_amounts
from cooperatives.marketplace.views_services import address_visible, service_or_404
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES
from shared.permissions import HasAction

ACTIONS = ["move", "cancel", "register", "confirm", "feedback"]
NOT_ALLOWED = _("U mag dit bij deze dienst niet doen.")


class ServicePagination(PageNumberPagination):
    page_size = 50


# --- what goes out -----------------------------------------------------------------------------


class ServiceSerializer(serializers.ModelSerializer):
    """A service as its members and coordinators see it. The exact address is empty for the
    volunteer of a cancelled service (they see the buurt)."""

    title = serializers.CharField(source="request.title", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    requester_name = serializers.CharField(source="requester.name", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    street = serializers.CharField(source="request.street", read_only=True)
    house_number = serializers.CharField(source="request.house_number", read_only=True)
    postcode = serializers.CharField(source="request.postcode", read_only=True)
    neighbourhood_name = serializers.CharField(
        source="request.neighbourhood.name", allow_null=True, read_only=True, default=None
    )
    status = serializers.CharField(
        read_only=True, help_text="planned, registered, confirmed of cancelled"
    )
    compensation = serializers.CharField(
        read_only=True, help_text="free, euros, points of both (uit de eigen spelregels)"
    )
    rulebook_version = serializers.IntegerField(
        source="rulebook.version", allow_null=True, read_only=True, default=None
    )
    rates = serializers.SerializerMethodField(
        help_text="Per soort (euros, points) wat één uur oplevert, volgens de eigen spelregels"
    )
    actions = serializers.SerializerMethodField(help_text="Wat u nu met deze dienst kunt doen")

    ADDRESS = ("street", "house_number", "postcode")

    class Meta:
        model = Service
        fields = [
            "id",
            "request",
            "title",
            "cluster",
            "cluster_name",
            "requester",
            "requester_name",
            "volunteer",
            "volunteer_name",
            "date",
            "start_time",
            "planned_hours",
            "street",
            "house_number",
            "postcode",
            "neighbourhood_name",
            "status",
            "compensation",
            "rulebook_version",
            "rates",
            "cancel_reason",
            "registered_hours",
            "registered_at",
            "confirmed_at",
            "rating",
            "feedback",
            "feedback_at",
            "feedback_due",
            "actions",
        ]
        read_only_fields = fields

    def to_representation(self, service: Service) -> dict[str, Any]:
        data = super().to_representation(service)
        if not address_visible(self.context["viewer"], service):
            data.update(dict.fromkeys(self.ADDRESS, ""))
        return data

    @extend_schema_field(
        serializers.DictField(child=serializers.DecimalField(max_digits=9, decimal_places=2))
    )
    def get_rates(self, service: Service) -> dict[str, str]:
        rates = compensation_amounts(service=service, hours=Decimal("1"))
        return {kind: str(rate) for kind, (rate, _share) in rates.items()}

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ACTIONS)))
    def get_actions(self, service: Service) -> list[str]:
        actor = self.context["viewer"]
        return sorted(services.service_actions(actor=actor, service=service))


class DueSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="points of euros")
    status = serializers.CharField(read_only=True, help_text="owed of settled")
    payer_name = serializers.CharField(source="payer.name", read_only=True)
    payee_name = serializers.CharField(source="payee.name", read_only=True)
    rulebook_version = serializers.IntegerField(
        source="rulebook.version", allow_null=True, read_only=True, default=None
    )

    class Meta:
        model = CompensationDue
        fields = [
            "id",
            "service",
            "kind",
            "amount",
            "cooperative_share",
            "payer",
            "payer_name",
            "payee",
            "payee_name",
            "rulebook_version",
            "status",
            "created_at",
            "settled_at",
        ]
        read_only_fields = fields


# --- what comes in (shapes only: the services check the values) --------------------------------


class MoveSerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    reason = serializers.CharField(allow_blank=True, max_length=300)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=300)


class RegisterSerializer(serializers.Serializer):
    hours = serializers.CharField(help_text='Gewerkte uren, bijvoorbeeld 1.5 of "1,5"')


class FeedbackSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="1 tot en met 5")
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)


# --- views -------------------------------------------------------------------------------------


def _service(request: Request, pk: int) -> Service:
    """Visible to the viewer, or not found (also another cooperative's id)."""
    try:
        return service_or_404(permissions.current_member(request), pk)
    except Http404:
        raise NotFound from None


def _out(request: Request, service: Service) -> Response:
    viewer = permissions.current_member(request)
    fresh = service_or_404(viewer, service.pk)
    return Response(ServiceSerializer(fresh, context={"viewer": viewer}).data)


class ServiceListView(ListAPIView):
    serializer_class = ServiceSerializer
    pagination_class = ServicePagination
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "marketplace.view"}

    def get_queryset(self) -> QuerySet[Service]:
        viewer = permissions.current_member(self.request)
        in_scope = self.request.query_params.get("all") == "1"
        if in_scope and not permissions.can(viewer, "service.coordinate"):
            raise PermissionDenied(
                _("Alleen coördinatoren en buurtassistenten zien alle diensten.")
            )
        return selectors.services_for(member=viewer, in_scope=in_scope).order_by("-date", "-id")

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "viewer": permissions.current_member(self.request),
        }

    @extend_schema(
        operation_id="services_list",
        summary="Uw diensten (als vrijwilliger en als hulpvrager), nieuwste datum eerst",
        parameters=[
            OpenApiParameter(
                "all",
                int,
                enum=[1],
                description="1: alle diensten die u als coördinator of buurtassistent begeleidt",
            )
        ],
        responses={200: ServiceSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ServiceDetailView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "marketplace.view"}

    @extend_schema(
        operation_id="services_retrieve",
        summary="Eén dienst (voor de hulpvrager, de vrijwilliger en wie hen begeleidt)",
        responses={200: ServiceSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _out(request, _service(request, pk))


class _ServiceActionView(APIView):
    """POST one step of the lifecycle: who may is checked first (403), then the service
    decides whether it can be done now (400 with its Dutch message)."""

    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"POST": "marketplace.view"}
    action: str
    input_serializer: type[serializers.Serializer] | None = None
    run: staticmethod

    def post(self, request: Request, pk: int) -> Response:
        viewer = permissions.current_member(request)
        service = _service(request, pk)
        if not services.service_may(actor=viewer, service=service, action=self.action):
            raise PermissionDenied(NOT_ALLOWED)
        values: dict[str, Any] = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            values = serializer.validated_data
        self.run(actor=viewer, service=service, **values)
        return _out(request, service)


def _documented(operation_id: str, summary: str, body: type | None) -> Callable:
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=body,
        responses={200: ServiceSerializer, **ERROR_RESPONSES},
    )


class ServiceMoveView(_ServiceActionView):
    action, input_serializer, run = "move", MoveSerializer, staticmethod(services.service_move)

    @_documented(
        "services_move",
        "Een geplande dienst verzetten (beide kanten krijgen bericht)",
        MoveSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceCancelView(_ServiceActionView):
    action, input_serializer, run = (
        "cancel",
        CancelSerializer,
        staticmethod(services.service_cancel),
    )

    @_documented(
        "services_cancel", "Een geplande dienst annuleren, met een reden", CancelSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceRegisterView(_ServiceActionView):
    action, input_serializer, run = (
        "register",
        RegisterSerializer,
        staticmethod(services.service_register_hours),
    )

    @_documented(
        "services_register",
        "De gewerkte uren registreren (de vrijwilliger, na de afspraak; de spelregels begrenzen)",
        RegisterSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceConfirmView(_ServiceActionView):
    action, run = "confirm", staticmethod(services.service_confirm)

    @_documented(
        "services_confirm",
        "De uren bevestigen (de hulpvrager of een coördinator namens hem of haar); "
        "legt vast wat de dienst oplevert",
        None,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceFeedbackView(_ServiceActionView):
    action, input_serializer, run = (
        "feedback",
        FeedbackSerializer,
        staticmethod(services.service_feedback),
    )

    @_documented(
        "services_feedback",
        "Terugkoppeling geven: waardering 1-5 en toelichting",
        FeedbackSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceDuesView(ListAPIView):
    serializer_class = DueSerializer
    pagination_class = ServicePagination
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "marketplace.view"}

    def get_queryset(self) -> QuerySet[CompensationDue]:
        service = _service(self.request, self.kwargs["pk"])
        return service.dues.select_related("payer", "payee", "rulebook").order_by("kind")

    @extend_schema(
        operation_id="services_dues",
        summary="Wat een bevestigde dienst oplevert (tijdpunten, euro's), per soort één regel",
        responses={200: DueSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
