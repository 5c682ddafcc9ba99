"""Reads inside the current cooperative's schema."""

from __future__ import annotations

from django.db.models import QuerySet

from cooperatives.models import Cluster, Rulebook


def cluster_list(*, active_only: bool = True) -> QuerySet[Cluster]:
    qs = Cluster.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def rulebook_current() -> Rulebook | None:
    return Rulebook.objects.order_by("-version").first()
