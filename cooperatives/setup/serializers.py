"""What the set-up API takes and gives. Shapes only: the set-up services check the values and
answer with their own Dutch messages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.governance.models import Decision
from cooperatives.rules.models import Compensation
from cooperatives.setup import selectors
from cooperatives.setup.models import Cluster, Neighbourhood, Partner
from shared.api.fields import StrictIntegerField, StrictPrimaryKeyRelatedField

_KIND_HELP = "Soort partner: " + ", ".join(Partner.Kind.values)
_COMPENSATION_HELP = "Vergoeding: " + ", ".join(Compensation.values)


class NeighbourhoodAssistantSerializer(serializers.Serializer):
    id = StrictIntegerField()
    name = serializers.CharField()


class NeighbourhoodDetailSerializer(serializers.ModelSerializer):
    assistants = NeighbourhoodAssistantSerializer(many=True, read_only=True)
    member_count = StrictIntegerField(read_only=True, help_text="Aantal actieve leden")

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
    assistants = StrictPrimaryKeyRelatedField(
        many=True,
        queryset=selectors.assistant_candidates(),
        required=False,
        help_text="Ids van actieve leden; zij krijgen de rol buurtassistent",
    )


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
    decision = StrictPrimaryKeyRelatedField(
        queryset=Decision.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id van het aangenomen besluit (van het orgaan dat over de spelregels "
        "besluit) waarbij het cluster en zijn vergoeding zijn vastgesteld",
    )


class PartnerDetailSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_KIND_HELP)
    # Plain text: empty when unknown, which the formats "email" and "uri" would not allow.
    email = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)
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
    decision = StrictPrimaryKeyRelatedField(
        queryset=Decision.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id van het aangenomen besluit (van het orgaan dat over afspraken met "
        "partners besluit); nodig als het sociale tarief verandert",
    )
