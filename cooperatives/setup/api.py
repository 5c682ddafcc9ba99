"""The cooperative's set-up through the API: buurten, clusters and partners. The same
selectors and services as the pages, so the same rules and the same Dutch messages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.rules.models import Compensation
from cooperatives.setup import selectors, services
from cooperatives.setup.models import Cluster, Neighbourhood, Partner
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.permissions import HasAction

ERRORS = ERROR_RESPONSES
NOT_FOUND = {403: ErrorResponseSerializer, 404: ErrorResponseSerializer}
WRITE_ERRORS = {**ERRORS, **NOT_FOUND}
_KIND_HELP = "Soort partner: " + ", ".join(Partner.Kind.values)
_COMPENSATION_HELP = "Vergoeding: " + ", ".join(Compensation.values)


class _SetupAPIView(APIView):
    permission_classes = [IsAuthenticated, HasAction]

    def found(self, obj: Any) -> Any:
        """The record, or a 404 when this cooperative has none with that id."""
        if obj is None:
            raise NotFound
        self.check_object_permissions(self.request, obj)
        return obj


class _SetupListView(ListAPIView):
    permission_classes = [IsAuthenticated, HasAction]


# --- buurten -----------------------------------------------------------------------------------


class NeighbourhoodAssistantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class NeighbourhoodDetailSerializer(serializers.ModelSerializer):
    assistants = NeighbourhoodAssistantSerializer(many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text="Aantal actieve leden")

    class Meta:
        model = Neighbourhood
        fields = [
            "id",
            "name",
            "network_name",
            "contact",
            "postcodes",
            "streets",
            "assistants",
            "member_count",
        ]
        read_only_fields = fields


class NeighbourhoodWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, allow_blank=True)
    network_name = serializers.CharField(max_length=120, allow_blank=True, required=False)
    contact = serializers.CharField(max_length=200, allow_blank=True, required=False)
    postcodes = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        help_text="4 cijfers (3581) of een hele postcode (3581AB)",
    )
    streets = serializers.ListField(child=serializers.CharField(max_length=120), required=False)
    assistants = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=selectors.assistant_candidates(),
        required=False,
        help_text="Ids van actieve leden; zij krijgen de rol buurtassistent",
    )


def _neighbourhood_out(neighbourhood: Neighbourhood) -> dict[str, Any]:
    # Read back through the selector, for the member count.
    return NeighbourhoodDetailSerializer(selectors.neighbourhood_get(pk=neighbourhood.pk)).data


class NeighbourhoodListView(_SetupListView):
    serializer_class = NeighbourhoodDetailSerializer
    permission_actions = {"GET": "neighbourhood.view", "POST": "neighbourhood.manage"}

    def get_queryset(self) -> QuerySet[Neighbourhood]:
        return selectors.neighbourhood_list()

    @extend_schema(operation_id="neighbourhood_list", summary="De buurten")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

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
            actor=permissions.current_member(request), **serializer.validated_data
        )
        return Response(_neighbourhood_out(neighbourhood), status=status.HTTP_201_CREATED)


class NeighbourhoodDetailView(_SetupAPIView):
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
            actor=permissions.current_member(request),
            neighbourhood=neighbourhood,
            **{**current, **serializer.validated_data},
        )
        return Response(_neighbourhood_out(neighbourhood))


# --- clusters ----------------------------------------------------------------------------------


class ClusterDetailSerializer(serializers.ModelSerializer):
    compensation = serializers.SerializerMethodField(
        help_text="Vergoeding volgens de spelregels die vandaag gelden"
    )

    class Meta:
        model = Cluster
        fields = ["id", "name", "description", "is_active", "retired_at", "compensation"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(Compensation.choices, allow_null=True))
    def get_compensation(self, cluster: Cluster) -> str | None:
        rulebook = self.context.get("rulebook")
        return rulebook.compensation_for(cluster) if rulebook else None


class ClusterUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, allow_blank=True)
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False)


class ClusterCreateSerializer(ClusterUpdateSerializer):
    # A plain string: the service checks it and answers with its own Dutch message.
    compensation = serializers.CharField(
        allow_blank=True, required=False, default="", help_text=_COMPENSATION_HELP
    )
    adopted_by = serializers.CharField(
        max_length=200,
        allow_blank=True,
        required=False,
        help_text="Het besluit waarbij het cluster is vastgesteld",
    )


def _cluster_out(cluster: Cluster) -> dict[str, Any]:
    return ClusterDetailSerializer(cluster, context={"rulebook": selectors.rulebook_current()}).data


class ClusterListView(_SetupListView):
    serializer_class = ClusterDetailSerializer
    permission_actions = {"GET": "cluster.view", "POST": "cluster.manage"}

    def get_queryset(self) -> QuerySet[Cluster]:
        active = self.request.query_params.get("active", "").lower() in ("1", "true")
        return selectors.cluster_list(active_only=active)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "rulebook": selectors.rulebook_current()}

    @extend_schema(
        operation_id="cluster_list",
        summary="De clusters, ook die buiten gebruik zijn",
        parameters=[
            OpenApiParameter("active", bool, description="alleen clusters die in gebruik zijn")
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="cluster_create",
        summary="Een cluster toevoegen (maakt een nieuwe versie van de spelregels)",
        request=ClusterCreateSerializer,
        responses={201: ClusterDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = ClusterCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cluster = services.cluster_create(
            actor=permissions.current_member(request), **serializer.validated_data
        )
        return Response(_cluster_out(cluster), status=status.HTTP_201_CREATED)


class ClusterDetailView(_SetupAPIView):
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
            actor=permissions.current_member(request),
            cluster=cluster,
            **{**values, **serializer.validated_data},
        )
        return Response(_cluster_out(cluster))


class _ClusterStatusView(_SetupAPIView):
    permission_actions = {"POST": "cluster.manage"}
    active: bool

    def post(self, request: Request, pk: int) -> Response:
        cluster = self.found(selectors.cluster_get(pk=pk))
        services.cluster_set_active(
            actor=permissions.current_member(request), cluster=cluster, active=self.active
        )
        return Response(_cluster_out(cluster))


class ClusterRetireView(_ClusterStatusView):
    active = False

    @extend_schema(
        operation_id="cluster_retire",
        summary="Een cluster buiten gebruik stellen (het blijft bestaan)",
        request=None,
        responses={200: ClusterDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ClusterReactivateView(_ClusterStatusView):
    active = True

    @extend_schema(
        operation_id="cluster_reactivate",
        summary="Een cluster weer in gebruik nemen",
        request=None,
        responses={200: ClusterDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


# --- partners ----------------------------------------------------------------------------------


class PartnerDetailSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_KIND_HELP)
    social_rate = serializers.SerializerMethodField(
        help_text="Sociaal tarief in euro per uur volgens de spelregels die vandaag gelden"
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "services",
            "contact_name",
            "phone",
            "email",
            "website",
            "is_active",
            "social_rate",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_social_rate(self, partner: Partner) -> str | None:
        return selectors.partner_rate(rulebook=self.context.get("rulebook"), partner=partner)


class PartnerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, allow_blank=True)
    kind = serializers.CharField(max_length=30, required=False, help_text=_KIND_HELP)
    services = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    contact_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=40, allow_blank=True, required=False)
    email = serializers.CharField(max_length=254, allow_blank=True, required=False)
    website = serializers.CharField(max_length=200, allow_blank=True, required=False)
    is_active = serializers.BooleanField(required=False)
    social_rate = serializers.CharField(
        max_length=20,
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text="Euro per uur, bijvoorbeeld 12.50; leeg of null: geen sociaal tarief",
    )


def _partner_out(partner: Partner) -> dict[str, Any]:
    return PartnerDetailSerializer(partner, context={"rulebook": selectors.rulebook_current()}).data


class PartnerListView(_SetupListView):
    serializer_class = PartnerDetailSerializer
    permission_actions = {"GET": "partner.view", "POST": "partner.manage"}

    def get_queryset(self) -> QuerySet[Partner]:
        return selectors.partner_list()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "rulebook": selectors.rulebook_current()}

    @extend_schema(operation_id="partner_list", summary="De partners")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="partner_create",
        summary="Een partner toevoegen",
        request=PartnerWriteSerializer,
        responses={201: PartnerDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = PartnerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partner = services.partner_save(
            actor=permissions.current_member(request), **serializer.validated_data
        )
        return Response(_partner_out(partner), status=status.HTTP_201_CREATED)


class PartnerDetailView(_SetupAPIView):
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
        current["social_rate"] = selectors.partner_rate(
            rulebook=selectors.rulebook_latest(), partner=partner
        )
        services.partner_save(
            actor=permissions.current_member(request),
            partner=partner,
            **{**current, **serializer.validated_data},
        )
        return Response(_partner_out(partner))
