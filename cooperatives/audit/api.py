"""The audit log through the API (read only: there is no way to change it)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from cooperatives.members.selectors import audit_list
from shared.audit.models import AuditEntry
from shared.permissions import HasAction


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


class AuditLogView(ListAPIView):
    serializer_class = AuditEntrySerializer
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "audit.view"}

    def get_queryset(self):
        return audit_list(action=self.request.query_params.get("action", "").strip())

    @extend_schema(
        operation_id="audit_log",
        parameters=[
            OpenApiParameter("action", str, description="begin van de handeling, bv. member.")
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
