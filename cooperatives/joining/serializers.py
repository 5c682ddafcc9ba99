"""What the joining API takes and gives. Shapes only: the joining services check the values and
answer with their own Dutch messages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.joining import selectors
from cooperatives.joining.models import Application, Invitation
from cooperatives.members.models import Member
from shared.api.fields import StrictIntegerField


def _text(**kwargs: Any) -> serializers.CharField:
    # Optional and blank allowed: the service answers a missing value with its Dutch message.
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class _ConsentAndAddress(serializers.Serializer):
    password = _text(max_length=500, write_only=True, trim_whitespace=False)
    accept_privacy = serializers.BooleanField(
        required=False, default=False, help_text="Akkoord met de privacyverklaring"
    )
    accept_disclaimer = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Akkoord met de uitsluiting van aansprakelijkheid uit de spelregels",
    )
    phone = _text(max_length=500)
    street = _text(max_length=500)
    house_number = _text(max_length=500)
    postcode = _text(max_length=500)


class ApplicationSubmitSerializer(_ConsentAndAddress):
    kind = serializers.CharField(
        required=False, default=Member.Kind.RESIDENT, help_text="resident of organisation"
    )
    name = _text(max_length=500)
    email = _text(max_length=500)
    message = _text(max_length=5000)


class ApplicationReceivedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = ["id", "status", "created_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    member_id = StrictIntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "status",
            "kind",
            "name",
            "email",
            "phone",
            "street",
            "house_number",
            "postcode",
            "message",
            "created_at",
            "privacy_version",
            "disclaimer_version",
            "consent_at",
            "decided_by_id",
            "decided_at",
            "decision_reason",
            "member_id",
        ]


class DeclineSerializer(serializers.Serializer):
    reason = _text(max_length=5000, help_text="Verplicht; de aanvrager krijgt deze reden te lezen")


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as the board sees it: never the token or its hash."""

    state = serializers.SerializerMethodField()
    invited_by_id = StrictIntegerField(read_only=True, allow_null=True)
    invited_by_name = serializers.CharField(
        source="invited_by.name", read_only=True, allow_null=True
    )
    member_id = StrictIntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "name",
            "state",
            "created_at",
            "expires_at",
            "used_at",
            "invited_by_id",
            "invited_by_name",
            "member_id",
        ]

    @extend_schema_field(serializers.ChoiceField(["open", "used", "expired"]))
    def get_state(self, invitation: Invitation) -> str:
        return selectors.invitation_state(invitation=invitation)


class InvitationCreateSerializer(serializers.Serializer):
    email = _text(max_length=500)
    name = _text(max_length=500)


class InvitationAcceptSerializer(_ConsentAndAddress):
    token = _text(max_length=200, help_text="Het token uit de link in de uitnodiging")
    name = _text(max_length=500)


class NewMemberSerializer(serializers.Serializer):
    member_id = StrictIntegerField()
    email = serializers.EmailField()
