"""The audit log through the API (read only: there is no way to change it)."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view

from cooperatives.audit import selectors
from cooperatives.audit.filters import AuditFilter
from cooperatives.audit.serializers import AuditEntrySerializer
from cooperatives.members.models import Member
from shared.api.views import CooperativeListAPIView
from shared.audit.models import AuditEntry


@extend_schema_view(get=extend_schema(operation_id="audit_log"))
class AuditLogView(CooperativeListAPIView[Member]):
    serializer_class = AuditEntrySerializer
    permission_actions = {"GET": "audit.view"}
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditFilter

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return selectors.audit_list()
