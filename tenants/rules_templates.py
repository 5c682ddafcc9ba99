"""The rules templates a new cooperative can start from, taken from the seed documents.

Plain data: provisioning writes it into the new schema as Cluster and Rulebook records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ClusterSpec:
    name: str
    compensation: str  # "free" | "euros" | "points"
    description: str = ""
    # Requests here are about care (cooperatives.carelog logs who reads them).
    holds_care: bool = False


@dataclass(frozen=True)
class RulesTemplate:
    key: str
    label: str
    summary: str
    clusters: tuple[ClusterSpec, ...] = ()
    rules: dict[str, object] = field(default_factory=dict)


OOST_DISCLAIMER = (
    "De wijkcoöperatie is niet aansprakelijk voor schade aan uw eigendommen, daar het geen "
    "professionele dienstverlening betreft. Het heeft de kenmerken van een vriendendienst."
)

TEMPLATES: dict[str, RulesTemplate] = {
    t.key: t
    for t in (
        RulesTemplate(
            key="wij",
            label="WIJ-coöperatie (tijdpunten)",
            summary=(
                "Wie iets voor een ander doet, krijgt daar punten voor. Vijf clusters, "
                "10 startpunten, een half uur is 1 punt, saldo tussen -20 en +20."
            ),
            clusters=(
                ClusterSpec(
                    "Beheer en onderhoud van woning en woonomgeving",
                    "points",
                    "Klussen in en om het huis, ook energie besparen.",
                ),
                ClusterSpec("Zorg en aandacht voor elkaar", "points", holds_care=True),
                ClusterSpec("(Auto)vervoer", "points"),
                ClusterSpec("Maaltijden maken en verstrekken", "points"),
                ClusterSpec("Administratie", "points"),
            ),
            rules={
                "points_per_hour": Decimal("2"),
                "starter_points": 10,
                "min_balance": -20,
                "max_balance": 20,
                "recipient_approves_quality": True,
            },
        ),
        RulesTemplate(
            key="oost",
            label="Oost voor Elkaar (gratis diensten en klussen à EUR 4,50 per uur)",
            summary=(
                "Gratis diensten (wandelen, thuisbezoek, boodschappen, afval wegbrengen) en "
                "klussen (reparaties, tuin, vervoer) à € 4,50 per uur; één dienst per keer, "
                "maximaal 2 uur (grotere klussen gaan naar partners tegen een sociaal tarief), "
                "terugkoppeling binnen een week."
            ),
            clusters=(
                ClusterSpec("Wandelen", "free"),
                ClusterSpec("Thuisbezoek en praatje", "free", holds_care=True),
                ClusterSpec("Boodschappen", "free"),
                ClusterSpec("Afval wegbrengen", "free"),
                ClusterSpec("Reparaties", "euros"),
                ClusterSpec("Tuin", "euros"),
                ClusterSpec("Vervoer", "euros"),
            ),
            rules={
                "euro_rate_per_hour": Decimal("4.50"),
                "max_service_hours": Decimal("2"),
                # "Voor grote en veel klussen hebben we afspraken gemaakt met deze ondernemers
                # in de wijk over maatschappelijke tarieven": a klus longer than a service may
                # last goes to the partners, with their contact details and social rates.
                "partner_referral_hours": Decimal("2"),
                "max_open_services": 1,
                "feedback_days": 7,
                "klus_needs_network_check": True,
                "no_competition_with_social_enterprises": True,
                "liability_disclaimer": OOST_DISCLAIMER,
            },
        ),
        RulesTemplate(
            key="leeg",
            label="Leeg",
            summary="Geen clusters en geen spelregels: u stelt alles zelf in.",
        ),
    )
}


def choices() -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in TEMPLATES.values()]
