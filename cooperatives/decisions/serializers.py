"""What the decisions and minutes API takes and gives. Shapes only: the governance services
check and answer with their own Dutch messages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.governance.models import Body, Decision, Minutes
from shared.api.fields import StrictIntegerField, StrictPrimaryKeyRelatedField

KIND_HELP = "Soort besluit: " + ", ".join(Decision.Kind.values)


class EffectSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="rulebook, partner_rate, ...")
    id = serializers.JSONField(help_text="Het record dat in werking kwam")
    # "label" shadows Field.label in the stubs; DRF reads declared fields, not attributes.
    label = serializers.CharField()  # type: ignore[assignment]


class DecisionSerializer(serializers.ModelSerializer):
    body: serializers.PrimaryKeyRelatedField[Body] = StrictPrimaryKeyRelatedField(read_only=True)
    body_name = serializers.CharField(source="body.name", read_only=True)
    corrects: serializers.SlugRelatedField[Decision] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )
    corrected_by = serializers.SerializerMethodField(help_text="Nummers van de correcties")
    rulebook_versions = serializers.SerializerMethodField(
        help_text="De versies van de spelregels die dit besluit vaststelde"
    )
    effects = EffectSerializer(many=True, read_only=True)
    # Plain strings: "kind" and "status" are choice sets of other features too.
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    final = serializers.SerializerMethodField(
        help_text="Staat in vastgestelde notulen: verandert niet meer"
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "body",
            "body_name",
            "decided_on",
            "kind",
            "title",
            "text",
            "outcome",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "effects",
            "rulebook_versions",
            "minutes",
            "corrects",
            "corrected_by",
            "final",
            "final_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_corrected_by(self, decision: Decision) -> list[str]:
        return [c.number for c in decision.corrections.all()]

    @extend_schema_field(serializers.ListField(child=StrictIntegerField()))
    def get_rulebook_versions(self, decision: Decision) -> list[int]:
        return [r.version for r in decision.rulebooks.all()]

    @extend_schema_field(serializers.BooleanField())
    def get_final(self, decision: Decision) -> bool:
        return decision.final_at is not None


class DecisionWriteSerializer(serializers.Serializer):
    body = StrictPrimaryKeyRelatedField(queryset=Body.objects.all())
    decided_on = serializers.DateField()
    kind = serializers.CharField(default=Decision.Kind.ORDINARY, help_text=KIND_HELP)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    votes_for = StrictIntegerField(required=False, allow_null=True, min_value=0)
    votes_against = StrictIntegerField(required=False, allow_null=True, min_value=0)
    votes_abstain = StrictIntegerField(required=False, allow_null=True, min_value=0)
    outcome = serializers.ChoiceField(
        Decision.Outcome.choices,
        required=False,
        allow_null=True,
        help_text="Alleen zonder stemmen (bij acclamatie); met stemmen volgt de uitkomst uit "
        "de meerderheid.",
    )
    minutes = StrictPrimaryKeyRelatedField(
        queryset=Minutes.objects.all(), required=False, allow_null=True
    )

    def arguments(self) -> dict[str, Any]:
        return dict(self.validated_data)


class CorrectionWriteSerializer(DecisionWriteSerializer):
    body = None  # type: ignore[assignment]
    kind = None  # type: ignore[assignment]


class MinutesSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, sent of approved")
    approved_by: serializers.SlugRelatedField[Decision] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )
    decisions = serializers.SerializerMethodField(help_text="Nummers van de besluiten erin")

    class Meta:
        model = Minutes
        fields = [
            "id",
            "body",
            "body_name",
            "held_on",
            "text",
            "status",
            "approved_on",
            "approved_by",
            "decisions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_decisions(self, minutes: Minutes) -> list[str]:
        return [d.number for d in minutes.decisions.order_by("sequence")]


class MinutesWriteSerializer(serializers.Serializer):
    body = StrictPrimaryKeyRelatedField(queryset=Body.objects.all())
    held_on = serializers.DateField()
    text = serializers.CharField(allow_blank=True, required=False, default="")


class MinutesApproveSerializer(serializers.Serializer):
    decision = serializers.SlugRelatedField(
        slug_field="number",
        queryset=Decision.objects.all(),
        required=False,
        allow_null=True,
        help_text="Nummer van een aangenomen besluit tot vaststelling; of geef decided_on om "
        "het nu vast te leggen",
    )
    decided_on = serializers.DateField(required=False, allow_null=True)
    votes_for = StrictIntegerField(required=False, allow_null=True, min_value=0)
    votes_against = StrictIntegerField(required=False, allow_null=True, min_value=0)
    votes_abstain = StrictIntegerField(required=False, allow_null=True, min_value=0)
