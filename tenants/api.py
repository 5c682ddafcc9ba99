"""The public API on the apex domain: signing up a cooperative."""

from __future__ import annotations

from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from shared.api.exceptions import ErrorResponseSerializer
from tenants import rules_templates, services


class SignUpSerializer(serializers.Serializer):
    name = serializers.CharField(
        allow_blank=True, max_length=500, help_text="Naam van de coöperatie"
    )
    slug = serializers.CharField(
        allow_blank=True, max_length=200, help_text="Subdomein: 3-40 tekens a-z, 0-9 en '-'"
    )
    board_member_name = serializers.CharField(allow_blank=True, max_length=500)
    email = serializers.CharField(allow_blank=True, max_length=500)
    password = serializers.CharField(allow_blank=True, max_length=500, write_only=True)
    # A plain string: the service checks it and answers with its own Dutch message.
    template = serializers.CharField(
        help_text="Sjabloon voor de spelregels: " + ", ".join(rules_templates.TEMPLATES)
    )


class CooperativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    status = serializers.CharField()
    url = serializers.URLField()
    login_url = serializers.URLField()


class CooperativeSignUpView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
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
        result = services.cooperative_sign_up(**serializer.validated_data)
        connection.set_schema_to_public()
        cooperative = result.cooperative
        data = {
            "id": cooperative.pk,
            "name": cooperative.name,
            "slug": cooperative.slug,
            "status": cooperative.status,
            "url": services.cooperative_url(slug=cooperative.slug),
            "login_url": result.login_url,
        }
        return Response(CooperativeSerializer(data).data, status=status.HTTP_201_CREATED)
