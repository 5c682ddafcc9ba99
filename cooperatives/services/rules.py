"""House rules and rates: every change is a new rulebook version with its own effective date;
nothing that was decided before is rewritten."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cluster, Compensation, Partner, Rulebook
from cooperatives.services.common import actor_id
from shared.audit.services import audit_record

# The fields of a version that a revision may change (the rest is bookkeeping).
RULE_FIELDS = (
    "euro_rate_per_hour",
    "points_per_hour",
    "max_service_hours",
    "max_open_services",
    "feedback_days",
    "klus_needs_network_check",
    "partner_referral_hours",
    "recipient_approves_quality",
    "starter_points",
    "min_balance",
    "max_balance",
    "share_points_percent",
    "share_euro_percent",
    "no_competition_with_social_enterprises",
    "liability_disclaimer",
    "cluster_compensation",
    "partner_rates",
)


def rulebook_current(*, on: dt.date | None = None) -> Rulebook | None:
    """The version in force on a date (today by default): the highest version whose
    effective date has come."""
    on = on or timezone.localdate()
    return Rulebook.objects.filter(effective_from__lte=on).order_by("-version").first()


def rulebook_latest() -> Rulebook | None:
    """The newest version, also when its effective date is still to come."""
    return Rulebook.objects.order_by("-version").first()


def rule_values(rulebook: Rulebook | None) -> dict[str, Any]:
    if rulebook is None:
        defaults = Rulebook()
        return {f: getattr(defaults, f) for f in RULE_FIELDS}
    return {f: getattr(rulebook, f) for f in RULE_FIELDS}


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValueError(value) from None


def _validate(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    lo, hi, start = (
        values.get("min_balance"),
        values.get("max_balance"),
        values.get("starter_points"),
    )
    if lo is not None and hi is not None and lo > hi:
        add("max_balance", _("Het hoogste saldo moet minstens zo hoog zijn als het laagste."))
    if lo is not None and lo > 0:
        add("min_balance", _("Het laagste saldo mag niet boven 0 liggen."))
    if hi is not None and hi < 0:
        add("max_balance", _("Het hoogste saldo mag niet onder 0 liggen."))
    if start is not None and hi is not None and start > hi:
        add("starter_points", _("Startpunten mogen niet boven het hoogste saldo uitkomen."))
    for field in ("share_points_percent", "share_euro_percent"):
        value = values.get(field)
        if value is not None and not (0 <= value <= 100):
            add(field, _("Een aandeel ligt tussen 0 en 100 procent."))
    for field in ("euro_rate_per_hour", "points_per_hour"):
        value = values.get(field)
        if value is not None and value < 0:
            add(field, _("Een tarief kan niet negatief zijn."))
    for field in ("max_service_hours", "partner_referral_hours"):
        value = values.get(field)
        if value is not None and value <= 0:
            add(field, _("Vul een aantal uren groter dan 0 in, of laat het veld leeg."))
    for field in ("max_open_services", "feedback_days"):
        value = values.get(field)
        if value is not None and value < 1:
            add(field, _("Vul minstens 1 in, of laat het veld leeg."))
    known_clusters = {str(pk) for pk in Cluster.objects.values_list("pk", flat=True)}
    for key, kind in (values.get("cluster_compensation") or {}).items():
        if key not in known_clusters or kind not in Compensation.values:
            add("cluster_compensation", _("Onbekend cluster of onbekende vergoeding."))
            break
    known_partners = {str(pk) for pk in Partner.objects.values_list("pk", flat=True)}
    for key, rate in (values.get("partner_rates") or {}).items():
        try:
            ok = key in known_partners and _decimal(rate) is not None and _decimal(rate) >= 0
        except ValueError:
            ok = False
        if not ok:
            add("partner_rates", _("Onbekende partner of ongeldig sociaal tarief."))
            break
    if errors:
        raise ValidationError(errors)


def rulebook_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """What a revision changes, field by field, for the board's preview."""
    labels = {
        f.name: str(f.verbose_name)
        for f in Rulebook._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    changes = []
    for field in RULE_FIELDS:
        if old.get(field) != new.get(field):
            changes.append(
                {
                    "field": field,
                    "label": labels.get(field, field),
                    "old": old.get(field),
                    "new": new.get(field),
                }
            )
    return changes


@transaction.atomic
def rulebook_revise(
    *,
    actor: object | None,
    changes: dict[str, Any],
    effective_from: dt.date | None = None,
    adopted_by: str = "",
) -> Rulebook:
    """Make the next version: the newest one with ``changes`` applied, in force from
    ``effective_from`` (today or later: the past is never rewritten)."""
    today = timezone.localdate()
    effective_from = effective_from or today
    if effective_from < today:
        raise ValidationError(
            {"effective_from": [_("Een nieuwe versie kan niet met terugwerkende kracht ingaan.")]}
        )
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": [_("Onbekende regels: %(f)s") % {"f": ", ".join(sorted(unknown))}]}
        )
    # Lock the newest version so two revisions at once cannot both become version N+1.
    latest = Rulebook.objects.select_for_update().order_by("-version").first()
    values = {**rule_values(latest), **changes}
    _validate(values)
    if latest is not None and not rulebook_diff(rule_values(latest), values):
        raise ValidationError(
            {"__all__": [_("Er is niets gewijzigd ten opzichte van de huidige versie.")]}
        )
    rulebook = Rulebook.objects.create(
        version=(latest.version + 1) if latest else 1,
        effective_from=effective_from,
        adopted_by=adopted_by[:200],
        created_by_id=actor_id(actor),
        **values,
    )
    audit_record(
        actor_id=actor_id(actor),
        action="rulebook.revise",
        target=rulebook,
        summary=f"Spelregels v{rulebook.version}, geldig vanaf {effective_from:%d-%m-%Y}",
        changes={
            c["field"]: [str(c["old"]), str(c["new"])]
            for c in rulebook_diff(rule_values(latest), values)
        },
    )
    return rulebook
