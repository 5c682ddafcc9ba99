"""The savings API on the apex, for network users: the estimate (GET), the parameter versions
(GET) and a new version (POST, manager only). The same door as the pages: signed in, the
second factor passed, and a 404 for a network the user is not bound to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.api.exceptions import ERROR_RESPONSES
from tenants.models import Network
from tenants.networks import selectors as network_selectors
from tenants.networks.views import two_factor_verified
from tenants.savings import selectors, services
from tenants.savings.serializers import EstimateSerializer, ParametersSerializer


class NetworkAPIView(APIView):
    """``self.network`` and ``self.role`` from the URL, or a structured refusal."""

    network: Network
    role: str

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not two_factor_verified(request._request):
            raise exceptions.PermissionDenied("Bevestig eerst uw tweede stap (2FA).")
        found = network_selectors.network_get(user=request.user, slug=kwargs["network"])
        if found is None:
            raise exceptions.NotFound()
        self.network, self.role = found


def _month(value: str | None, default: dt.date) -> dt.date:
    try:
        return selectors.month_start(dt.date.fromisoformat(f"{value}-01")) if value else default
    except ValueError:
        raise exceptions.ValidationError({"month": ["Geef een maand als JJJJ-MM."]}) from None


class SavingsEstimateView(NetworkAPIView):
    @extend_schema(
        operation_id="network_savings_estimate",
        summary="De geschatte gedeelde besparing (een schatting, geen feit)",
        parameters=[
            OpenApiParameter("first", str, description="Eerste maand, JJJJ-MM"),
            OpenApiParameter("last", str, description="Laatste maand, JJJJ-MM"),
            OpenApiParameter("version", int, description="Versie van de parameters"),
        ],
        responses={200: EstimateSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, network: str) -> Response:
        this_month = selectors.month_start(timezone.localdate())
        last = _month(request.query_params.get("last"), this_month)
        first = _month(request.query_params.get("first"), selectors.month_add(last, -11))
        first, last = min(first, last), max(first, last)
        asked = request.query_params.get("version", "")
        if asked.isdigit():
            parameters = selectors.parameters_get(network=self.network, version=int(asked))
            if parameters is None:
                raise exceptions.NotFound()
        else:
            end = selectors.month_add(last, 1) - dt.timedelta(days=1)
            parameters = selectors.parameters_in_force(network=self.network, on=end)
        estimate = selectors.savings_estimate(
            network=self.network, first=first, last=last, parameters=parameters
        )
        return Response(EstimateSerializer(estimate).data)


class SavingsParametersView(NetworkAPIView):
    @extend_schema(
        operation_id="network_savings_parameters_list",
        summary="Alle versies van de parameters, nieuwste eerst",
        responses={200: ParametersSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, network: str) -> Response:
        versions = selectors.parameter_versions(network=self.network)
        return Response(ParametersSerializer(versions, many=True).data)

    @extend_schema(
        operation_id="network_savings_parameters_create",
        summary="Een nieuwe versie van de parameters (beheerder)",
        request=ParametersSerializer,
        responses={201: ParametersSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, network: str) -> Response:
        serializer = ParametersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            saved = services.savings_parameters_set(
                actor=request.user,
                network=self.network,
                valid_from=data["valid_from"],
                share=data["share"],
                hourly_cost=data["hourly_cost"],
                clusters=data["clusters"],
                source=data["source"],
            )
        except DjangoPermissionDenied as refused:
            raise exceptions.PermissionDenied(str(refused)) from None
        return Response(ParametersSerializer(saved).data, status=status.HTTP_201_CREATED)
