"""What the who-am-I API gives."""

from __future__ import annotations

from rest_framework import serializers


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    cooperative = serializers.CharField()
    member_id = serializers.IntegerField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
