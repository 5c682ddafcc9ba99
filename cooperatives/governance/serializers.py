"""What the governance API takes and gives. Shapes only: the governance services check the
values and answer with their own Dutch messages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.governance.models import Body, Seat, Statutes
from cooperatives.governance.services import STATUTES_FIELDS
from shared.api.fields import StrictIntegerField


class SeatSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    body_name = serializers.CharField(source="body.name", read_only=True)
    decision_number = serializers.CharField(
        source="decision.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Seat
        fields = [
            "id",
            "body",
            "body_name",
            "member",
            "member_name",
            "position",
            "start",
            "end",
            "decision",
            "decision_number",
        ]
        read_only_fields = fields


class BodySerializer(serializers.ModelSerializer):
    seats = serializers.SerializerMethodField(help_text="De zetels die vandaag bezet zijn")

    class Meta:
        model = Body
        fields = ["id", "kind", "name", "ended_on", "seats"]
        read_only_fields = fields

    @extend_schema_field(SeatSerializer(many=True))
    def get_seats(self, body: Body) -> list[dict[str, object]]:
        seats = self.context["seats"].get(body.pk, [])
        return [dict(SeatSerializer(seat).data) for seat in seats]


class ProjectGroupCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, allow_blank=True)


class SeatCreateSerializer(serializers.Serializer):
    body = StrictIntegerField(help_text="id van het orgaan")
    member = StrictIntegerField(help_text="id van het lid")
    position = serializers.ChoiceField(Seat.Position.choices)
    start = serializers.DateField()
    end = serializers.DateField(
        required=False, allow_null=True, help_text="De eerste dag zonder zetel"
    )
    decision = StrictIntegerField(
        required=False, allow_null=True, help_text="id van het besluit van benoeming"
    )


class SeatEndSerializer(serializers.Serializer):
    end = serializers.DateField(help_text="De eerste dag zonder zetel (vandaag: meteen)")


class StatutesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Statutes
        fields = [*STATUTES_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]
        # The statutes service checks the values (Dutch messages, nothing half-written).
        extra_kwargs: dict[str, dict[str, object]] = {
            name: {"validators": []} for name in STATUTES_FIELDS
        }
