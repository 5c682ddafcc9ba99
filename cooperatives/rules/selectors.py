"""Reads of the house rules and rates: which version is in force, every version, and a
version in words for the pages and the API.

Every member may read every version, so there is no viewer to narrow them by: the schema the
request runs in is the cooperative's own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperatives.rules.models import (
    DAY_FIELDS,
    EURO_FIELDS,
    HOUR_FIELDS,
    PERCENT_FIELDS,
    RULE_FIELDS,
    Compensation,
    Rulebook,
)
from cooperatives.setup.models import Cluster, Partner


def rulebook_current(*, on: dt.date | None = None) -> Rulebook | None:
    """The version in force on a date (today by default): the highest version whose
    effective date has come."""
    on = on or timezone.localdate()
    return Rulebook.objects.filter(effective_from__lte=on).order_by("-version").first()


def rulebook_pays_in(*, rulebook: Rulebook | None, kind: str) -> bool:
    """Whether ``rulebook`` pays help in ``kind`` ("points" or "euros"): some cluster is
    compensated that way (alone or with the other) and the rules set its rate. The menu shows
    "Mijn punten" and "Mijn klussen" only where this holds."""
    if rulebook is None or kind not in (Compensation.POINTS, Compensation.EUROS):
        return False
    rate = rulebook.points_per_hour if kind == Compensation.POINTS else rulebook.euro_rate_per_hour
    kinds = set((rulebook.cluster_compensation or {}).values())
    return bool(rate) and bool(kinds & {kind, Compensation.BOTH})


def rulebook_latest() -> Rulebook | None:
    """The newest version, also when its effective date is still to come."""
    return Rulebook.objects.order_by("-version").first()


def rulebook_history() -> QuerySet[Rulebook]:
    """Every version, newest first."""
    return Rulebook.objects.select_related("decision").order_by("-version")


def rulebook_get(*, version: int) -> Rulebook | None:
    return rulebook_history().filter(version=version).first()


def rulebook_values(*, rulebook: Rulebook | None) -> dict[str, Any]:
    """The rules of a version (of RULE_FIELDS); without one, the defaults a first version
    starts from."""
    source = rulebook if rulebook is not None else Rulebook()
    return {f: getattr(source, f) for f in RULE_FIELDS}


def rulebook_reading_context() -> dict[str, Any]:
    """What the API's rulebook serializer reads besides the version itself: the version in
    force and the names of clusters and partners, loaded once instead of once per version."""
    current = rulebook_current()
    return {
        "current_version": current.version if current else None,
        "today": timezone.localdate(),
        "cluster_names": dict(Cluster.objects.values_list("pk", "name")),
        "partner_names": dict(Partner.objects.values_list("pk", "name")),
    }


# --- in words, for pages and the preview ---------------------------------------------------------


def rule_display(field: str, value: Any) -> str:
    """One rule value in plain Dutch: 'ja', '€ 4,50', '2 uur', 'geen regel'."""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if value in (None, ""):
        return _("geen regel")
    if field in EURO_FIELDS:
        return f"€ {formats.number_format(value, 2)}"
    if field in PERCENT_FIELDS:
        return f"{floatformat(value, -2)} %"
    if field in HOUR_FIELDS:
        return _("%(n)s uur") % {"n": floatformat(value, -1)}
    if field in DAY_FIELDS:
        return ngettext("%(n)s dag", "%(n)s dagen", value) % {"n": value}
    if isinstance(value, Decimal):
        return floatformat(value, -2)
    return str(value)


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _rate(value: str | None) -> Decimal | None:
    # Social rates are kept as text ("12.50"); none means the partner has no rate.
    return Decimal(value) if value else None


def _per_key_rows(field: str, old: Any, new: Any) -> list[dict[str, Any]]:
    """One row per cluster or partner whose rule changes, with its name as it is now."""
    if field == "cluster_compensation":
        names = dict(Cluster.objects.values_list("pk", "name"))
        kind = _("Vergoeding: %(name)s")
    else:
        names = dict(Partner.objects.values_list("pk", "name"))
        kind = _("Sociaal tarief: %(name)s")
    compensation = dict(Compensation.choices)
    rows = []
    for key in sorted(set(old or {}) | set(new or {}), key=int):
        before, after = (old or {}).get(key), (new or {}).get(key)
        if before == after:
            continue
        name = names.get(int(key), _("verwijderd (%(id)s)") % {"id": key})
        if field == "cluster_compensation":
            shown = [str(compensation.get(v, v)) if v else _("geen regel") for v in (before, after)]
        else:
            shown = [rule_display("euro_rate_per_hour", _rate(v)) for v in (before, after)]
        rows.append(
            {
                "field": field,
                "key": key,
                "label": kind % {"name": name},
                "old": shown[0],
                "new": shown[1],
                "old_value": before,
                "new_value": after,
            }
        )
    return rows


def rulebook_diff_readable(*, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A revision's changes (rules.services.rulebook_diff) in words: per cluster and per
    partner one row with its name, values as rule_display shows them. Each row keeps the raw
    values (JSON-safe) for the API."""
    rows = []
    for change in changes:
        field, old, new = change["field"], change["old"], change["new"]
        if field in ("cluster_compensation", "partner_rates"):
            rows.extend(_per_key_rows(field, old, new))
            continue
        rows.append(
            {
                "field": field,
                "key": None,
                "label": change["label"],
                "old": rule_display(field, old),
                "new": rule_display(field, new),
                "old_value": _jsonable(old),
                "new_value": _jsonable(new),
            }
        )
    return rows


def rulebook_clusters(*, rulebook: Rulebook) -> list[dict[str, Any]]:
    """The compensation per cluster in this version, in the clusters' order, with their
    names as they are now (a used cluster is retired, never deleted)."""
    labels = dict(Compensation.choices)
    mapping: dict[str, str] = rulebook.cluster_compensation or {}
    clusters = Cluster.objects.filter(pk__in=[int(k) for k in mapping if k.isdigit()])
    return [
        {
            "cluster_id": c.pk,
            "name": c.name,
            "is_active": c.is_active,
            "compensation": mapping[str(c.pk)],
            "label": str(labels.get(mapping[str(c.pk)], mapping[str(c.pk)])),
        }
        for c in clusters
    ]


def rulebook_partners(*, rulebook: Rulebook) -> list[dict[str, Any]]:
    """The partners' social rates in this version, by partner name."""
    rates: dict[str, str] = rulebook.partner_rates or {}
    partners = Partner.objects.filter(pk__in=[int(k) for k in rates if k.isdigit()])
    return [
        {
            "partner_id": p.pk,
            "name": p.name,
            "social_rate": rates[str(p.pk)],
            "display": rule_display("euro_rate_per_hour", Decimal(rates[str(p.pk)])),
        }
        for p in partners
    ]


def rulebook_decision_wording(
    *, version: int, effective_from: dt.date, rows: list[dict[str, Any]]
) -> tuple[str, str]:
    """Title and text of a decision recorded with a rule change (stored in Dutch, as the
    register is kept)."""
    title = f"Spelregels en tarieven: versie {version}"
    lines = [f"De spelregels worden gewijzigd, geldig vanaf {effective_from:%d-%m-%Y}:"]
    lines += [f"- {row['label']}: van {row['old']} naar {row['new']}" for row in rows]
    return title, "\n".join(lines)


def rulebook_adopted_by(*, decision: Any) -> Rulebook | None:
    """The version a decision adopted (None: it adopted none)."""
    return Rulebook.objects.select_related("decision").filter(decision=decision).first()
