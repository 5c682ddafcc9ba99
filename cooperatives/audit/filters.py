"""The audit log's filter, for the API (and its OpenAPI schema) and the page: entries whose
action begins with what is asked (``member.`` finds every change to members)."""

from __future__ import annotations

from collections import OrderedDict

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict

from shared.audit.models import AuditEntry


class AuditFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(
        lookup_expr="startswith", label="begin van de handeling, bv. member."
    )

    class Meta:
        model = AuditEntry
        fields = ["action"]

    @classmethod
    def for_page(cls, data: QueryDict, *, queryset: QuerySet[AuditEntry]) -> AuditFilter:
        """The same filter under the page's Dutch parameter, ``handeling``."""
        filterset = cls(data, queryset=queryset)
        filterset.filters = OrderedDict(handeling=filterset.filters["action"])
        return filterset
