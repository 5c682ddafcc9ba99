"""Writes of the shared-savings parameters: a network's manager saves a new version. Nothing
edits or removes a version (``models.ImmutableRow``); refusals are Dutch ValidationErrors with
a code and leave nothing written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shared.validation import field_error
from tenants.models import Network
from tenants.networks.models import NetworkRole
from tenants.networks.selectors import role_of
from tenants.savings.models import ClusterParameters, SavingsParameters

# Above this an hourly cost is a typing error rather than a tariff (max_digits allows more).
MAX_HOURLY_COST = Decimal("1000")


@dataclass(frozen=True)
class ClusterInput:
    cluster: str
    share: Any
    hourly_cost: Any


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _at(where: str, message: str) -> str:
    """A message about one cluster: "Cluster Vervoer: het uurtarief …"."""
    return where + message[:1].lower() + message[1:] if where else message


def _share(value: Any, field: str, where: str = "") -> Decimal:
    number = _decimal(value)
    if number is None:
        raise field_error(
            field,
            _at(where, _("Vul het vervangingsaandeel in als getal van 0 tot en met 1.")),
            "required",
        )
    if not Decimal(0) <= number <= Decimal(1):
        raise field_error(
            field,
            _at(
                where,
                _(
                    "Het vervangingsaandeel ligt tussen 0 en 1 (bijvoorbeeld 0,6 voor 60 procent "
                    "van de uren)."
                ),
            ),
            "share_out_of_range",
        )
    return number.quantize(Decimal("0.001"))


def _cost(value: Any, field: str, where: str = "") -> Decimal:
    number = _decimal(value)
    if number is None:
        raise field_error(field, _at(where, _("Vul het uurtarief in euro's in.")), "required")
    if number < 0:
        raise field_error(
            field, _at(where, _("Het uurtarief kan niet negatief zijn.")), "negative_cost"
        )
    if number > MAX_HOURLY_COST:
        raise field_error(
            field,
            _at(
                where,
                _("Een uurtarief boven %(max)s euro is vast een tikfout.")
                % {"max": MAX_HOURLY_COST},
            ),
            "cost_too_high",
        )
    return number.quantize(Decimal("0.01"))


def _clusters(rows: Iterable[ClusterInput | Mapping[str, Any]]) -> list[ClusterParameters]:
    checked: list[ClusterParameters] = []
    seen: set[str] = set()
    for row in rows:
        given = row if isinstance(row, ClusterInput) else ClusterInput(**row)
        name = " ".join((given.cluster or "").split())[:80]
        if not name:
            if _decimal(given.share) is None and _decimal(given.hourly_cost) is None:
                continue  # an empty row of the form
            raise field_error(
                "clusters",
                _("Vul bij elk aandeel en uurtarief de naam van het cluster in."),
                "required",
            )
        if name.casefold() in seen:
            raise field_error(
                "clusters",
                _("Het cluster %(name)s staat er twee keer in.") % {"name": name},
                "duplicate_cluster",
            )
        seen.add(name.casefold())
        where = _("Cluster %(name)s: ") % {"name": name}
        checked.append(
            ClusterParameters(
                cluster=name,
                share=_share(given.share, "clusters", where),
                hourly_cost=_cost(given.hourly_cost, "clusters", where),
            )
        )
    return checked


def savings_parameters_set(
    *,
    actor: Any,
    network: Network,
    valid_from: Any,
    share: Any,
    hourly_cost: Any,
    clusters: Iterable[ClusterInput | Mapping[str, Any]] = (),
    source: str = "",
) -> SavingsParameters:
    """Save a new version of the network's parameters: the default share and hourly cost for
    clusters not listed, and per cluster name its own. Only the network's manager may; the
    version number follows the last one (the network's row is locked, so two saves at once
    get two numbers)."""
    if role_of(user=actor, network=network) != NetworkRole.Role.MANAGER:
        raise PermissionDenied(
            _("Alleen een beheerder van het netwerk kan de parameters vaststellen.")
        )
    if valid_from is None or valid_from == "":
        raise field_error(
            "valid_from", _("Vul de datum in vanaf wanneer deze waarden gelden."), "required"
        )
    default_share = _share(share, "share")
    default_cost = _cost(hourly_cost, "hourly_cost")
    rows = _clusters(clusters)
    source = (source or "").strip()
    if len(source) > 1000:
        raise field_error(
            "source", _("De toelichting is te lang (ten hoogste 1000 tekens)."), "too_long"
        )
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()
        last = SavingsParameters.objects.filter(network=network).aggregate(last=Max("version"))
        parameters = SavingsParameters.objects.create(
            network=network,
            version=(last["last"] or 0) + 1,
            valid_from=valid_from,
            share=default_share,
            hourly_cost=default_cost,
            source=source,
            set_by=actor,
            set_by_name=(getattr(actor, "full_name", "") or str(actor))[:150],
        )
        for row in rows:
            row.parameters = parameters
        ClusterParameters.objects.bulk_create(rows)
    return parameters


__all__ = ["ClusterInput", "savings_parameters_set"]
