"""Reads of the cooperative's set-up: buurten, clusters, partners.

Set-up records belong to the whole cooperative (there is no per-buurt scope on them), so a
lookup by id only needs the schema the request runs in: an id of another cooperative's record
simply does not exist here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from cooperatives.members.models import Member
from cooperatives.rules.models import Compensation, Rulebook
from cooperatives.setup.models import Cluster, Neighbourhood, Partner


def neighbourhood_list() -> QuerySet[Neighbourhood]:
    """Buurten with their assistants and number of active members loaded up front."""
    # The order is explicit: a query with a count ignores the model's default ordering.
    return (
        Neighbourhood.objects.prefetch_related(
            Prefetch("assistants", queryset=Member.objects.order_by("name", "id"))
        )
        .annotate(member_count=Count("members", filter=Q(members__status="active")))
        .order_by("position", "name", "id")
    )


def neighbourhood_get(*, pk: int) -> Neighbourhood | None:
    return neighbourhood_list().filter(pk=pk).first()


def neighbourhood_for_address(*, postcode: str, street: str) -> Neighbourhood | None:
    """The buurt an address belongs to: a full postcode first, then its 4-digit area, then
    the street name."""
    postcode = (postcode or "").replace(" ", "").upper()
    candidates = list(Neighbourhood.objects.only("id", "postcodes", "streets", "position", "name"))
    if postcode:
        for code in dict.fromkeys((postcode, postcode[:4])):
            for n in candidates:
                if code in n.postcodes:
                    return n
    street = " ".join((street or "").split()).lower()
    if street:
        for n in candidates:
            if street in n.streets:
                return n
    return None


def assistant_candidates() -> QuerySet[Member]:
    """Who can be made a neighbourhood assistant: active members."""
    return Member.objects.filter(status=Member.Status.ACTIVE).order_by("name", "id")


def cluster_list(*, active_only: bool = True) -> QuerySet[Cluster]:
    qs = Cluster.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def cluster_get(*, pk: int) -> Cluster | None:
    return Cluster.objects.filter(pk=pk).first()


def cluster_rows(*, rulebook: Rulebook | None, active_only: bool = False) -> list[dict[str, Any]]:
    """Clusters with their compensation under ``rulebook``."""
    labels = dict(Compensation.choices)
    rows = []
    for c in cluster_list(active_only=active_only):
        kind = rulebook.compensation_for(c) if rulebook else None
        label = labels.get(kind, "") if kind else ""
        rows.append({"cluster": c, "compensation": kind, "compensation_label": label})
    return rows


def partner_list(*, active_only: bool = False) -> QuerySet[Partner]:
    qs = Partner.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def partner_get(*, pk: int) -> Partner | None:
    return Partner.objects.filter(pk=pk).first()


def partner_rate(*, rulebook: Rulebook | None, partner: Partner) -> str | None:
    """The partner's social rate (euros per hour, as "12.50") under ``rulebook``."""
    rates: dict[str, str] = rulebook.partner_rates if rulebook else {}
    return rates.get(str(partner.pk))


def partner_rows(*, rulebook: Rulebook | None, active_only: bool = False) -> list[dict[str, Any]]:
    """Partners with their social rate under ``rulebook``."""
    return [
        {"partner": p, "social_rate": partner_rate(rulebook=rulebook, partner=p)}
        for p in partner_list(active_only=active_only)
    ]
