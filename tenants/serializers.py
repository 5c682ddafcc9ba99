"""What the sign-up API takes and gives. Shapes only: the sign-up service checks the values and
answers with its own Dutch messages."""

from __future__ import annotations

from rest_framework import serializers

from shared.api.fields import StrictIntegerField
from tenants import rules_templates


class SignUpSerializer(serializers.Serializer):
    name = serializers.CharField(
        allow_blank=True, max_length=500, help_text="Naam van de coöperatie"
    )
    slug = serializers.CharField(
        allow_blank=True, max_length=200, help_text="Subdomein: 3-40 tekens a-z, 0-9 en '-'"
    )
    # Optional for API clients of before it was asked; when sent it must not be empty.
    place = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Plaats, bijv. Utrecht"
    )
    board_member_name = serializers.CharField(allow_blank=True, max_length=500)
    email = serializers.CharField(allow_blank=True, max_length=500)
    password = serializers.CharField(allow_blank=True, max_length=500, write_only=True)
    # A plain string: the service checks it and answers with its own Dutch message.
    template = serializers.CharField(
        help_text="Sjabloon voor de spelregels: " + ", ".join(rules_templates.TEMPLATES)
    )


class CooperativeSerializer(serializers.Serializer):
    id = StrictIntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    status = serializers.CharField()
    url = serializers.URLField()
    login_url = serializers.URLField()
