"""House rules and rates through the API: every version readable by members; the board
previews and makes the next version. The rules service does all checking."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.rules import services
from cooperatives.rules.forms import ADOPTED_BY_REQUIRED
from cooperatives.rules.models import Compensation, Rulebook
from cooperatives.setup.models import Cluster, Partner
from cooperatives.setup.selectors import rulebook_history
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.permissions import HasAction, current_member

# --- reading -------------------------------------------------------------------------------------


class ClusterCompensationSerializer(serializers.Serializer):
    cluster_id = serializers.IntegerField()
    name = serializers.CharField()
    compensation = serializers.ChoiceField(Compensation.choices)
    label = serializers.CharField()


class PartnerRateSerializer(serializers.Serializer):
    partner_id = serializers.IntegerField()
    name = serializers.CharField()
    social_rate = serializers.DecimalField(max_digits=8, decimal_places=2)


class RulebookSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(
        help_text="in_force (geldt nu), scheduled (gaat later in) of superseded (geldt niet meer)"
    )
    clusters = serializers.SerializerMethodField(help_text="Vergoeding per cluster, met naam")
    partners = serializers.SerializerMethodField(help_text="Sociale tarieven, met naam")

    class Meta:
        model = Rulebook
        fields = [
            "version",
            "effective_from",
            "adopted_by",
            "created_at",
            "status",
            *(
                f
                for f in services.RULE_FIELDS
                if f not in ("cluster_compensation", "partner_rates")
            ),
            "clusters",
            "partners",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_status(self, rulebook: Rulebook) -> str:
        if rulebook.version == self.context["current_version"]:
            return "in_force"
        return "scheduled" if rulebook.effective_from > self.context["today"] else "superseded"

    @extend_schema_field(ClusterCompensationSerializer(many=True))
    def get_clusters(self, rulebook: Rulebook) -> list[dict[str, Any]]:
        names, labels = self.context["cluster_names"], dict(Compensation.choices)
        return [
            {"cluster_id": pk, "name": name, "compensation": kind, "label": str(labels[kind])}
            for pk, name in names.items()
            if (kind := rulebook.cluster_compensation.get(str(pk)))
        ]

    @extend_schema_field(PartnerRateSerializer(many=True))
    def get_partners(self, rulebook: Rulebook) -> list[dict[str, Any]]:
        return [
            {"partner_id": pk, "name": name, "social_rate": rate}
            for pk, name in self.context["partner_names"].items()
            if (rate := rulebook.partner_rates.get(str(pk)))
        ]


def _reading_context() -> dict[str, Any]:
    """Names and the version in force, loaded once per request instead of once per version."""
    current = services.rulebook_current()
    return {
        "current_version": current.version if current else None,
        "today": timezone.localdate(),
        "cluster_names": dict(Cluster.objects.values_list("pk", "name")),
        "partner_names": dict(Partner.objects.values_list("pk", "name")),
    }


# --- changing ------------------------------------------------------------------------------------


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    # No limits here: the rules service checks them and answers with its own Dutch message.
    return serializers.DecimalField(max_digits=None, decimal_places=None, required=False, **kwargs)


class RulebookRevisionSerializer(serializers.Serializer):
    """Only the rules given change; the rest is taken from the newest version."""

    euro_rate_per_hour = _decimal()
    points_per_hour = _decimal(allow_null=True)
    max_service_hours = _decimal(allow_null=True)
    max_open_services = serializers.IntegerField(required=False, allow_null=True)
    feedback_days = serializers.IntegerField(required=False, allow_null=True)
    request_reminder_days = serializers.IntegerField(required=False, allow_null=True)
    request_expiry_days = serializers.IntegerField(required=False, allow_null=True)
    offer_renewal_days = serializers.IntegerField(required=False, allow_null=True)
    klus_needs_network_check = serializers.BooleanField(required=False)
    partner_referral_hours = _decimal(allow_null=True)
    recipient_approves_quality = serializers.BooleanField(required=False)
    starter_points = serializers.IntegerField(required=False, allow_null=True)
    min_balance = serializers.IntegerField(required=False, allow_null=True)
    max_balance = serializers.IntegerField(required=False, allow_null=True)
    share_points_percent = _decimal()
    share_euro_percent = _decimal()
    no_competition_with_social_enterprises = serializers.BooleanField(required=False)
    liability_disclaimer = serializers.CharField(required=False, allow_blank=True)
    cluster_compensation = serializers.DictField(
        child=serializers.ChoiceField(Compensation.choices),
        required=False,
        help_text="De hele vergoeding per cluster, {cluster-id: vergoeding}; een cluster "
        "zonder regel laat u weg.",
    )
    partner_rates = serializers.DictField(
        child=serializers.DecimalField(max_digits=None, decimal_places=None),
        required=False,
        help_text="Alle sociale tarieven in euro per uur, {partner-id: tarief}; een partner "
        "zonder sociaal tarief laat u weg.",
    )
    effective_from = serializers.DateField(
        required=False, help_text="Vandaag of later; zonder datum: vandaag."
    )
    based_on_version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="De versie waarop de wijziging is gebaseerd (0: nog geen). Is er intussen "
        "een nieuwere, dan wordt de wijziging geweigerd.",
    )
    adopted_by = serializers.CharField(
        max_length=200,
        help_text="Het besluit waarbij deze versie is vastgesteld.",
        error_messages={"required": ADOPTED_BY_REQUIRED, "blank": ADOPTED_BY_REQUIRED},
    )

    def arguments(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        return {
            "changes": {k: v for k, v in data.items() if k in services.RULE_FIELDS},
            "effective_from": data.get("effective_from"),
        }


class RulebookPreviewRequestSerializer(RulebookRevisionSerializer):
    adopted_by = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DiffRowSerializer(serializers.Serializer):
    field = serializers.CharField()
    key = serializers.CharField(
        allow_null=True, help_text="Cluster- of partner-id bij een regel per cluster of partner"
    )
    label = serializers.CharField()
    old = serializers.CharField(help_text="De regel die nu geldt, in woorden")
    new = serializers.CharField(help_text="De nieuwe regel, in woorden")
    old_value = serializers.JSONField(allow_null=True)
    new_value = serializers.JSONField(allow_null=True)


class RulebookPreviewSerializer(serializers.Serializer):
    next_version = serializers.IntegerField()
    current_version = serializers.IntegerField(allow_null=True)
    changes = DiffRowSerializer(many=True, help_text="Wat verandert ten opzichte van nu")


# --- views ---------------------------------------------------------------------------------------

ERRORS = ERROR_RESPONSES


class RulebookListCreateView(ListAPIView):
    serializer_class = RulebookSerializer
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "rulebook.view", "POST": "rulebook.edit"}

    def get_queryset(self):
        return rulebook_history()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **_reading_context()}

    @extend_schema(operation_id="rulebook_list", summary="Alle versies, nieuwste eerst")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="rulebook_create",
        summary="De volgende versie vaststellen",
        request=RulebookRevisionSerializer,
        responses={201: RulebookSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = RulebookRevisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rulebook = services.rulebook_revise(
            actor=current_member(request),
            adopted_by=serializer.validated_data["adopted_by"],
            based_on=serializer.validated_data.get("based_on_version"),
            **serializer.arguments(),
        )
        return Response(
            RulebookSerializer(rulebook, context=_reading_context()).data,
            status=status.HTTP_201_CREATED,
        )


class RulebookCurrentView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "rulebook.view"}

    @extend_schema(
        operation_id="rulebook_current",
        summary="De versie die vandaag geldt",
        responses={200: RulebookSerializer, 404: ErrorResponseSerializer},
    )
    def get(self, request: Request) -> Response:
        rulebook = services.rulebook_current()
        if rulebook is None:
            raise NotFound(_("Er gelden nog geen spelregels."))
        return Response(RulebookSerializer(rulebook, context=_reading_context()).data)


class RulebookDetailView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "rulebook.view"}

    @extend_schema(
        operation_id="rulebook_retrieve",
        summary="Eén versie, zoals zij is vastgesteld",
        responses={200: RulebookSerializer, 404: ErrorResponseSerializer},
    )
    def get(self, request: Request, version: int) -> Response:
        rulebook = get_object_or_404(rulebook_history(), version=version)
        return Response(RulebookSerializer(rulebook, context=_reading_context()).data)


class RulebookPreviewView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"POST": "rulebook.edit"}

    @extend_schema(
        operation_id="rulebook_preview",
        summary="Wat een nieuwe versie zou veranderen, zonder iets op te slaan",
        request=RulebookPreviewRequestSerializer,
        responses={200: RulebookPreviewSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = RulebookPreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        diff = services.rulebook_preview(**serializer.arguments())
        latest, current = services.rulebook_latest(), services.rulebook_current()
        data = {
            "next_version": (latest.version + 1) if latest else 1,
            "current_version": current.version if current else None,
            "changes": services.rulebook_diff_readable(diff),
        }
        return Response(RulebookPreviewSerializer(data).data)
