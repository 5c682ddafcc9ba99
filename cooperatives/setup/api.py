"""The cooperative's set-up through the API: buurten, clusters and partners. The same
selectors and services as the pages, so the same rules and the same Dutch messages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.members.models import Member
from cooperatives.rules.selectors import rulebook_current, rulebook_latest
from cooperatives.setup import selectors, services
from cooperatives.setup.models import Cluster, Neighbourhood, Partner
from cooperatives.setup.serializers import (
    ClusterCreateSerializer,
    ClusterDetailSerializer,
    ClusterUpdateSerializer,
    NeighbourhoodDetailSerializer,
    NeighbourhoodWriteSerializer,
    PartnerDetailSerializer,
    PartnerWriteSerializer,
)
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.views import CooperativeAPIView, CooperativeListAPIView

ERRORS = ERROR_RESPONSES
NOT_FOUND = {403: ErrorResponseSerializer, 404: ErrorResponseSerializer}
WRITE_ERRORS = {**ERRORS, **NOT_FOUND}


# --- buurten -----------------------------------------------------------------------------------


def _neighbourhood_out(neighbourhood: Neighbourhood) -> dict[str, Any]:
    # Read back through the selector, for the member count.
    return NeighbourhoodDetailSerializer(selectors.neighbourhood_get(pk=neighbourhood.pk)).data


@extend_schema_view(get=extend_schema(operation_id="neighbourhood_list", summary="De buurten"))
class NeighbourhoodListView(CooperativeListAPIView[Member]):
    serializer_class = NeighbourhoodDetailSerializer
    permission_actions = {"GET": "neighbourhood.view", "POST": "neighbourhood.manage"}

    def get_queryset(self) -> QuerySet[Neighbourhood]:
        return selectors.neighbourhood_list()

    @extend_schema(
        operation_id="neighbourhood_create",
        summary="Een buurt toevoegen",
        request=NeighbourhoodWriteSerializer,
        responses={201: NeighbourhoodDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = NeighbourhoodWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        neighbourhood = services.neighbourhood_create(
            actor=self.member, **serializer.validated_data
        )
        return Response(_neighbourhood_out(neighbourhood), status=status.HTTP_201_CREATED)


class NeighbourhoodDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "neighbourhood.view", "PATCH": "neighbourhood.manage"}

    @extend_schema(
        operation_id="neighbourhood_get",
        summary="Eén buurt",
        responses={200: NeighbourhoodDetailSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        neighbourhood = self.found(selectors.neighbourhood_get(pk=pk))
        return Response(NeighbourhoodDetailSerializer(neighbourhood).data)

    @extend_schema(
        operation_id="neighbourhood_update",
        summary="Een buurt wijzigen (alleen de velden die u meestuurt)",
        request=NeighbourhoodWriteSerializer,
        responses={200: NeighbourhoodDetailSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        neighbourhood = self.found(selectors.neighbourhood_get(pk=pk))
        serializer = NeighbourhoodWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # The service replaces the details: start from what is there now.
        current = {f: getattr(neighbourhood, f) for f in services.NEIGHBOURHOOD_FIELDS}
        services.neighbourhood_update(
            actor=self.member,
            neighbourhood=neighbourhood,
            **{**current, **serializer.validated_data},
        )
        return Response(_neighbourhood_out(neighbourhood))


# --- clusters ----------------------------------------------------------------------------------


def _cluster_out(cluster: Cluster) -> dict[str, Any]:
    return ClusterDetailSerializer(cluster, context={"rulebook": rulebook_current()}).data


@extend_schema_view(
    get=extend_schema(
        operation_id="cluster_list",
        summary="De clusters, ook die buiten gebruik zijn",
        parameters=[
            OpenApiParameter("active", bool, description="alleen clusters die in gebruik zijn")
        ],
    )
)
class ClusterListView(CooperativeListAPIView[Member]):
    serializer_class = ClusterDetailSerializer
    permission_actions = {"GET": "cluster.view", "POST": "cluster.manage"}

    def get_queryset(self) -> QuerySet[Cluster]:
        active = self.request.query_params.get("active", "").lower() in ("1", "true")
        return selectors.cluster_list(active_only=active)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "rulebook": rulebook_current()}

    @extend_schema(
        operation_id="cluster_create",
        summary="Een cluster toevoegen (maakt een nieuwe versie van de spelregels)",
        request=ClusterCreateSerializer,
        responses={201: ClusterDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = ClusterCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cluster = services.cluster_create(actor=self.member, **serializer.validated_data)
        return Response(_cluster_out(cluster), status=status.HTTP_201_CREATED)


class ClusterDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "cluster.view", "PATCH": "cluster.manage"}

    @extend_schema(
        operation_id="cluster_get",
        summary="Eén cluster",
        responses={200: ClusterDetailSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_cluster_out(self.found(selectors.cluster_get(pk=pk))))

    @extend_schema(
        operation_id="cluster_update",
        summary="Naam of beschrijving van een cluster wijzigen",
        request=ClusterUpdateSerializer,
        responses={200: ClusterDetailSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        cluster = self.found(selectors.cluster_get(pk=pk))
        serializer = ClusterUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {"name": cluster.name, "description": cluster.description}
        services.cluster_update(
            actor=self.member, cluster=cluster, **{**values, **serializer.validated_data}
        )
        return Response(_cluster_out(cluster))


class ClusterRetireView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "cluster.manage"}

    @extend_schema(
        operation_id="cluster_retire",
        summary="Een cluster buiten gebruik stellen (het blijft bestaan)",
        request=None,
        responses={200: ClusterDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        cluster = self.found(selectors.cluster_get(pk=pk))
        services.cluster_set_active(actor=self.member, cluster=cluster, active=False)
        return Response(_cluster_out(cluster))


class ClusterReactivateView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "cluster.manage"}

    @extend_schema(
        operation_id="cluster_reactivate",
        summary="Een cluster weer in gebruik nemen",
        request=None,
        responses={200: ClusterDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        cluster = self.found(selectors.cluster_get(pk=pk))
        services.cluster_set_active(actor=self.member, cluster=cluster, active=True)
        return Response(_cluster_out(cluster))


# --- partners ----------------------------------------------------------------------------------


def _partner_out(partner: Partner) -> dict[str, Any]:
    return PartnerDetailSerializer(partner, context={"rulebook": rulebook_current()}).data


@extend_schema_view(get=extend_schema(operation_id="partner_list", summary="De partners"))
class PartnerListView(CooperativeListAPIView[Member]):
    serializer_class = PartnerDetailSerializer
    permission_actions = {"GET": "partner.view", "POST": "partner.manage"}

    def get_queryset(self) -> QuerySet[Partner]:
        return selectors.partner_list()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "rulebook": rulebook_current()}

    @extend_schema(
        operation_id="partner_create",
        summary="Een partner toevoegen",
        request=PartnerWriteSerializer,
        responses={201: PartnerDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = PartnerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partner = services.partner_save(actor=self.member, **serializer.validated_data)
        return Response(_partner_out(partner), status=status.HTTP_201_CREATED)


class PartnerDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "partner.view", "PATCH": "partner.manage"}

    @extend_schema(
        operation_id="partner_get",
        summary="Eén partner",
        responses={200: PartnerDetailSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_partner_out(self.found(selectors.partner_get(pk=pk))))

    @extend_schema(
        operation_id="partner_update",
        summary="Een partner wijzigen (alleen de velden die u meestuurt)",
        request=PartnerWriteSerializer,
        responses={200: PartnerDetailSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        partner = self.found(selectors.partner_get(pk=pk))
        serializer = PartnerWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # partner_save takes the whole partner: start from what is there now, including the
        # rate it compares with (the newest version's).
        current = {f: getattr(partner, f) for f in services.PARTNER_FIELDS}
        current["social_rate"] = selectors.partner_rate(rulebook=rulebook_latest(), partner=partner)
        services.partner_save(
            actor=self.member, partner=partner, **{**current, **serializer.validated_data}
        )
        return Response(_partner_out(partner))
