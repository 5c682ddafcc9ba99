"""Klussen in euros through the API: the same selectors and services as the pages, so the same
people may do the same things and the Dutch refusals come back as structured errors. Those who
follow up on the money see a klus's double payments; the treasurer marks one refunded."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.connect import services as connect
from billing.klussen import online, selectors, services
from billing.klussen.models import KlusDoublePayment, KlusPayment
from billing.outbox.models import OutboxCall
from billing.outbox.services import STRIPE_AWAY
from cooperatives.settlement import Member
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES
from shared.permissions import HasAction
from shared.validation import field_error


class KlusPagination(PageNumberPagination):
    page_size = 50


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "name"]
        read_only_fields = fields


class DoublePaymentSerializer(serializers.ModelSerializer):
    """An online payment for a klus that was already settled (paid twice)."""

    earlier = serializers.CharField(
        read_only=True, help_text="Hoe de klus er al voor stond: cash, online of cancelled"
    )
    refunded_by = PersonSerializer(read_only=True, allow_null=True)
    refund_note = serializers.CharField(
        read_only=True, help_text="Notitie van wie de terugbetaling vastlegde (of leeg)"
    )

    class Meta:
        model = KlusDoublePayment
        fields = [
            "id",
            "payment",
            "amount",
            "earlier",
            "received_at",
            "refunded_at",
            "refunded_by",
            "refund_note",
        ]
        read_only_fields = fields


class KlusPaymentSerializer(serializers.ModelSerializer):
    cluster = serializers.CharField(source="service.cluster.name", read_only=True)
    requester = PersonSerializer(read_only=True)
    volunteer = PersonSerializer(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="open, pending_online, paid, cancelled"
    )
    method = serializers.CharField(read_only=True, help_text="cash, online, of leeg")
    actions = serializers.SerializerMethodField(
        help_text="Wat u nu kunt doen: cash (contant ontvangen bevestigen), online (betalen), "
        "waive (laten vervallen, coördinator of bestuur)"
    )
    cancel_reason = serializers.CharField(
        read_only=True, help_text="Waarom de klus is vervallen (leeg als hij niet vervallen is)"
    )
    double_payments = serializers.SerializerMethodField(
        help_text="Online betalingen voor deze klus terwijl hij al betaald of vervallen was "
        "(alleen voor wie de klussen volgt; anders leeg)"
    )

    class Meta:
        model = KlusPayment
        fields = [
            "id",
            "service",
            "cluster",
            "performed_on",
            "requester",
            "volunteer",
            "hours",
            "rate_per_hour",
            "amount",
            "cooperative_share",
            "volunteer_amount",
            "platform_fee",
            "method",
            "status",
            "paid_at",
            "cancel_reason",
            "cancelled_at",
            "actions",
            "double_payments",
        ]
        read_only_fields = fields

    @extend_schema_field(DoublePaymentSerializer(many=True))
    def get_double_payments(self, payment: KlusPayment) -> list[dict[str, Any]]:
        # As on the klus's page: the requester and the volunteer hear that it is known, the
        # figures and the treasurer's note are for those who follow up on the money.
        viewer = self.context.get("viewer")
        if not permissions.can(viewer, "klus.overview"):
            return []
        doubles = sorted(payment.double_payments.all(), key=lambda d: (d.received_at, d.pk))
        return DoublePaymentSerializer(doubles, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, payment: KlusPayment) -> list[str]:
        viewer = self.context.get("viewer")
        if viewer is None:
            return []
        return sorted(
            services.klus_actions(
                actor=viewer,
                payment=payment,
                online_possible=self.context.get("online_possible", False),
            )
        )


class WaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000,
        help_text="Waarom de klus vervalt, bijvoorbeeld: de hulpvrager kan niet betalen en de "
        "vrijwilliger vindt het goed",
    )


class RefundedSerializer(serializers.Serializer):
    double_payment = serializers.IntegerField(
        help_text="Het id van de dubbele betaling (uit double_payments van de klus)"
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Notitie, niet verplicht: bijvoorbeeld 'teruggestort via Stripe'",
    )


class RefundedResultSerializer(DoublePaymentSerializer):
    changed = serializers.BooleanField(
        read_only=True, help_text="false als hij al op terugbetaald stond (er is niets veranderd)"
    )
    detail = serializers.CharField(read_only=True)

    class Meta(DoublePaymentSerializer.Meta):
        fields = [*DoublePaymentSerializer.Meta.fields, "changed", "detail"]
        read_only_fields = fields


class CheckoutSerializer(serializers.Serializer):
    url = serializers.URLField(
        allow_null=True,
        help_text="Stripe's betaalpagina; leeg zolang Stripe opnieuw wordt geprobeerd",
    )
    detail = serializers.CharField(required=False)


def _context(request: Request) -> dict[str, Any]:
    return {
        "viewer": permissions.current_member(request),
        "online_possible": connect.connect_can_take_payments(cooperative=request.cooperative),
    }


def _payment(request: Request, pk: int) -> KlusPayment:
    payment = selectors.klus_payment_get(member=permissions.current_member(request), pk=pk)
    if payment is None:
        raise NotFound
    return payment


class KlusListView(ListAPIView):
    serializer_class = KlusPaymentSerializer
    pagination_class = KlusPagination
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "klus.settle"}

    def get_queryset(self) -> QuerySet[KlusPayment]:
        payments = selectors.klus_payments_visible_to(
            member=permissions.current_member(self.request)
        )
        payments = payments.prefetch_related(
            Prefetch(
                "double_payments",
                queryset=KlusDoublePayment.objects.select_related("refunded_by"),
            )
        )
        status = self.request.query_params.get("status")
        return payments.filter(status=status) if status else payments

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_context(self.request)}

    @extend_schema(
        operation_id="klussen_list",
        summary="Mijn klussen (te betalen of te ontvangen); alle klussen voor coördinatoren en "
        "bestuur",
        responses={200: KlusPaymentSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class KlusCashView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"POST": "klus.settle"}

    @extend_schema(
        operation_id="klussen_cash_received",
        summary="Contant geld ontvangen (de vrijwilliger, of een coördinator namens hem of haar)",
        request=None,
        responses={200: KlusPaymentSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        payment = services.klus_cash_confirm(
            actor=permissions.current_member(request), payment=_payment(request, pk)
        )
        return Response(KlusPaymentSerializer(payment, context=_context(request)).data)


class KlusPayOnlineView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"POST": "klus.settle"}

    @extend_schema(
        operation_id="klussen_pay_online",
        summary="Online betalen met iDEAL: de link naar Stripe's betaalpagina (202 zolang Stripe "
        "opnieuw wordt geprobeerd; vraag dan later nog eens, er wordt niets dubbel aangemaakt)",
        request=None,
        responses={200: CheckoutSerializer, 202: CheckoutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        call = online.klus_checkout_start(
            actor=permissions.current_member(request),
            payment=_payment(request, pk),
            cooperative=request.cooperative,
        )
        if call.status == OutboxCall.Status.DONE:
            return Response({"url": call.result["url"]})
        if call.status == OutboxCall.Status.PENDING:
            return Response(
                {
                    "url": None,
                    "detail": str(STRIPE_AWAY),
                },
                status=202,
            )
        raise field_error(
            None, _("Stripe kon de betaling niet starten. Betaal contant."), "stripe_failed"
        )


class KlusWaiveView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    # The view lets in everyone who follows up on klussen; the service refuses the audit
    # committee (it only looks), with a structured error.
    permission_actions = {"POST": "klus.overview"}

    @extend_schema(
        operation_id="klussen_waive",
        summary="Een open klus laten vervallen, met een reden (coördinator of bestuur): er "
        "hoeft niets meer betaald te worden",
        request=WaiveSerializer,
        responses={200: KlusPaymentSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        payment = _payment(request, pk)
        # The service checks the reason (required, a Dutch refusal); it is read as sent here.
        reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
        payment = services.klus_waive(
            actor=permissions.current_member(request), payment=payment, reason=str(reason or "")
        )
        return Response(KlusPaymentSerializer(payment, context=_context(request)).data)


class KlusRefundedView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    # The treasurer, the chair and administrators: they refund, in Stripe or in cash.
    permission_actions = {"POST": "billing.manage"}

    @extend_schema(
        operation_id="klussen_double_payment_refunded",
        summary="Een dubbele betaling van de klus op terugbetaald zetten, nadat u hem in Stripe "
        "(of contant) heeft terugbetaald (penningmeester, voorzitter). Hier wordt zelf niets "
        "terugbetaald; nog eens sturen verandert niets (changed: false)",
        request=RefundedSerializer,
        responses={200: RefundedResultSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        payment = _payment(request, pk)
        data = RefundedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        double = selectors.klus_double_payment_get(
            payment=payment, pk=data.validated_data["double_payment"]
        )
        if double is None:
            raise NotFound(_("Deze klus heeft geen dubbele betaling met dit nummer."))
        double, changed = services.klus_double_payment_mark_refunded(
            actor=permissions.current_member(request),
            double=double,
            note=data.validated_data.get("note", ""),
        )
        detail = (
            _("Vastgelegd: de dubbele betaling is terugbetaald.")
            if changed
            else _("Deze dubbele betaling stond al op terugbetaald. Er is niets veranderd.")
        )
        return Response(
            {**DoublePaymentSerializer(double).data, "changed": changed, "detail": detail}
        )
