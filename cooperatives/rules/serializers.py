"""What the rulebook API takes and gives. Shapes only: the rules service checks the values and
answers with its own Dutch messages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.governance.models import Decision
from cooperatives.rules.models import RULE_FIELDS, Compensation, Rulebook
from shared.api.fields import StrictIntegerField, StrictPrimaryKeyRelatedField

# --- reading -------------------------------------------------------------------------------------


class ClusterCompensationSerializer(serializers.Serializer):
    cluster_id = StrictIntegerField()
    name = serializers.CharField()
    compensation = serializers.ChoiceField(Compensation.choices)
    # "label" shadows Field.label in the stubs; DRF reads declared fields, not attributes.
    label = serializers.CharField()  # type: ignore[assignment]


class PartnerRateSerializer(serializers.Serializer):
    partner_id = StrictIntegerField()
    name = serializers.CharField()
    social_rate = serializers.DecimalField(max_digits=8, decimal_places=2)


class RulebookSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(
        help_text="in_force (geldt nu), scheduled (gaat later in) of superseded (geldt niet meer)"
    )
    clusters = serializers.SerializerMethodField(help_text="Vergoeding per cluster, met naam")
    partners = serializers.SerializerMethodField(help_text="Sociale tarieven, met naam")
    decision_number = serializers.CharField(
        source="decision.number",
        allow_null=True,
        default=None,
        help_text="Het nummer van het besluit waarbij deze versie is vastgesteld (2026-004); "
        "leeg bij de versie uit het sjabloon bij de oprichting",
    )

    class Meta:
        model = Rulebook
        fields = [
            "version",
            "effective_from",
            "adopted_by",
            "decision",
            "decision_number",
            "created_at",
            "status",
            *(f for f in RULE_FIELDS if f not in ("cluster_compensation", "partner_rates")),
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


# --- changing ------------------------------------------------------------------------------------


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    # No limits here: the rules service checks them and answers with its own Dutch message.
    return serializers.DecimalField(max_digits=None, decimal_places=None, required=False, **kwargs)


class DecisionRecordSerializer(serializers.Serializer):
    decided_on = serializers.DateField(help_text="De datum van het besluit")
    votes_for = StrictIntegerField(required=False, allow_null=True, min_value=0)
    votes_against = StrictIntegerField(required=False, allow_null=True, min_value=0)
    votes_abstain = StrictIntegerField(required=False, allow_null=True, min_value=0)


class RulebookRevisionSerializer(serializers.Serializer):
    """Only the rules given change; the rest is taken from the newest version."""

    euro_rate_per_hour = _decimal()
    points_per_hour = _decimal(allow_null=True)
    max_service_hours = _decimal(allow_null=True)
    max_open_services = StrictIntegerField(required=False, allow_null=True)
    feedback_days = StrictIntegerField(required=False, allow_null=True)
    request_reminder_days = StrictIntegerField(required=False, allow_null=True)
    request_expiry_days = StrictIntegerField(required=False, allow_null=True)
    offer_renewal_days = StrictIntegerField(required=False, allow_null=True)
    klus_needs_network_check = serializers.BooleanField(required=False)
    partner_referral_hours = _decimal(allow_null=True)
    recipient_approves_quality = serializers.BooleanField(required=False)
    starter_points = StrictIntegerField(required=False, allow_null=True)
    min_balance = StrictIntegerField(required=False, allow_null=True)
    max_balance = StrictIntegerField(required=False, allow_null=True)
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
    based_on_version = StrictIntegerField(
        required=False,
        min_value=0,
        help_text="De versie waarop de wijziging is gebaseerd (0: nog geen). Is er intussen "
        "een nieuwere, dan wordt de wijziging geweigerd.",
    )
    decision = StrictPrimaryKeyRelatedField(
        queryset=Decision.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id van een aangenomen besluit uit de besluitenlijst (van het orgaan dat "
        "volgens de statuten over de spelregels besluit) dat nog geen versie vaststelde. Of "
        "geef decision_record om het besluit nu vast te leggen.",
    )
    decision_record = DecisionRecordSerializer(
        required=False,
        allow_null=True,
        help_text="Het besluit nu vastleggen: datum, en de stemmen (zonder stemmen: unaniem).",
    )

    def adopting(self) -> dict[str, Any]:
        data = self.validated_data
        record = data.get("decision_record") or {}
        return {
            "decision": data.get("decision"),
            "decided_on": record.get("decided_on"),
            "votes_for": record.get("votes_for"),
            "votes_against": record.get("votes_against"),
            "votes_abstain": record.get("votes_abstain"),
        }

    def arguments(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        return {
            "changes": {k: v for k, v in data.items() if k in RULE_FIELDS},
            "effective_from": data.get("effective_from"),
        }


class RulebookPreviewRequestSerializer(RulebookRevisionSerializer):
    pass


class DiffRowSerializer(serializers.Serializer):
    field = serializers.CharField()
    key = serializers.CharField(
        allow_null=True, help_text="Cluster- of partner-id bij een regel per cluster of partner"
    )
    # "label" shadows Field.label in the stubs; DRF reads declared fields, not attributes.
    label = serializers.CharField()  # type: ignore[assignment]
    old = serializers.CharField(help_text="De regel die nu geldt, in woorden")
    new = serializers.CharField(help_text="De nieuwe regel, in woorden")
    old_value = serializers.JSONField(allow_null=True)
    new_value = serializers.JSONField(allow_null=True)


class RulebookPreviewSerializer(serializers.Serializer):
    next_version = StrictIntegerField()
    current_version = StrictIntegerField(allow_null=True)
    changes = DiffRowSerializer(many=True, help_text="Wat verandert ten opzichte van nu")
