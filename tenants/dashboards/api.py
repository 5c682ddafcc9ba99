"""The network API on the apex: the cooperatives a network sees and the figure cells they share
with it. The same rules as the network pages (``tenants.networks.views.network_gate``): a
session with a verified second factor, and 404 for a network the user is not bound to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.api.exceptions import ERROR_RESPONSES
from tenants.dashboards import selectors
from tenants.dashboards.metrics import metric_for
from tenants.dashboards.serializers import (
    FigureCellSerializer,
    FigureQuerySerializer,
    NetworkCooperativeSerializer,
)
from tenants.models import Network
from tenants.networks import selectors as networks
from tenants.networks.selectors import Visible
from tenants.networks.views import two_factor_verified


class IsNetworkUser(BasePermission):
    """``network_gate`` for the API: logged in (else 403 not_authenticated), past the second
    factor (else 403), and bound to the network in the URL (else 404, so another network's
    existence is not confirmed). Sets ``view.network`` and ``view.role``."""

    message = _("Bevestig eerst uw tweede factor (de code uit uw app).")
    code = "two_factor_required"

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if not two_factor_verified(request._request):
            return False
        found = networks.network_get(user=request.user, slug=view.kwargs.get("network", ""))
        if found is None:
            raise NotFound
        view.network, view.role = found  # type: ignore[attr-defined]
        return True


class NetworkAPIView(ListAPIView):
    permission_classes: Sequence[type[BasePermission]] = [IsNetworkUser]
    network: Network
    role: str

    def visible(self) -> list[Visible]:
        return networks.cooperatives_visible_to_network(network=self.network)


NETWORK = OpenApiParameter(
    "network", str, OpenApiParameter.PATH, description="De code van het netwerk."
)


class NetworkCooperativeListView(NetworkAPIView):
    serializer_class = NetworkCooperativeSerializer

    def get_queryset(self) -> Any:
        return [
            {
                "slug": v.cooperative.slug,
                "name": v.cooperative.name,
                "groups": sorted(v.groups),
                "on_map": v.on_map,
            }
            for v in self.visible()
        ]

    @extend_schema(
        operation_id="network_cooperatives",
        summary="De coöperaties die dit netwerk ziet, met wat elk deelt",
        parameters=[NETWORK],
        responses={200: NetworkCooperativeSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NetworkFigureListView(NetworkAPIView):
    serializer_class = FigureCellSerializer

    def get_queryset(self) -> Any:
        query = FigureQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        visible = self.visible()
        if "cooperative" in wanted:
            visible = [v for v in visible if v.cooperative.slug == wanted["cooperative"]]
            if not visible:
                raise NotFound
        self.slugs = {v.cooperative.pk: v.cooperative.slug for v in visible}
        queryset = selectors.shared_cells(visible=visible)
        if "month" in wanted:
            year, month = wanted["month"].split("-")
            queryset = queryset.filter(month=dt.date(int(year), int(month), 1))
        if "group" in wanted:
            queryset = queryset.filter(group=wanted["group"])
        return queryset.order_by(
            "cooperative__name", "month", "group", "metric", "dimension"
        ).values_list(*selectors.FIELDS)

    def _cell(self, row: tuple[Any, ...]) -> dict[str, Any]:
        cooperative_id, month, group, key, dimension, value, suppressed = row
        metric = metric_for(group, key)
        assert metric is not None  # shared_cells keeps known metrics only
        return {
            "cooperative": self.slugs[cooperative_id],
            "month": month.strftime("%Y-%m"),
            "group": group,
            "metric": metric.key,
            "label": str(metric.label),
            "unit": str(metric.unit),
            "dimension": dimension,
            "value": None if suppressed else value,
            "suppressed": suppressed,
        }

    @extend_schema(
        operation_id="network_figures",
        summary="De gedeelde cijfers van de coöperaties van dit netwerk",
        parameters=[NETWORK, FigureQuerySerializer],
        responses={200: FigureCellSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # the API always pages (settings.REST_FRAMEWORK)
        data = FigureCellSerializer([self._cell(row) for row in page], many=True).data
        return self.get_paginated_response(data)
