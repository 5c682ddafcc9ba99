"""Klussen in euros through the API: the same selectors and services as the pages, so the same
people may do the same things and the Dutch refusals come back as structured errors. Those who
follow up on the money see a klus's double payments; the treasurer marks one refunded."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from billing.connect.selectors import connect_can_take_payments
from billing.klussen import selectors, services
from billing.klussen.models import KlusDoublePayment, KlusPayment
from billing.klussen.serializers import (
    CheckoutSerializer,
    DoublePaymentSerializer,
    KlusPaymentSerializer,
    RefundedResultSerializer,
    RefundedSerializer,
    WaiveSerializer,
)
from billing.outbox.models import OutboxCall
from billing.outbox.services import STRIPE_AWAY
from cooperatives.settlement import Member
from shared.api.exceptions import ERROR_RESPONSES
from shared.api.views import CooperativeAPIView, CooperativeListAPIView
from shared.tenancy.current import current_cooperative
from shared.validation import field_error


class KlusPagination(PageNumberPagination):
    page_size = 50


def _context(member: Member) -> dict[str, Any]:
    """What KlusPaymentSerializer needs: the viewer, and whether online payment is possible."""
    return {
        "viewer": member,
        "online_possible": connect_can_take_payments(cooperative=current_cooperative()),
    }


@extend_schema_view(
    get=extend_schema(
        operation_id="klussen_list",
        summary="Mijn klussen (te betalen of te ontvangen); alle klussen voor coördinatoren en "
        "bestuur",
        responses={200: KlusPaymentSerializer(many=True), **ERROR_RESPONSES},
    )
)
class KlusListView(CooperativeListAPIView[Member]):
    serializer_class = KlusPaymentSerializer
    pagination_class = KlusPagination
    permission_actions = {"GET": "klus.settle"}

    def get_queryset(self) -> QuerySet[KlusPayment]:
        payments = selectors.klus_payments_visible_to(member=self.member).prefetch_related(
            Prefetch(
                "double_payments",
                queryset=KlusDoublePayment.objects.select_related("refunded_by"),
            )
        )
        status = self.request.query_params.get("status")
        return payments.filter(status=status) if status else payments

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_context(self.member)}


@extend_schema_view(
    post=extend_schema(
        operation_id="klussen_cash_received",
        summary="Contant geld ontvangen (de vrijwilliger, of een coördinator namens hem of haar)",
        request=None,
        responses={200: KlusPaymentSerializer, **ERROR_RESPONSES},
    )
)
class KlusCashView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "klus.settle"}

    def post(self, request: Request, pk: int) -> Response:
        payment = self.found(selectors.klus_payment_get(member=self.member, pk=pk))
        payment = services.klus_cash_confirm(actor=self.member, payment=payment)
        return Response(KlusPaymentSerializer(payment, context=_context(self.member)).data)


@extend_schema_view(
    post=extend_schema(
        operation_id="klussen_pay_online",
        summary="Online betalen met iDEAL: de link naar Stripe's betaalpagina (202 zolang Stripe "
        "opnieuw wordt geprobeerd; vraag dan later nog eens, er wordt niets dubbel aangemaakt)",
        request=None,
        responses={200: CheckoutSerializer, 202: CheckoutSerializer, **ERROR_RESPONSES},
    )
)
class KlusPayOnlineView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "klus.settle"}

    def post(self, request: Request, pk: int) -> Response:
        call = services.klus_checkout_start(
            actor=self.member,
            payment=self.found(selectors.klus_payment_get(member=self.member, pk=pk)),
            cooperative=current_cooperative(),
        )
        if call.status == OutboxCall.Status.DONE:
            return Response({"url": (call.result or {})["url"]})
        if call.status == OutboxCall.Status.PENDING:
            return Response({"url": None, "detail": str(STRIPE_AWAY)}, status=202)
        raise field_error(
            None, _("Stripe kon de betaling niet starten. Betaal contant."), "stripe_failed"
        )


@extend_schema_view(
    post=extend_schema(
        operation_id="klussen_waive",
        summary="Een open klus laten vervallen, met een reden (coördinator of bestuur): er "
        "hoeft niets meer betaald te worden",
        request=WaiveSerializer,
        responses={200: KlusPaymentSerializer, **ERROR_RESPONSES},
    )
)
class KlusWaiveView(CooperativeAPIView[Member]):
    # The view lets in everyone who follows up on klussen; the service refuses the audit
    # committee (it only looks), with a structured error.
    permission_actions = {"POST": "klus.overview"}

    def post(self, request: Request, pk: int) -> Response:
        payment = self.found(selectors.klus_payment_get(member=self.member, pk=pk))
        # The service checks the reason (required, a Dutch refusal); it is read as sent here.
        reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
        payment = services.klus_waive(actor=self.member, payment=payment, reason=str(reason or ""))
        return Response(KlusPaymentSerializer(payment, context=_context(self.member)).data)


@extend_schema_view(
    post=extend_schema(
        operation_id="klussen_double_payment_refunded",
        summary="Een dubbele betaling van de klus op terugbetaald zetten, nadat u hem in Stripe "
        "(of contant) heeft terugbetaald (penningmeester, voorzitter). Hier wordt zelf niets "
        "terugbetaald; nog eens sturen verandert niets (changed: false)",
        request=RefundedSerializer,
        responses={200: RefundedResultSerializer, **ERROR_RESPONSES},
    )
)
class KlusRefundedView(CooperativeAPIView[Member]):
    # The treasurer, the chair and administrators: they refund, in Stripe or in cash.
    permission_actions = {"POST": "billing.manage"}

    def post(self, request: Request, pk: int) -> Response:
        payment = self.found(selectors.klus_payment_get(member=self.member, pk=pk))
        data = RefundedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        double = selectors.klus_double_payment_get(
            payment=payment, pk=data.validated_data["double_payment"]
        )
        if double is None:
            raise NotFound(_("Deze klus heeft geen dubbele betaling met dit nummer."))
        double, changed = services.klus_double_payment_mark_refunded(
            actor=self.member, double=double, note=data.validated_data.get("note", "")
        )
        detail = (
            _("Vastgelegd: de dubbele betaling is terugbetaald.")
            if changed
            else _("Deze dubbele betaling stond al op terugbetaald. Er is niets veranderd.")
        )
        return Response(
            {**DoublePaymentSerializer(double).data, "changed": changed, "detail": detail}
        )
