"""The network level of the demo: SAMEN030 (Utrecht) with oost and two more Utrecht
cooperatives, 500WIJKCOÖPERATIES above SAMEN030 and also holding wij (Vlaardingen) and
cooperatives elsewhere, so the map has places across the country; memberships that share
figures, and the nightly figures already computed. Idempotent, as the rest of the demo.

The extra cooperatives are signed up through the real service (cloned schemas) and hold only
their founding board member: they are on the map and in the networks' lists, and their figures
are honestly empty (suppressed), as a new cooperative's would be."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from cooperatives.figures.catalog import GROUP_KEYS
from tenants.models import Cooperative, Network
from tenants.networks.models import Membership
from tenants.services import cooperative_sign_up

# slug, name, place, latitude, longitude, networks it is a direct member of
EXTRA_COOPERATIVES = (
    ("zuilen", "Zuilen Zorgt", "Utrecht", "52.1060", "5.0970", ("samen030",)),
    ("overvecht", "Buurtcoöperatie Overvecht", "Utrecht", "52.1160", "5.1110", ("samen030",)),
    ("hoogeloon", "Zorgcoöperatie Hoogeloon", "Hoogeloon", "51.4020", "5.2230", ("500wijk",)),
    ("lochem", "Noaberzorg Lochem", "Lochem", "52.1590", "6.4130", ("500wijk",)),
    ("oosterpark", "Wijkcoöperatie Oosterpark", "Groningen", "53.2230", "6.5820", ("500wijk",)),
    ("stadsdorp-zuid", "Stadsdorp Zuid", "Amsterdam", "52.3420", "4.8720", ("500wijk",)),
)
# Where the two demo cooperatives of demo.py lie (their neighbourhoods' centres).
PLACES = {"oost": ("52.0880", "5.1400"), "wij": ("51.9120", "4.3310")}

NETWORKS = (
    # slug, name, tier, parent slug, description
    (
        "500wijk",
        "500WIJKCOÖPERATIES",
        Network.Tier.NATIONAL,
        None,
        "Landelijk programma: 500 volwassen wijkcoöperaties, Triple Aim en gedeelde besparing "
        "met gemeenten, zorgverzekeraars en zorgkantoor.",
    ),
    (
        "samen030",
        "SAMEN030",
        Network.Tier.CITY,
        "500wijk",
        "De stadscoöperatie van bewonersinitiatieven in Utrecht: ledenoverzicht en kennisnetwerk.",
    ),
)
DIRECT_MEMBERS = {"samen030": ("oost",), "500wijk": ("wij",)}


def _networks() -> dict[str, Network]:
    made: dict[str, Network] = {}
    for slug, name, tier, parent, description in NETWORKS:
        network, _created = Network.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "tier": tier,
                "parent": made.get(parent) if parent else None,
                "description": description,
            },
        )
        made[slug] = network
    return made


def _extra_cooperatives(password: str) -> None:
    for slug, name, place, lat, lon, _networks in EXTRA_COOPERATIVES:
        if not Cooperative.objects.filter(slug=slug).exists():
            cooperative_sign_up(
                name=name,
                slug=slug,
                board_member_name=f"Bestuur {name}",
                email=f"bestuur@{slug}.example.nl",
                password=password,
                template="oost",
                place=place,
            )
        Cooperative.objects.filter(slug=slug).update(
            latitude=Decimal(lat), longitude=Decimal(lon), status=Cooperative.Status.ACTIVE
        )
    for slug, (lat, lon) in PLACES.items():
        Cooperative.objects.filter(slug=slug).update(latitude=Decimal(lat), longitude=Decimal(lon))


def _member(network: Network, cooperative: Cooperative) -> None:
    if Membership.objects.filter(
        network=network, cooperative=cooperative, status__in=Membership.OPEN
    ).exists():
        return
    Membership.objects.create(
        network=network,
        cooperative=cooperative,
        status=Membership.Status.ACTIVE,
        initiated_by=Membership.Side.COOPERATIVE,
        share_groups=list(GROUP_KEYS),
        on_map=True,
        share_with_parent=True,
        started_at=timezone.now(),
    )


# A few documents in each knowledge network (links: the demo ships no files).
DOCUMENTS = (
    (
        "samen030",
        "statutes",
        "Modelstatuten voor een wijkcoöperatie",
        "Statuten met ALV, algemeen en dagelijks bestuur en kascommissie, zoals Oost voor "
        "Elkaar ze gebruikt. Vrij te gebruiken en aan te passen.",
        "https://www.samen030.nl/kennis/modelstatuten",
        ("statuten", "bestuur"),
    ),
    (
        "samen030",
        "pilot_idea",
        "Pilot: boodschappenhulp met de buurtsuper",
        "Vrijwilligers halen boodschappen op die leden telefonisch bij de buurtsuper bestellen. "
        "Ervaringen na een half jaar in Oost.",
        "https://www.samen030.nl/kennis/pilot-boodschappenhulp",
        ("boodschappen", "pilot"),
    ),
    (
        "500wijk",
        "subsidy",
        "Gedeelde besparing: afspraken met gemeente en zorgverzekeraar",
        "Hoe een wijkcoöperatie met gemeente, zorgverzekeraar en zorgkantoor afspraken maakt "
        "over Triple Aim en gedeelde besparing.",
        "https://www.500wijkcooperaties.nl/kennis/gedeelde-besparing",
        ("triple aim", "financiering"),
    ),
    (
        "500wijk",
        "project_plan",
        "Projectplan: van initiatief naar volwassen wijkcoöperatie",
        "Stappen, rollen en een begroting voor de eerste drie jaar.",
        "https://www.500wijkcooperaties.nl/kennis/projectplan",
        ("oprichting",),
    ),
)


def _documents(networks: dict[str, Network]) -> None:
    from tenants.knowledge.models import Document

    for slug, kind, title, summary, link, tags in DOCUMENTS:
        Document.objects.get_or_create(
            network=networks[slug],
            title=title,
            defaults={
                "kind": kind,
                "summary": summary,
                "link": link,
                "tags": list(tags),
                "status": Document.Status.PUBLISHED,
                "published_at": timezone.now(),
            },
        )


def networks_demo_seed(*, password: str) -> list[str]:
    """Networks, tiers, memberships and places; returns lines for the console."""
    networks = _networks()
    _extra_cooperatives(password)
    members: dict[str, list[str]] = {slug: list(DIRECT_MEMBERS[slug]) for slug in networks}
    for slug, _name, _place, _lat, _lon, direct in EXTRA_COOPERATIVES:
        for network_slug in direct:
            members[network_slug].append(slug)
    lines = []
    for network_slug, slugs in members.items():
        network = networks[network_slug]
        for cooperative in Cooperative.objects.filter(slug__in=slugs):
            _member(network, cooperative)
        lines.append(f"Netwerk {network.name} (code {network_slug}): {', '.join(sorted(slugs))}")
    _documents(networks)
    _figures()
    return lines


def _figures() -> None:
    """The nightly run, once now, so the networks' pages have figures from the start (each
    cooperative's own data; the small demo cooperatives' cells are mostly suppressed, as a
    new cooperative's would be)."""
    from tenants.figures.services import figures_run

    for cooperative in Cooperative.objects.filter(network_memberships__status="active").distinct():
        figures_run(cooperative=cooperative)
