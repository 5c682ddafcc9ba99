"""The public API on the apex domain: signing up a cooperative."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from shared.api.exceptions import ErrorResponseSerializer
from shared.tenancy.current import connection
from shared.tenancy.urls import cooperative_url
from tenants import services
from tenants.serializers import CooperativeSerializer, SignUpSerializer


class CooperativeSignUpView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "signup"

    @extend_schema(
        operation_id="cooperative_sign_up",
        summary="Een nieuwe wijkcoöperatie aanmelden",
        request=SignUpSerializer,
        responses={201: CooperativeSerializer, 400: ErrorResponseSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = SignUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.sign_up_admit(client=None)  # DRF's throttle counts per client address
        result = services.cooperative_sign_up(**serializer.validated_data)
        connection.set_schema_to_public()
        cooperative = result.cooperative
        data = {
            "id": cooperative.pk,
            "name": cooperative.name,
            "slug": cooperative.slug,
            "status": cooperative.status,
            "url": cooperative_url(slug=cooperative.slug),
            "login_url": result.login_url,
        }
        return Response(CooperativeSerializer(data).data, status=status.HTTP_201_CREATED)
