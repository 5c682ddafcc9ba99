"""The cooperative's set-up: neighbourhoods, clusters and partners."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.governance.effects import Effect
from cooperatives.governance.models import Decision
from cooperatives.members.models import Member, Role, RoleAssignment
from cooperatives.rules.models import Compensation
from cooperatives.rules.selectors import rulebook_latest, rulebook_values
from cooperatives.rules.services import rulebook_revise
from cooperatives.setup.models import Cluster, Neighbourhood, Partner
from shared import permissions
from shared.audit.services import audit_changes, audit_record
from shared.tenancy.current import current_cooperative
from shared.validation import actor_id, clean_tags, field_error

_POSTCODE_AREA = re.compile(r"^[1-9][0-9]{3}([A-Z]{2})?$")


def _fields(obj: Any, names: list[str]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names}


def _refuse(field: str, message: str, code: str = "invalid") -> NoReturn:
    raise field_error(field, message, code)


def _max_length(model: type[models.Model], field: str) -> int:
    """The width of a text column: a longer value is refused with a message, not by the
    database."""
    column = model._meta.get_field(field)
    assert isinstance(column, models.Field) and column.max_length is not None
    return column.max_length


def _name_taken(records: QuerySet[Any], name: str, exclude_pk: int | None) -> bool:
    """Another record (not ``exclude_pk``) already has this name, in any case."""
    clash = records.annotate(n=Lower("name")).filter(n=name.lower())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    return bool(clash.exists())


# --- neighbourhoods ----------------------------------------------------------------------------

NEIGHBOURHOOD_FIELDS = ["name", "network_name", "contact", "postcodes", "streets"]


def _claimed_elsewhere(field: str, values: list[str], exclude_pk: int | None) -> list[str]:
    """Values of ``field`` (postcodes or streets) another buurt already covers: one address
    must lead to one buurt, or members would land in whichever comes first."""
    if not values:
        return []
    others = Neighbourhood.objects.filter(**{f"{field}__overlap": values})
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return [
        f"{value} ({other.name})"
        for other in others
        for value in getattr(other, field)
        if value in values
    ]


def _clean_neighbourhood(
    *, name: str, postcodes: list[str] | str, streets: list[str] | str, exclude_pk: int | None
) -> tuple[str, list[str], list[str]]:
    name = " ".join((name or "").split())
    if not name:
        _refuse("name", _("Vul de naam van de buurt in."), "required")
    if _name_taken(Neighbourhood.objects.all(), name, exclude_pk):
        _refuse("name", _("Er is al een buurt met deze naam."), "taken")
    # Normalise before removing doubles, so "3581 ab" and "3581AB" count as one.
    codes = list(
        dict.fromkeys(c.replace(" ", "").upper() for c in clean_tags(postcodes, max_length=8))
    )
    bad = [c for c in codes if not _POSTCODE_AREA.match(c)]
    if bad:
        _refuse(
            "postcodes",
            _(
                "Ongeldige postcode: %(codes)s. Gebruik 4 cijfers (3581) "
                "of een hele postcode (3581AB)."
            )
            % {"codes": ", ".join(bad)},
        )
    street_names = [s.lower() for s in clean_tags(streets, max_length=120)]
    for field, values, message in (
        ("postcodes", codes, _("Deze postcodes horen al bij een andere buurt: %(taken)s.")),
        ("streets", street_names, _("Deze straten horen al bij een andere buurt: %(taken)s.")),
    ):
        taken = _claimed_elsewhere(field, values, exclude_pk)
        if taken:
            _refuse(field, message % {"taken": ", ".join(taken)}, "taken")
    return name, codes, street_names


def _set_assistants(
    *, neighbourhood: Neighbourhood, assistants: Iterable[Member], actor: Member
) -> None:
    """Assisting a buurt needs the neighbourhood assistant role: give it to whoever lacks it
    (removing someone from a buurt leaves their roles to the board's role page)."""
    assistants = list(assistants)
    if any(m.status != Member.Status.ACTIVE for m in assistants):
        _refuse("assistants", _("Alleen actieve leden kunnen buurtassistent zijn."))
    neighbourhood.assistants.set(assistants)
    for member in assistants:
        roles = set(member.role_assignments.values_list("role", flat=True))
        if Role.NEIGHBOURHOOD_ASSISTANT in roles:
            continue
        RoleAssignment.objects.create(
            member=member, role=Role.NEIGHBOURHOOD_ASSISTANT, assigned_by_id=actor_id(actor)
        )
        member.__dict__.pop("_roles_cache", None)
        audit_record(
            actor_id=actor_id(actor),
            action="member.assign_roles",
            target=member,
            summary=f"Lid #{member.pk} is buurtassistent van {neighbourhood.name}",
            changes={"roles": [sorted(roles), sorted(roles | {Role.NEIGHBOURHOOD_ASSISTANT})]},
        )


def _neighbourhood_state(neighbourhood: Neighbourhood) -> dict[str, Any]:
    state = _fields(neighbourhood, NEIGHBOURHOOD_FIELDS)
    state["assistants"] = sorted(neighbourhood.assistants.values_list("pk", flat=True))
    return state


@transaction.atomic
def neighbourhood_create(
    *,
    actor: Member,
    name: str,
    network_name: str = "",
    contact: str = "",
    postcodes: list[str] | str = "",
    streets: list[str] | str = "",
    assistants: Iterable[Member] = (),
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
    _set_assistants(neighbourhood=neighbourhood, assistants=assistants, actor=actor)
    audit_record(
        actor_id=actor_id(actor),
        action="neighbourhood.create",
        target=neighbourhood,
        summary=f"Buurt {name} aangemaakt",
        changes=audit_changes({}, _neighbourhood_state(neighbourhood)),
    )
    return neighbourhood


@transaction.atomic
def neighbourhood_update(
    *,
    actor: Member,
    neighbourhood: Neighbourhood,
    name: str,
    network_name: str = "",
    contact: str = "",
    postcodes: list[str] | str = "",
    streets: list[str] | str = "",
    assistants: Iterable[Member] | None = None,
) -> Neighbourhood:
    """Replace the buurt's details with these (assistants=None leaves them as they are)."""
    before = _neighbourhood_state(neighbourhood)
    name, codes, street_names = _clean_neighbourhood(
        name=name, postcodes=postcodes, streets=streets, exclude_pk=neighbourhood.pk
    )
    neighbourhood.name = name
    neighbourhood.network_name = network_name.strip()
    neighbourhood.contact = contact.strip()
    neighbourhood.postcodes, neighbourhood.streets = codes, street_names
    neighbourhood.save()
    if assistants is not None:
        _set_assistants(neighbourhood=neighbourhood, assistants=assistants, actor=actor)
    audit_record(
        actor_id=actor_id(actor),
        action="neighbourhood.update",
        target=neighbourhood,
        summary=f"Buurt {name} gewijzigd",
        changes=audit_changes(before, _neighbourhood_state(neighbourhood)),
    )
    return neighbourhood


# --- clusters ----------------------------------------------------------------------------------


def _clean_cluster_name(name: str, exclude_pk: int | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        _refuse("name", _("Vul de naam van het cluster in."), "required")
    if _name_taken(Cluster.objects.all(), name, exclude_pk):
        _refuse("name", _("Er is al een cluster met deze naam."), "taken")
    return name


@transaction.atomic
def cluster_create(
    *,
    actor: Member,
    name: str,
    description: str = "",
    compensation: str,
    decision: Decision | None = None,
    holds_care: bool = False,
) -> Cluster:
    """A new cluster. How it is compensated is a house rule, so this also makes a new
    rulebook version (in force today) that adds the cluster, adopted by ``decision`` (of the
    body that decides on the rules; without it nothing is written)."""
    name = _clean_cluster_name(name, None)
    if compensation not in Compensation.values:
        _refuse("compensation", _("Kies hoe diensten in dit cluster worden vergoed."), "required")
    cluster = Cluster.objects.create(
        name=name,
        description=description.strip(),
        holds_care=bool(holds_care),
        position=Cluster.objects.count(),
    )
    compensation_map = dict(rulebook_values(rulebook=rulebook_latest())["cluster_compensation"])
    compensation_map[str(cluster.pk)] = compensation
    rulebook_revise(
        actor=actor,
        changes={"cluster_compensation": compensation_map},
        decision=decision,
    )
    audit_record(
        actor_id=actor_id(actor),
        action="cluster.create",
        target=cluster,
        summary=f"Cluster {name} aangemaakt ({compensation})",
    )
    return cluster


@transaction.atomic
def cluster_update(
    *,
    actor: Member,
    cluster: Cluster,
    name: str,
    description: str = "",
    holds_care: bool | None = None,
) -> Cluster:
    """Rename or describe a cluster, and (``holds_care`` not None) say whether it is a care
    cluster."""
    before = _fields(cluster, ["name", "description", "holds_care"])
    cluster.name = _clean_cluster_name(name, cluster.pk)
    cluster.description = description.strip()
    if holds_care is not None:
        cluster.holds_care = bool(holds_care)
    cluster.save(update_fields=["name", "description", "holds_care"])
    audit_record(
        actor_id=actor_id(actor),
        action="cluster.update",
        target=cluster,
        summary=f"Cluster {cluster.name} gewijzigd",
        changes=audit_changes(before, _fields(cluster, ["name", "description", "holds_care"])),
    )
    return cluster


@transaction.atomic
def cluster_set_active(*, actor: Member, cluster: Cluster, active: bool) -> Cluster:
    """Retire a cluster (it stays, with its history) or bring it back. Asking for the state
    it already has is refused, so the original retirement date is never overwritten."""
    if cluster.is_active == active:
        if active:
            _refuse("is_active", _("Dit cluster is al in gebruik."), "unchanged")
        _refuse("is_active", _("Dit cluster is al buiten gebruik."), "unchanged")
    cluster.is_active = active
    cluster.retired_at = None if active else timezone.now()
    cluster.save(update_fields=["is_active", "retired_at"])
    audit_record(
        actor_id=actor_id(actor),
        action="cluster.reactivate" if active else "cluster.retire",
        target=cluster,
        summary=f"Cluster {cluster.name} {'weer in gebruik' if active else 'buiten gebruik'}",
        changes={"is_active": [not active, active]},
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


def _parse_rate(value: Decimal | str | None) -> Decimal | None:
    """A euro amount per hour from "12,50", "12.50" or a Decimal; empty means no rate."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        rate = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        rate = Decimal("NaN")
    if not rate.is_finite():
        _refuse("social_rate", _("Vul een bedrag in euro's in, bijvoorbeeld 12,50."))
    if rate < 0:
        _refuse("social_rate", _("Een tarief kan niet negatief zijn."), "negative")
    if rate >= 1000:
        _refuse("social_rate", _("Een tarief per uur ligt onder de € 1000."), "too_high")
    if rate != rate.quantize(Decimal("0.01")):
        _refuse("social_rate", _("Gebruik hoogstens 2 cijfers achter de komma."))
    return rate


def _clean_partner(fields: dict[str, Any], exclude_pk: int | None) -> dict[str, Any]:
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    out["name"] = " ".join((out.get("name") or "").split())
    if not out["name"]:
        _refuse("name", _("Vul de naam van de partner in."), "required")
    if _name_taken(Partner.objects.all(), out["name"], exclude_pk):
        _refuse("name", _("Er is al een partner met deze naam."), "taken")
    if "kind" in out and out["kind"] not in Partner.Kind.values:
        _refuse("kind", _("Kies wijkpartner of sociale onderneming."))
    if out.get("email"):
        try:
            validate_email(out["email"])
        except ValidationError:
            _refuse("email", _("Vul een geldig e-mailadres in, bijvoorbeeld info@buurt.nl."))
    if out.get("website"):
        # People type "buurtbedrijf.nl"; a link needs the scheme.
        if "://" not in out["website"]:
            out["website"] = f"https://{out['website']}"
        try:
            URLValidator(schemes=["http", "https"])(out["website"])
            if len(out["website"]) > _max_length(Partner, "website"):
                raise ValidationError("too long")
        except ValidationError:
            _refuse("website", _("Vul een geldig webadres in, bijvoorbeeld www.buurt.nl."))
    return out


@transaction.atomic
def partner_save(
    *,
    actor: Member | None,
    partner: Partner | None = None,
    social_rate: Decimal | str | None = None,
    decision: Decision | None = None,
    **fields: Any,
) -> Partner:
    """Create (partner=None) or update a partner with ``fields`` (of PARTNER_FIELDS). The
    social rate is an agreement with the partner and a house rule: a changed rate makes a new
    rulebook version, adopted by ``decision`` of the body the statutes name for agreements
    (refused without one), and None removes the partner's rate."""
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise TypeError(f"partner_save() got unknown fields: {sorted(unknown)}")
    fields = _clean_partner(fields, getattr(partner, "pk", None))
    rate = _parse_rate(social_rate)
    creating = partner is None
    partner = partner or Partner()
    rates = dict(rulebook_values(rulebook=rulebook_latest())["partner_rates"])
    before = {} if creating else _fields(partner, PARTNER_FIELDS)
    before["social_rate"] = None if creating else rates.get(str(partner.pk))
    for key, value in fields.items():
        setattr(partner, key, value)
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError:
        _refuse("name", _("Er is al een partner met deze naam."), "taken")
    new_rate = None if rate is None else f"{rate:.2f}"
    if rates.get(str(partner.pk)) != new_rate:
        if new_rate is None:
            rates.pop(str(partner.pk), None)
        else:
            rates[str(partner.pk)] = new_rate
        rulebook_revise(
            actor=actor,
            changes={"partner_rates": rates},
            decision=decision,
            subject="agreements",
        )
    after = {**_fields(partner, PARTNER_FIELDS), "social_rate": new_rate}
    audit_record(
        actor_id=actor_id(actor),
        action="partner.create" if creating else "partner.update",
        target=partner,
        summary=f"Partner {partner.name} {'toegevoegd' if creating else 'gewijzigd'}",
        changes=audit_changes(before, after),
    )
    return partner


def partner_rate_effect_apply(
    *, decision: Decision, proposal: dict[str, Any], actor: Member | None
) -> Effect:
    """A decision's proposal of kind "partner_rate" (an agreement on a partner's social rate)
    put into effect: ``proposal`` is {"partner": id, "social_rate": "12.50" or None}."""
    partner_id = (proposal or {}).get("partner")
    partner = Partner.objects.filter(pk=int(partner_id or 0)).first()
    if partner is None:
        _refuse("partner", _("Deze partner bestaat niet."), "not_found")
    current = _fields(partner, PARTNER_FIELDS)
    rate = proposal.get("social_rate")
    partner_save(actor=actor, partner=partner, social_rate=rate, decision=decision, **current)
    shown = "geen" if rate in (None, "") else f"€ {rate}"
    return Effect(
        kind="partner_rate",
        ref=partner.pk,
        label=f"Sociaal tarief van {partner.name}: {shown}",
    )


# --- the cooperative's own details -------------------------------------------------------------
#
# They live on the cooperative's row in the platform's registry (tenants.Cooperative, public
# schema), because the apex reads them (the search for one's cooperative) and shared.mail reads
# the contact address. The cooperative apps may not import tenants, and need not: the row of
# the cooperative whose schema this is comes from shared.tenancy.current.current_cooperative(),
# the same handle shared.mail uses. So the page, its checks, its permission and its audit stay
# in this feature, next to the buurten whose postcodes they mirror, and the registry model
# keeps its own invariant (saving it forgets the cached host lookups).

DETAIL_FIELDS = ["contact_email", "place", "postcode_areas"]
_AREA = re.compile(r"^[1-9][0-9]{3}$")
# A whole postcode ("3581 AB", its space optional), or anything else up to a separator.
_AREA_TOKEN = re.compile(r"[1-9][0-9]{3}\s?[A-Za-z]{2}\b|[^\s,;]+")
MAX_PLACE_LENGTH = 80


def _clean_contact_email(value: str) -> str:
    email = (value or "").strip().lower()
    if email:
        if len(email) > 254:
            _refuse("contact_email", _("Dit mag hoogstens 254 tekens lang zijn."), "too_long")
        try:
            validate_email(email)
        except ValidationError:
            _refuse("contact_email", _("Vul een geldig e-mailadres in."))
    return email


def _clean_place(value: str) -> str:
    place = " ".join((value or "").split())
    if len(place) > MAX_PLACE_LENGTH:
        _refuse(
            "place",
            _("Dit mag hoogstens %(limit)s tekens lang zijn.") % {"limit": MAX_PLACE_LENGTH},
            "too_long",
        )
    return place


def clean_postcode_areas(value: str | Iterable[str] | None) -> list[str]:
    """Postcode areas as 4 digits, once each and sorted, from "3581, 3582" or a list; a whole
    postcode ("3581 AB") counts for its area."""
    parts = _AREA_TOKEN.findall(value) if isinstance(value, str) else list(value or [])
    areas, wrong = [], []
    for part in (str(p).strip().upper().replace(" ", "") for p in parts):
        if re.fullmatch(r"[1-9][0-9]{3}[A-Z]{2}", part):
            part = part[:4]
        if _AREA.match(part):
            areas.append(part)
        elif part:
            wrong.append(part)
    if wrong:
        _refuse(
            "postcode_areas",
            _("Geen postcodegebied (4 cijfers, bijvoorbeeld 3581): %(wrong)s")
            % {"wrong": ", ".join(wrong)},
        )
    return sorted(set(areas))


@transaction.atomic
def cooperative_details_update(
    *,
    actor: Member,
    contact_email: str,
    place: str,
    postcode_areas: str | Iterable[str],
) -> Any:
    """The board sets the cooperative's contact address (Reply-To of every email to its
    members), its place and the postcode areas it serves (how people find it from the apex).
    All fields are checked at once; nothing is saved unless all are right. Audited."""
    if not permissions.can(actor, "cooperative.manage"):
        _refuse("contact_email", _("Alleen het bestuur wijzigt deze gegevens."), "forbidden")
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}
    checks = (
        ("contact_email", lambda: _clean_contact_email(contact_email)),
        ("place", lambda: _clean_place(place)),
        ("postcode_areas", lambda: clean_postcode_areas(postcode_areas)),
    )
    for field, check in checks:
        try:
            cleaned[field] = check()
        except ValidationError as e:
            e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    cooperative = current_cooperative()
    if cooperative is None:
        raise RuntimeError("cooperative_details_update needs a cooperative's schema")
    before = _fields(cooperative, DETAIL_FIELDS)
    for field, value in cleaned.items():
        setattr(cooperative, field, value)
    changed = audit_changes(before, cleaned)
    if changed:
        cooperative.save(update_fields=DETAIL_FIELDS)
        audit_record(
            actor_id=actor.pk,
            action="cooperative.details",
            target=cooperative,
            summary="Gegevens van de coöperatie gewijzigd",
            changes=changed,
        )
    return cooperative
