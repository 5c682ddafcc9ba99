"""Reads of the maps: which cooperatives are drawn where.

A network's map goes through the network level's one accessor
(``tenants.networks.selectors.cooperatives_visible_to_network``): only the cooperatives the
network sees and that agreed to be on its map. The public map shows every open cooperative
that agreed to be on the map in at least one active membership. Only the public registry and
membership rows are read: the point is the neighbourhood's, set by the board."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from shared.tenancy.urls import cooperative_url
from tenants.maps.drawing import Place
from tenants.models import Cooperative, Network
from tenants.networks.models import Membership
from tenants.networks.selectors import cooperatives_visible_to_network


def _place(cooperative: Cooperative, href: str | None) -> Place:
    assert cooperative.latitude is not None and cooperative.longitude is not None
    return Place(
        name=cooperative.name,
        place=cooperative.place,
        status=str(cooperative.get_status_display()),
        latitude=cooperative.latitude,
        longitude=cooperative.longitude,
        href=href,
    )


def _has_point(cooperative: Cooperative) -> bool:
    return cooperative.latitude is not None and cooperative.longitude is not None


def _trend_url(*, network: Network, slug: str) -> str | None:
    """The network's page of one cooperative, where that page is installed."""
    try:
        return reverse("network-cooperative", kwargs={"network": network.slug, "slug": slug})
    except NoReverseMatch:
        return None


def network_map(*, network: Network) -> tuple[list[Place], list[Cooperative]]:
    """The network's places (cooperatives it sees that agreed to be on its map and have a
    point), and those that agreed but have no point yet (their board has not set it)."""
    places, without_point = [], []
    for visible in cooperatives_visible_to_network(network=network):
        if not visible.on_map:
            continue
        cooperative = visible.cooperative
        if _has_point(cooperative):
            places.append(_place(cooperative, _trend_url(network=network, slug=cooperative.slug)))
        else:
            without_point.append(cooperative)
    return places, without_point


def public_map() -> list[Place]:
    """Every open cooperative with a point that agreed to be on the map in at least one
    active membership, each linking to its own site."""
    agreed = Membership.objects.filter(
        status=Membership.Status.ACTIVE, ended_at__isnull=True, on_map=True
    ).values("cooperative_id")
    cooperatives = Cooperative.objects.filter(
        pk__in=agreed,
        status__in=[Cooperative.Status.TRIAL, Cooperative.Status.ACTIVE],
        latitude__isnull=False,
        longitude__isnull=False,
    ).order_by("name")
    return [_place(c, cooperative_url(slug=c.slug)) for c in cooperatives]


def cooperative_place(*, cooperative: Cooperative) -> list[Place]:
    """The cooperative's own point, for the preview on its board's form."""
    return [_place(cooperative, None)] if _has_point(cooperative) else []


def cooperative_on_map_in(*, cooperative: Cooperative) -> list[Network]:
    """The networks on whose map the cooperative agreed to be (for its board's form)."""
    return [
        m.network
        for m in Membership.objects.select_related("network")
        .filter(
            cooperative=cooperative,
            status=Membership.Status.ACTIVE,
            ended_at__isnull=True,
            on_map=True,
        )
        .order_by("network__name")
    ]
