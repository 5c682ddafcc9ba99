"""The public map as GeoJSON on the apex, for anyone (as Vilans' map of care cooperatives):
the same cooperatives as the /kaart/ page, nothing else."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.maps import selectors
from tenants.maps.drawing import Place
from tenants.maps.serializers import FeatureCollectionSerializer


def feature(place: Place) -> dict[str, object]:
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [float(place.longitude), float(place.latitude)],
        },
        "properties": {
            "name": place.name,
            "place": place.place,
            "status": place.status,
            "url": place.href,
        },
    }


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"


class PublicMapView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []
    # GeoJSON, also when a browser asks; plain JSON to a client that asks for only that. Both
    # content types are in the OpenAPI schema (drf-spectacular reads the renderers).
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        operation_id="public_map",
        summary="De openbare kaart van wijkcoöperaties als GeoJSON",
        responses={200: FeatureCollectionSerializer},
    )
    def get(self, request: Request) -> Response:
        features = [feature(place) for place in selectors.public_map()]
        return Response({"type": "FeatureCollection", "features": features})
