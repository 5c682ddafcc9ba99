"""What a network user may see: the one accessor every network page and API call goes through.

A user sees a network only when bound to it (``NetworkRole``). A network sees:
- the cooperatives with an active membership of its own, with what each shares with it;
- the cooperatives of the networks below it (any depth) whose membership there says
  ``share_with_parent``, with the same groups.
Nothing here reads a cooperative's schema: only the public registry and the aggregate rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from tenants.models import Cooperative, Network
from tenants.networks.models import Membership, NetworkRole


@dataclass
class Visible:
    """A cooperative as one network sees it: what it shares, and through which networks
    (its own membership, or those of networks below)."""

    cooperative: Cooperative
    groups: set[str] = field(default_factory=set)
    on_map: bool = False
    via: list[Network] = field(default_factory=list)


def networks_of(*, user: Any) -> list[Network]:
    """The networks the user is bound to, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Network.objects.filter(roles__user=user).order_by("name"))


def role_of(*, user: Any, network: Network) -> str | None:
    """The user's role in the network ("manager" or "analyst"), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    role: str | None = (
        NetworkRole.objects.filter(user=user, network=network)
        .values_list("role", flat=True)
        .first()
    )
    return role


def network_get(*, user: Any, slug: str) -> tuple[Network, str] | None:
    """The network with this code and the user's role in it; None when the user is not bound
    to it (a page then answers 404: another network's existence is not confirmed)."""
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        return None
    role = role_of(user=user, network=network)
    return (network, role) if role else None


def networks_below(*, network: Network) -> list[Network]:
    """Every network under this one, at any depth (tiers are few: the loop is shallow)."""
    found: list[Network] = []
    frontier = [network.pk]
    seen = {network.pk}
    while frontier:
        children = list(Network.objects.filter(parent_id__in=frontier).exclude(pk__in=seen))
        found.extend(children)
        frontier = [c.pk for c in children]
        seen.update(frontier)
    return found


def _active(queryset: QuerySet[Membership]) -> QuerySet[Membership]:
    return queryset.filter(status=Membership.Status.ACTIVE, ended_at__isnull=True)


# What a network's pages read of a cooperative: a national network has hundreds, and loading
# every column of each (addresses of contact, postcode areas, three timestamps) was most of a
# dashboard request's time.
_COOPERATIVE_FIELDS = (
    "name",
    "slug",
    "schema_name",
    "place",
    "status",
    "latitude",
    "longitude",
    "created_at",
)


def cooperatives_visible_to_network(*, network: Network) -> list[Visible]:
    """The cooperatives this network sees, each with the union of what it shares with it.

    The memberships are read as plain values and the cooperatives once each: a model object
    per membership, with its own copy of the network, cost more than the rest of a national
    network's dashboard (1,500 objects for 500 cooperatives)."""
    networks = {each.pk: each for each in [network, *networks_below(network=network)]}
    rows = (
        _active(Membership.objects.all())
        .filter(
            Q(network=network)
            | Q(network__in=[pk for pk in networks if pk != network.pk], share_with_parent=True)
        )
        .values_list("cooperative_id", "network_id", "share_groups", "on_map")
    )
    found = list(rows)
    # The cooperatives through a subquery of the same memberships: an IN list of hundreds of
    # ids costs more to send than the query takes to run.
    cooperatives = {
        each.pk: each
        for each in Cooperative.objects.only(*_COOPERATIVE_FIELDS).filter(
            pk__in=rows.values("cooperative_id")
        )
    }
    seen: dict[int, Visible] = {}
    # The network's own memberships first, so ``via`` names it before the networks below.
    found.sort(key=lambda row: row[1] != network.pk)
    for cooperative_id, network_id, share_groups, on_map in found:
        visible = seen.setdefault(cooperative_id, Visible(cooperative=cooperatives[cooperative_id]))
        visible.groups.update(share_groups)
        visible.on_map = visible.on_map or on_map
        visible.via.append(networks[network_id])
    return sorted(seen.values(), key=lambda v: v.cooperative.name.casefold())


def cooperatives_visible_to(*, user: Any, network: Network | None = None) -> list[Visible]:
    """The cooperatives a network user sees: through one of their networks, or through all of
    them (a cooperative seen by two of the user's networks is listed once per network's
    choice, merged: the union of what it shares)."""
    networks: Iterable[Network]
    if network is not None:
        networks = [network] if role_of(user=user, network=network) else []
    else:
        networks = networks_of(user=user)
    merged: dict[int, Visible] = {}
    for each in networks:
        for visible in cooperatives_visible_to_network(network=each):
            into = merged.setdefault(
                visible.cooperative.pk, Visible(cooperative=visible.cooperative)
            )
            into.groups |= visible.groups
            into.on_map = into.on_map or visible.on_map
            into.via.extend(visible.via)
    return sorted(merged.values(), key=lambda v: v.cooperative.name.casefold())


def visible_cooperative(*, network: Network, slug: str) -> Visible | None:
    """One cooperative as the network sees it, or None when the network does not see it."""
    return next(
        (v for v in cooperatives_visible_to_network(network=network) if v.cooperative.slug == slug),
        None,
    )


def memberships_of_network(*, network: Network) -> QuerySet[Membership]:
    """Every membership of the network itself (requests, invitations, members, ended)."""
    return Membership.objects.select_related("cooperative").filter(network=network)


def memberships_of_cooperative(*, cooperative: Cooperative) -> QuerySet[Membership]:
    """Every membership of a cooperative (for its board's page on its own subdomain)."""
    return Membership.objects.select_related("network", "network__parent").filter(
        cooperative=cooperative
    )


def shared_groups(*, cooperative: Cooperative) -> set[str]:
    """What the cooperative shares with at least one network today: the nightly run computes
    these groups only (and removes rows of groups no longer shared)."""
    groups: set[str] = set()
    for row in _active(Membership.objects.filter(cooperative=cooperative)).values_list(
        "share_groups", flat=True
    ):
        groups.update(row)
    return groups


def membership_of_cooperative(*, cooperative: Cooperative, pk: int) -> Membership | None:
    """One membership of this cooperative (another cooperative's id is not found)."""
    return (
        Membership.objects.select_related("network", "network__parent", "cooperative")
        .filter(cooperative=cooperative, pk=pk)
        .first()
    )


def membership_of_network(*, network: Network, pk: int) -> Membership | None:
    """One membership of this network (another network's id is not found)."""
    return (
        Membership.objects.select_related("network", "cooperative")
        .filter(network=network, pk=pk)
        .first()
    )


def networks_to_join(*, cooperative: Cooperative) -> list[Network]:
    """The networks the cooperative can ask to join: every network with no open request,
    invitation or membership of it."""
    taken = Membership.objects.filter(cooperative=cooperative, status__in=Membership.OPEN)
    return list(
        Network.objects.select_related("parent")
        .exclude(pk__in=taken.values("network_id"))
        .order_by("name")
    )


def invitations_open(*, cooperative: Cooperative) -> QuerySet[Membership]:
    """The invitations the cooperative's board has not answered yet (the home page's
    attention item)."""
    return memberships_of_cooperative(cooperative=cooperative).filter(
        status=Membership.Status.INVITED
    )
