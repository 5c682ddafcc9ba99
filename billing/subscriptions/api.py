"""The cooperative's subscription through the API: the same services as /abonnement/, so the
same people may do the same things and refusals come back in the structured error shape."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.outbox.services import STRIPE_AWAY
from billing.subscriptions.models import Plan
from billing.subscriptions.services import portal_start, subscription_choose, subscription_overview
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.permissions import HasAction


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["code", "name", "max_members", "monthly_price_cents", "currency", "trial_days"]
        read_only_fields = fields


class SubscriptionSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="Stripe's status (trialing, active, past_due, unpaid, canceled, ...); "
        "leeg zonder abonnement (de gratis pilot)"
    )
    status_label = serializers.CharField(help_text="De status in het Nederlands")
    access = serializers.ChoiceField(["full", "grace", "read_only"])
    plan = PlanSerializer(allow_null=True)
    current_period_end = serializers.DateTimeField(allow_null=True)
    grace_until = serializers.DateTimeField(allow_null=True)
    sponsored_by = serializers.CharField(
        help_text="Naam van het netwerk dat het abonnement betaalt; leeg als de coöperatie zelf "
        "betaalt"
    )
    members = serializers.IntegerField()
    too_big = serializers.BooleanField(help_text="Meer leden dan de abonnementsvorm toestaat")


class CheckoutInSerializer(serializers.Serializer):
    plan = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Plan.objects.filter(active=True),
        help_text="Code van de abonnementsvorm, bijvoorbeeld tot150",
    )


class CheckoutOutSerializer(serializers.Serializer):
    url = serializers.CharField(
        allow_blank=True,
        help_text="Stripe's betaalpagina; leeg als de abonnementsvorm meteen is gewijzigd",
    )
    changed = serializers.BooleanField(help_text="De abonnementsvorm is meteen gewijzigd")


class PortalOutSerializer(serializers.Serializer):
    url = serializers.CharField()


def _pending() -> Response:
    """Stripe did not answer; the outbox retries with the same key, so asking again is safe."""
    return Response(
        {
            "type": "client_error",
            "errors": [{"attr": None, "code": "stripe_pending", "detail": str(STRIPE_AWAY)}],
        },
        status=status.HTTP_202_ACCEPTED,
    )


def _return_url(request: Request) -> str:
    return request.build_absolute_uri(reverse("billing:subscription"))


class _BillingView(APIView):
    permission_classes = [IsAuthenticated, HasAction]


class SubscriptionView(_BillingView):
    permission_actions = {"GET": "billing.view"}

    @extend_schema(
        operation_id="billing_subscription",
        summary="Het abonnement van de coöperatie",
        responses={200: SubscriptionSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        overview = subscription_overview(cooperative=request.cooperative)
        data: dict[str, Any] = {
            "status": overview.status,
            "status_label": overview.status_label,
            "access": overview.access,
            "plan": overview.plan,
            "current_period_end": overview.current_period_end,
            "grace_until": overview.grace_until,
            "sponsored_by": overview.sponsored_by,
            "members": overview.members,
            "too_big": overview.too_big,
        }
        return Response(SubscriptionSerializer(data).data)


class CheckoutView(_BillingView):
    permission_actions = {"POST": "billing.manage"}

    @extend_schema(
        operation_id="billing_checkout",
        summary="Een abonnementsvorm kiezen: een Stripe-betaalpagina, of meteen wijzigen",
        request=CheckoutInSerializer,
        responses={200: CheckoutOutSerializer, 202: ErrorResponseSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        serializer = CheckoutInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = subscription_choose(
            cooperative=request.cooperative,
            plan=serializer.validated_data["plan"],
            actor_id=permissions.current_member(request).pk,
            return_url=_return_url(request),
        )
        if outcome.pending:
            return _pending()
        return Response(
            CheckoutOutSerializer({"url": outcome.url, "changed": outcome.changed}).data
        )


class PortalView(_BillingView):
    permission_actions = {"POST": "billing.manage"}

    @extend_schema(
        operation_id="billing_portal",
        summary="Een link naar Stripe's overzicht van betaalgegevens en facturen",
        request=None,
        responses={200: PortalOutSerializer, 202: ErrorResponseSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        url = portal_start(cooperative=request.cooperative, return_url=_return_url(request))
        if not url:
            return _pending()
        return Response(PortalOutSerializer({"url": url}).data)
