"""The cooperative's subscription through the API: the same services as /abonnement/, so the
same people may do the same things and refusals come back in the structured error shape."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from billing.outbox.services import STRIPE_AWAY
from billing.subscriptions.selectors import subscription_overview
from billing.subscriptions.serializers import (
    CheckoutInSerializer,
    CheckoutOutSerializer,
    PortalOutSerializer,
    SubscriptionSerializer,
)
from billing.subscriptions.services import portal_start, subscription_choose
from cooperatives.settlement import Member
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.views import CooperativeAPIView
from shared.tenancy.current import current_cooperative


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


@extend_schema_view(
    get=extend_schema(
        operation_id="billing_subscription",
        summary="Het abonnement van de coöperatie",
        responses={200: SubscriptionSerializer, **ERROR_RESPONSES},
    )
)
class SubscriptionView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "billing.view"}

    def get(self, request: Request) -> Response:
        overview = subscription_overview(cooperative=current_cooperative())
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


@extend_schema_view(
    post=extend_schema(
        operation_id="billing_checkout",
        summary="Een abonnementsvorm kiezen: een Stripe-betaalpagina, of meteen wijzigen",
        request=CheckoutInSerializer,
        responses={200: CheckoutOutSerializer, 202: ErrorResponseSerializer, **ERROR_RESPONSES},
    )
)
class CheckoutView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "billing.manage"}

    def post(self, request: Request) -> Response:
        serializer = CheckoutInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = subscription_choose(
            cooperative=current_cooperative(),
            plan=serializer.validated_data["plan"],
            actor_id=self.member.pk,
            return_url=_return_url(request),
        )
        if outcome.pending:
            return _pending()
        return Response(
            CheckoutOutSerializer({"url": outcome.url, "changed": outcome.changed}).data
        )


@extend_schema_view(
    post=extend_schema(
        operation_id="billing_portal",
        summary="Een link naar Stripe's overzicht van betaalgegevens en facturen",
        request=None,
        responses={200: PortalOutSerializer, 202: ErrorResponseSerializer, **ERROR_RESPONSES},
    )
)
class PortalView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "billing.manage"}
    # Stripe's page of the cooperative's bank and card details: the password again if the
    # login is old (shared.accounts.reauth).
    reauth_methods = ("POST",)

    def post(self, request: Request) -> Response:
        url = portal_start(cooperative=current_cooperative(), return_url=_return_url(request))
        if not url:
            return _pending()
        return Response(PortalOutSerializer({"url": url}).data)
