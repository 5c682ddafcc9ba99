"""Writes of the maps: the board puts its cooperative on the map (a point in the public
registry). The point is the neighbourhood's centre, never a member's address: the form says
so, and the point is checked to lie within the Netherlands."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shared import permissions
from shared.audit.services import audit_changes, audit_record
from shared.tenancy.current import current_cooperative
from shared.validation import field_error
from tenants.maps.outline import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN

PLACE_ACTION = "cooperative.map_place"
PLACE_FIELDS = ("latitude", "longitude")
# Five decimals is about a metre: more than a neighbourhood's centre needs.
QUANTUM = Decimal("0.00001")


def _coordinate(value: Decimal | str | float | None, *, field: str) -> Decimal | None:
    """A typed coordinate: '52,0907' and '52.0907' both read; empty is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise field_error(field, _("Vul een getal in, bijvoorbeeld 52,0907."), "invalid")
    return number.quantize(QUANTUM)


def _check(latitude: Decimal | None, longitude: Decimal | None) -> None:
    if (latitude is None) != (longitude is None):
        field = "longitude" if longitude is None else "latitude"
        raise field_error(
            field,
            _("Vul beide coördinaten in, of laat ze allebei leeg om van de kaart te gaan."),
            "incomplete",
        )
    errors: dict[str, list[ValidationError]] = {}
    if latitude is not None and not LAT_MIN <= latitude <= LAT_MAX:
        field_error(
            "latitude",
            _(
                "Deze plek ligt niet in Nederland: de breedtegraad ligt tussen 50,7 en 53,6 "
                "(bijvoorbeeld 52,09 voor Utrecht)."
            ),
            "outside_netherlands",
        ).update_error_dict(errors)
    if longitude is not None and not LON_MIN <= longitude <= LON_MAX:
        field_error(
            "longitude",
            _(
                "Deze plek ligt niet in Nederland: de lengtegraad ligt tussen 3,3 en 7,3 "
                "(bijvoorbeeld 5,12 voor Utrecht)."
            ),
            "outside_netherlands",
        ).update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def cooperative_place_set(
    *,
    actor: Any,
    latitude: Decimal | str | float | None,
    longitude: Decimal | str | float | None,
) -> Any:
    """The board sets (or, with both empty, clears) where its cooperative is drawn on the maps.
    Whether it is on a network's map or the public one is the cooperative's choice per
    membership; without a point it is on none. Audited in the cooperative's own log."""
    if not permissions.can(actor, "cooperative.manage"):
        raise field_error(None, _("Alleen het bestuur zet de coöperatie op de kaart."), "forbidden")
    cleaned = {
        "latitude": _coordinate(latitude, field="latitude"),
        "longitude": _coordinate(longitude, field="longitude"),
    }
    _check(cleaned["latitude"], cleaned["longitude"])
    cooperative = current_cooperative()
    if cooperative is None:
        raise RuntimeError("cooperative_place_set needs a cooperative's schema")
    before = {name: getattr(cooperative, name) for name in PLACE_FIELDS}
    changed = audit_changes(before, cleaned)
    if changed:
        for name, value in cleaned.items():
            setattr(cooperative, name, value)
        cooperative.save(update_fields=list(PLACE_FIELDS))
        audit_record(
            actor_id=actor.pk,
            action=PLACE_ACTION,
            target=cooperative,
            summary="Plek op de kaart gewijzigd",
            changes=changed,
        )
    return cooperative
