"""The cooperative's set-up: neighbourhoods, clusters and partners."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cluster, Member, Neighbourhood, Partner, Role, RoleAssignment
from cooperatives.services.common import actor_id, clean_tags
from cooperatives.services.rules import rule_values, rulebook_latest, rulebook_revise
from shared.audit.services import audit_changes, audit_record

_POSTCODE_AREA = re.compile(r"^[1-9][0-9]{3}([A-Z]{2})?$")


def _fields(obj: Any, names: list[str]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names}


# --- neighbourhoods ----------------------------------------------------------------------------

NEIGHBOURHOOD_FIELDS = ["name", "network_name", "contact", "postcodes", "streets"]


def _clean_neighbourhood(
    *, name: str, postcodes: list[str] | str, streets: list[str] | str, exclude_pk: int | None
) -> tuple[str, list[str], list[str]]:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Vul de naam van de buurt in.")]}, code="required")
    clash = Neighbourhood.objects.annotate(n=Lower("name")).filter(n=name.lower())
    if clash.exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": [_("Er is al een buurt met deze naam.")]}, code="taken")
    codes = [c.replace(" ", "").upper() for c in clean_tags(postcodes, max_length=8)]
    bad = [c for c in codes if not _POSTCODE_AREA.match(c)]
    if bad:
        raise ValidationError(
            {
                "postcodes": [
                    _(
                        "Ongeldige postcode: %(codes)s. Gebruik 4 cijfers (3581) "
                        "of een hele postcode (3581AB)."
                    )
                    % {"codes": ", ".join(bad)}
                ]
            },
            code="invalid",
        )
    return name, codes, [s.lower() for s in clean_tags(streets, max_length=120)]


def _set_assistants(*, neighbourhood: Neighbourhood, assistants: list[Member], actor: Any) -> None:
    neighbourhood.assistants.set(assistants)
    for member in assistants:
        RoleAssignment.objects.get_or_create(
            member=member,
            role=Role.NEIGHBOURHOOD_ASSISTANT,
            defaults={"assigned_by_id": actor_id(actor)},
        )


@transaction.atomic
def neighbourhood_create(
    *,
    actor: Any,
    name: str,
    network_name: str = "",
    contact: str = "",
    postcodes: list[str] | str = (),
    streets: list[str] | str = (),
    assistants: list[Member] = (),
) -> Neighbourhood:
    name, codes, street_names = _clean_neighbourhood(
        name=name, postcodes=postcodes, streets=streets, exclude_pk=None
    )
    neighbourhood = Neighbourhood.objects.create(
        name=name,
        network_name=network_name.strip(),
        contact=contact.strip(),
        postcodes=codes,
        streets=street_names,
        position=Neighbourhood.objects.count(),
    )
    _set_assistants(neighbourhood=neighbourhood, assistants=list(assistants), actor=actor)
    audit_record(
        actor_id=actor_id(actor),
        action="neighbourhood.create",
        target=neighbourhood,
        summary=f"Buurt {name} aangemaakt",
    )
    return neighbourhood


@transaction.atomic
def neighbourhood_update(
    *,
    actor: Any,
    neighbourhood: Neighbourhood,
    name: str,
    network_name: str = "",
    contact: str = "",
    postcodes: list[str] | str = (),
    streets: list[str] | str = (),
    assistants: list[Member] | None = None,
) -> Neighbourhood:
    before = _fields(neighbourhood, NEIGHBOURHOOD_FIELDS)
    before["assistants"] = sorted(neighbourhood.assistants.values_list("pk", flat=True))
    name, codes, street_names = _clean_neighbourhood(
        name=name, postcodes=postcodes, streets=streets, exclude_pk=neighbourhood.pk
    )
    neighbourhood.name, neighbourhood.network_name = name, network_name.strip()
    neighbourhood.contact, neighbourhood.postcodes, neighbourhood.streets = (
        contact.strip(),
        codes,
        street_names,
    )
    neighbourhood.save()
    if assistants is not None:
        _set_assistants(neighbourhood=neighbourhood, assistants=list(assistants), actor=actor)
    after = _fields(neighbourhood, NEIGHBOURHOOD_FIELDS)
    after["assistants"] = sorted(neighbourhood.assistants.values_list("pk", flat=True))
    audit_record(
        actor_id=actor_id(actor),
        action="neighbourhood.update",
        target=neighbourhood,
        summary=f"Buurt {name} gewijzigd",
        changes=audit_changes(before, after),
    )
    return neighbourhood


def neighbourhood_for_address(*, postcode: str, street: str) -> Neighbourhood | None:
    """The buurt an address belongs to: a full postcode first, then its 4-digit area, then
    the street name."""
    postcode = (postcode or "").replace(" ", "").upper()
    candidates = list(Neighbourhood.objects.only("id", "postcodes", "streets", "position", "name"))
    if postcode:
        for code in (postcode, postcode[:4]):
            for n in candidates:
                if code in n.postcodes:
                    return n
    street = " ".join((street or "").split()).lower()
    if street:
        for n in candidates:
            if street in n.streets:
                return n
    return None


# --- clusters ----------------------------------------------------------------------------------


def _clean_cluster_name(name: str, exclude_pk: int | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Vul de naam van het cluster in.")]}, code="required")
    if (
        Cluster.objects.annotate(n=Lower("name"))
        .filter(n=name.lower())
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise ValidationError({"name": [_("Er is al een cluster met deze naam.")]}, code="taken")
    return name


@transaction.atomic
def cluster_create(
    *, actor: Any, name: str, description: str = "", compensation: str, adopted_by: str = ""
) -> Cluster:
    """A new cluster. How it is compensated is a house rule, so this also makes a new
    rulebook version (in force today) that adds the cluster."""
    name = _clean_cluster_name(name, None)
    cluster = Cluster.objects.create(
        name=name, description=description.strip(), position=Cluster.objects.count()
    )
    compensation_map = dict(rule_values(rulebook_latest())["cluster_compensation"])
    compensation_map[str(cluster.pk)] = compensation
    try:
        rulebook_revise(
            actor=actor,
            changes={"cluster_compensation": compensation_map},
            adopted_by=adopted_by or f"Nieuw cluster: {name}",
        )
    except ValidationError as e:
        raise ValidationError(
            {"compensation": [_("Kies hoe diensten in dit cluster worden vergoed.")]}
        ) from e
    audit_record(
        actor_id=actor_id(actor),
        action="cluster.create",
        target=cluster,
        summary=f"Cluster {name} aangemaakt ({compensation})",
    )
    return cluster


@transaction.atomic
def cluster_update(*, actor: Any, cluster: Cluster, name: str, description: str = "") -> Cluster:
    before = _fields(cluster, ["name", "description"])
    cluster.name = _clean_cluster_name(name, cluster.pk)
    cluster.description = description.strip()
    cluster.save(update_fields=["name", "description"])
    audit_record(
        actor_id=actor_id(actor),
        action="cluster.update",
        target=cluster,
        summary=f"Cluster {cluster.name} gewijzigd",
        changes=audit_changes(before, _fields(cluster, ["name", "description"])),
    )
    return cluster


@transaction.atomic
def cluster_set_active(*, actor: Any, cluster: Cluster, active: bool) -> Cluster:
    """Retire a cluster (it stays, with its history) or bring it back."""
    cluster.is_active = active
    cluster.retired_at = None if active else timezone.now()
    cluster.save(update_fields=["is_active", "retired_at"])
    audit_record(
        actor_id=actor_id(actor),
        action="cluster.reactivate" if active else "cluster.retire",
        target=cluster,
        summary=f"Cluster {cluster.name} {'weer actief' if active else 'buiten gebruik'}",
    )
    return cluster


# --- partners ----------------------------------------------------------------------------------

PARTNER_FIELDS = [
    "name",
    "kind",
    "services",
    "contact_name",
    "phone",
    "email",
    "website",
    "is_active",
]


@transaction.atomic
def partner_save(
    *,
    actor: Any,
    partner: Partner | None = None,
    social_rate: Decimal | None = None,
    **fields: Any,
) -> Partner:
    """Create (partner=None) or update a partner. A changed social rate is a house rule and
    makes a new rulebook version."""
    name = " ".join((fields.get("name") or "").split())
    if not name:
        raise ValidationError({"name": [_("Vul de naam van de partner in.")]}, code="required")
    if (
        Partner.objects.annotate(n=Lower("name"))
        .filter(n=name.lower())
        .exclude(pk=getattr(partner, "pk", None))
        .exists()
    ):
        raise ValidationError({"name": [_("Er is al een partner met deze naam.")]}, code="taken")
    if social_rate is not None and social_rate < 0:
        raise ValidationError({"social_rate": [_("Een tarief kan niet negatief zijn.")]})
    fields["name"] = name
    creating = partner is None
    before = {} if creating else _fields(partner, PARTNER_FIELDS)
    partner = partner or Partner()
    for key, value in fields.items():
        if key in PARTNER_FIELDS:
            setattr(partner, key, value.strip() if isinstance(value, str) else value)
    try:
        partner.save()
    except IntegrityError:
        raise ValidationError({"name": [_("Er is al een partner met deze naam.")]}) from None
    rates = dict(rule_values(rulebook_latest())["partner_rates"])
    new_rate = None if social_rate is None else f"{social_rate:.2f}"
    if rates.get(str(partner.pk)) != new_rate:
        if new_rate is None:
            rates.pop(str(partner.pk), None)
        else:
            rates[str(partner.pk)] = new_rate
        rulebook_revise(
            actor=actor, changes={"partner_rates": rates}, adopted_by=f"Sociaal tarief van {name}"
        )
    audit_record(
        actor_id=actor_id(actor),
        action="partner.create" if creating else "partner.update",
        target=partner,
        summary=f"Partner {name} {'toegevoegd' if creating else 'gewijzigd'}",
        changes=audit_changes(before, _fields(partner, PARTNER_FIELDS)),
    )
    return partner
