"""What the savings API takes and gives: the parameter versions, a new version, and the
estimate. Shapes only; the service checks the numbers (Dutch messages with a code). Nothing
here names a member: cooperatives by name and code, clusters by name, sums of hours."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from shared.api.fields import StrictIntegerField


class ClusterParametersSerializer(serializers.Serializer[Any]):
    cluster = serializers.CharField(max_length=80)
    share = serializers.DecimalField(
        max_digits=6, decimal_places=3, help_text="Vervangingsaandeel, 0 tot en met 1"
    )
    hourly_cost = serializers.DecimalField(
        max_digits=9, decimal_places=2, help_text="Uurtarief van het professionele alternatief"
    )


class ParametersSerializer(serializers.Serializer[Any]):
    version = StrictIntegerField(read_only=True)
    valid_from = serializers.DateField()
    share = serializers.DecimalField(
        max_digits=6, decimal_places=3, help_text="Voor de clusters die niet apart staan"
    )
    hourly_cost = serializers.DecimalField(
        max_digits=9, decimal_places=2, help_text="Voor de clusters die niet apart staan"
    )
    clusters = ClusterParametersSerializer(many=True, required=False, default=list)
    # "source" shadows Field.source in the stubs; DRF reads declared fields.
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, allow_blank=True, default="", max_length=1000
    )
    set_by_name = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["clusters"] = ClusterParametersSerializer(instance.clusters.all(), many=True).data
        return data


class LineSerializer(serializers.Serializer[Any]):
    cluster = serializers.CharField()
    hours = serializers.DecimalField(max_digits=14, decimal_places=2)
    share = serializers.DecimalField(source="rate.share", max_digits=6, decimal_places=3)
    hourly_cost = serializers.DecimalField(
        source="rate.hourly_cost", max_digits=9, decimal_places=2
    )
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class CooperativeEstimateSerializer(serializers.Serializer[Any]):
    cooperative = serializers.CharField(source="cooperative.slug")
    name = serializers.CharField(source="cooperative.name")
    lines = LineSerializer(many=True)
    hours = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    suppressed = StrictIntegerField(help_text="Onderdrukte cellen met uren, niet meegeteld")


class EstimateSerializer(serializers.Serializer[Any]):
    notice = serializers.SerializerMethodField(help_text="Altijd: een schatting, geen feit")
    method = serializers.SerializerMethodField()
    first = serializers.DateField()
    last = serializers.DateField()
    parameters = ParametersSerializer(allow_null=True)
    cooperatives = CooperativeEstimateSerializer(many=True)
    clusters = LineSerializer(many=True)
    hours = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    suppressed = StrictIntegerField()
    not_sharing = serializers.SerializerMethodField(
        help_text="Coöperaties die de groep Hulp niet met het netwerk delen"
    )

    def get_notice(self, estimate: Any) -> str:
        return "schatting, geen feit"

    def get_method(self, estimate: Any) -> str:
        return "uren hulp × vervangingsaandeel × uurtarief van het professionele alternatief"

    def get_not_sharing(self, estimate: Any) -> list[str]:
        return [cooperative.slug for cooperative in estimate.not_shared]
