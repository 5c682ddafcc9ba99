"""The audit log: page and API."""

from django.urls import path

from cooperatives.audit.api import AuditLogView
from cooperatives.audit.views import audit_log

urlpatterns = [path("logboek/", audit_log, name="audit-log")]
api_urlpatterns = [path("audit/", AuditLogView.as_view(), name="api-audit-log")]
