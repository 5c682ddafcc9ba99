"""What the who-am-I API gives."""

from __future__ import annotations

from rest_framework import serializers

from shared.api.fields import StrictIntegerField


class MeSerializer(serializers.Serializer):
    id = StrictIntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    cooperative = serializers.CharField()
    member_id = StrictIntegerField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
