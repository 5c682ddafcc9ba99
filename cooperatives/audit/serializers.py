"""What the audit log API gives (it takes nothing: the log cannot be changed)."""

from __future__ import annotations

from rest_framework import serializers

from shared.audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor_id",
            "actor_name",
            "action",
            "target_type",
            "target_id",
            "summary",
            "changes",
        ]
