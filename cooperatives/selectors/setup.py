"""Reads of the cooperative's set-up: buurten, clusters, partners, rules."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from cooperatives.models import Cluster, Compensation, Neighbourhood, Partner, Rulebook
from cooperatives.services.rules import rulebook_current, rulebook_latest  # noqa: F401 (re-export)


def neighbourhood_list() -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.prefetch_related("assistants").annotate(
        member_count=Count("members", filter=Q(members__status="active"))
    )


def cluster_list(*, active_only: bool = True) -> QuerySet[Cluster]:
    qs = Cluster.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def cluster_rows(*, rulebook: Rulebook | None, active_only: bool = False) -> list[dict]:
    """Clusters with their compensation under ``rulebook``."""
    labels = dict(Compensation.choices)
    rows = []
    for c in cluster_list(active_only=active_only):
        kind = rulebook.compensation_for(c) if rulebook else None
        rows.append(
            {"cluster": c, "compensation": kind, "compensation_label": labels.get(kind, "")}
        )
    return rows


def partner_list(*, active_only: bool = False) -> QuerySet[Partner]:
    qs = Partner.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def rulebook_history() -> QuerySet[Rulebook]:
    return Rulebook.objects.order_by("-version")
