"""What the meetings' API takes and gives."""

from __future__ import annotations

from rest_framework import serializers

from cooperatives.governance.models import Decision
from cooperatives.meetings.models import AgendaItem, Choice, Meeting, Rsvp
from shared.api.fields import StrictIntegerField

# "kind", "status" and "outcome" are plain strings in the schema: other features have enums of
# those names, and drf-spectacular refuses two enums of one name (the services check values).
KIND_HELP = "Soort besluit: " + ", ".join(Decision.Kind.values)


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    decision_number = serializers.CharField(source="decision.number", default=None)
    outcome = serializers.CharField(source="decision.outcome", default=None)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "title",
            "explanation",
            "document_text",
            "document_link",
            "kind",
            "vote_mode",
            "proposal",
            "evoting_opens",
            "evoting_closes",
            "decision_number",
            "outcome",
        ]
        read_only_fields = ["id", "order", "decision_number", "outcome"]


class AgendaItemCreateSerializer(serializers.Serializer[AgendaItem]):
    title = serializers.CharField(max_length=200)
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    document_text = serializers.CharField(required=False, allow_blank=True, default="")
    document_link = serializers.URLField(required=False, allow_blank=True, default="")
    kind = serializers.CharField(default=Decision.Kind.ORDINARY, help_text=KIND_HELP)
    vote_mode = serializers.ChoiceField(
        choices=AgendaItem.VoteMode.choices, default=AgendaItem.VoteMode.NONE
    )
    proposal = serializers.DictField(required=False, default=dict)
    evoting_opens = serializers.DateTimeField(required=False, allow_null=True, default=None)
    evoting_closes = serializers.DateTimeField(required=False, allow_null=True, default=None)


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    body = serializers.CharField(source="body.kind")
    body_name = serializers.CharField(source="body.name")
    status = serializers.CharField(read_only=True, help_text="draft, convened, held, closed")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "body_name",
            "title",
            "starts_at",
            "place",
            "online_link",
            "status",
            "convened_at",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    items = AgendaItemSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "items"]


class RsvpSerializer(serializers.Serializer[Rsvp]):
    answer = serializers.ChoiceField(choices=Rsvp.Answer.choices)


class VoteSerializer(serializers.Serializer[object]):
    choice = serializers.ChoiceField(choices=Choice.choices)
    for_member = StrictIntegerField(
        required=False, allow_null=True, default=None, help_text="Wiens machtiging (lid-id)"
    )


class VoteReceiptSerializer(serializers.Serializer[object]):
    choice = serializers.CharField(required=False)
    receipt_code = serializers.CharField(required=False, allow_null=True)


class ResultSerializer(serializers.Serializer[Decision]):
    hall_for = StrictIntegerField(min_value=0, default=0)
    hall_against = StrictIntegerField(min_value=0, default=0)
    hall_abstain = StrictIntegerField(min_value=0, default=0)
    outcome = serializers.CharField(
        required=False, allow_null=True, default=None, help_text="adopted of rejected"
    )
    text = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingDecisionSerializer(serializers.ModelSerializer[Decision]):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    outcome = serializers.CharField(read_only=True, help_text="adopted of rejected")

    class Meta:
        model = Decision
        fields = [
            "number",
            "decided_on",
            "kind",
            "title",
            "outcome",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "effects",
        ]
