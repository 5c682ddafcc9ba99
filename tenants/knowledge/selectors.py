"""Reads of the knowledge network, always narrowed to who asks.

A network's users (analysts and managers) read the published documents of their network and
of the networks above it (a city network reads what 500WIJK shares with everyone below);
its managers also see what waits for them (suggestions). A cooperative's board and
coordinators read the published documents of the networks it is an active member of, and of
the networks above those. A document of another network does not exist for them (404)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import F, Func, Q, QuerySet, TextField, Value

from tenants.knowledge.models import Document
from tenants.models import Cooperative, Network
from tenants.networks.models import Membership


def networks_above(*, network: Network) -> list[Network]:
    """The networks over this one, nearest first (tiers are few: the walk is short)."""
    found: list[Network] = []
    seen = {network.pk}
    current = network.parent
    while current is not None and current.pk not in seen:
        found.append(current)
        seen.add(current.pk)
        current = current.parent
    return found


def networks_read_by_network(*, network: Network) -> list[Network]:
    """The network itself and those above it: whose documents its users read."""
    return [network, *networks_above(network=network)]


def networks_read_by_cooperative(*, cooperative: Cooperative) -> list[Network]:
    """The networks the cooperative is an active member of, and those above them."""
    found: dict[int, Network] = {}
    memberships = Membership.objects.select_related("network", "network__parent").filter(
        cooperative=cooperative, status=Membership.Status.ACTIVE, ended_at__isnull=True
    )
    for membership in memberships:
        for network in networks_read_by_network(network=membership.network):
            found.setdefault(network.pk, network)
    return sorted(found.values(), key=lambda n: n.name.casefold())


def networks_suggested_to(*, cooperative: Cooperative) -> list[Network]:
    """Where a board may suggest a document: the networks it is itself an active member of."""
    return [
        m.network
        for m in Membership.objects.select_related("network")
        .filter(cooperative=cooperative, status=Membership.Status.ACTIVE, ended_at__isnull=True)
        .order_by("network__name")
    ]


def _filtered(
    documents: QuerySet[Document], *, query: str = "", kind: str = ""
) -> QuerySet[Document]:
    """Dutch full-text search over title, summary and tags (PostgreSQL's ``dutch``
    configuration: "statuten" finds "statuut"), plus a plain match on part of the title."""
    if kind:
        documents = documents.filter(kind=kind)
    query = " ".join(query.split())
    if query:
        vector = (
            SearchVector("title", config="dutch", weight="A")
            + SearchVector(
                Func(F("tags"), Value(" "), function="array_to_string", output_field=TextField()),
                config="dutch",
                weight="A",
            )
            + SearchVector("summary", config="dutch", weight="B")
        )
        documents = documents.annotate(search=vector).filter(
            Q(search=SearchQuery(query, config="dutch", search_type="websearch"))
            | Q(title__icontains=query)
        )
    return documents


def _published(networks: list[Network]) -> QuerySet[Document]:
    return Document.objects.select_related("network", "cooperative").filter(
        network__in=networks, status=Document.Status.PUBLISHED
    )


def documents_for_network(
    *, network: Network, query: str = "", kind: str = ""
) -> QuerySet[Document]:
    """The published documents a network's users read (its own and those of networks above)."""
    return _filtered(_published(networks_read_by_network(network=network)), query=query, kind=kind)


def suggestions_for_network(*, network: Network) -> QuerySet[Document]:
    """Suggestions from member cooperatives waiting for the network's manager."""
    return (
        Document.objects.select_related("cooperative")
        .filter(network=network, status=Document.Status.SUGGESTED)
        .order_by("created_at")
    )


def document_for_network(*, network: Network, pk: int, manager: bool) -> Document | None:
    """A document a network user may open: published in their reach, or, for a manager, a
    suggestion to their own network."""
    readable = Q(
        network__in=networks_read_by_network(network=network), status=Document.Status.PUBLISHED
    )
    if manager:
        readable |= Q(network=network, status=Document.Status.SUGGESTED)
    found: Document | None = (
        Document.objects.select_related("network", "cooperative").filter(readable, pk=pk).first()
    )
    return found


def document_to_manage(*, network: Network, pk: int) -> Document | None:
    """A document of the network's own that its manager may edit, withdraw or decide on."""
    found: Document | None = (
        Document.objects.select_related("network", "cooperative")
        .filter(
            network=network,
            pk=pk,
            status__in=[Document.Status.PUBLISHED, Document.Status.SUGGESTED],
        )
        .first()
    )
    return found


def documents_for_cooperative(
    *, cooperative: Cooperative, query: str = "", kind: str = ""
) -> QuerySet[Document]:
    """The published documents a cooperative's board and coordinators read."""
    return _filtered(
        _published(networks_read_by_cooperative(cooperative=cooperative)), query=query, kind=kind
    )


def document_for_cooperative(*, cooperative: Cooperative, pk: int) -> Document | None:
    found: Document | None = (
        _published(networks_read_by_cooperative(cooperative=cooperative)).filter(pk=pk).first()
    )
    return found


def suggestions_of_cooperative(*, cooperative: Cooperative) -> QuerySet[Document]:
    """What the cooperative suggested and what became of it, newest first."""
    return (
        Document.objects.select_related("network")
        .filter(cooperative=cooperative, suggested_at__isnull=False)
        .order_by("-created_at")
    )
