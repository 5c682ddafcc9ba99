"""House rules and rates: every change is a new rulebook version with its own effective date;
nothing that was decided before is rewritten."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import connection, models, transaction
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperatives.rules.models import Compensation, Rulebook
from cooperatives.setup.models import Cluster, Partner
from shared.audit.services import audit_record
from shared.validation import actor_id

# The fields of a version that a revision may change (the rest is bookkeeping).
RULE_FIELDS = (
    "euro_rate_per_hour",
    "points_per_hour",
    "max_service_hours",
    "max_open_services",
    "feedback_days",
    "request_reminder_days",
    "request_expiry_days",
    "offer_renewal_days",
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
EURO_FIELDS = frozenset({"euro_rate_per_hour"})
PERCENT_FIELDS = frozenset({"share_points_percent", "share_euro_percent"})
HOUR_FIELDS = frozenset({"max_service_hours", "partner_referral_hours"})
DAY_FIELDS = ("feedback_days", "request_reminder_days", "request_expiry_days", "offer_renewal_days")


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


# --- bringing input to the stored types --------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    """'4,50', '4.50', 4.5 → Decimal; empty → None; anything else → ValueError."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def _to_decimal(field: models.DecimalField, value: Any) -> Decimal | None:
    try:
        number = _decimal(value)
    except ValueError:
        raise ValidationError(_("Vul een getal in, bijvoorbeeld 4,50.")) from None
    if number is None:
        if not field.null:
            raise ValidationError(_("Vul een getal in (0 als er niets geldt)."))
        return None
    # "4.500" is fine, "4.555" is not: only real decimals beyond the field's places count.
    DecimalValidator(field.max_digits, field.decimal_places)(number.normalize())
    return number.quantize(Decimal(1).scaleb(-field.decimal_places))


def _to_int(field: models.IntegerField, value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        if isinstance(value, (bool, float)):
            raise ValueError(value)
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("Vul een heel getal in.")) from None
    # Negative values of positive fields get their own message in _validate.
    highest = connection.ops.integer_field_range(field.get_internal_type())[1]
    if highest is not None and abs(number) > highest:
        raise ValidationError(_("Dit getal is te groot."))
    return number


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "ja", "on"):
        return True
    if text in ("0", "false", "nee", "off", ""):
        return False
    raise ValidationError(_("Kies ja of nee."))


def _to_mapping(value: Any) -> dict[str, Any]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(_("Geef per onderdeel een waarde op."))
    return {str(k): v for k, v in value.items()}


def _to_partner_rates(value: Any) -> dict[str, str]:
    rates = {}
    for key, rate in _to_mapping(value).items():
        try:
            number = _decimal(rate)
        except ValueError:
            raise ValidationError(_("Onbekende partner of ongeldig sociaal tarief.")) from None
        if number is not None:  # empty: this partner has no social rate
            DecimalValidator(8, 2)(number.normalize())
            rates[key] = f"{number:.2f}"
    return rates


def _coerce(changes: dict[str, Any]) -> dict[str, Any]:
    """Each value in the type its field stores, so the page (decimal comma), the API (JSON)
    and other services compare, validate and save alike."""
    out: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in changes.items():
        field = Rulebook._meta.get_field(name)
        try:
            if name == "partner_rates":
                out[name] = _to_partner_rates(value)
            elif name == "cluster_compensation":
                out[name] = {k: str(v) for k, v in _to_mapping(value).items() if v}
            elif isinstance(field, models.DecimalField):
                out[name] = _to_decimal(field, value)
            elif isinstance(field, models.IntegerField):
                out[name] = _to_int(field, value)
            elif isinstance(field, models.BooleanField):
                out[name] = _to_bool(value)
            else:  # the disclaimer; browsers send line ends as \r\n
                out[name] = str(value or "").replace("\r\n", "\n").strip()
        except ValidationError as e:
            errors[name] = e.messages
    if errors:
        raise ValidationError(errors)
    return out


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
    if start is not None and start < 0:
        add("starter_points", _("Startpunten kunnen niet negatief zijn."))
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
    for field in ("max_open_services", *DAY_FIELDS):
        value = values.get(field)
        if value is not None and value < 1:
            add(field, _("Vul minstens 1 in, of laat het veld leeg."))
    reminder, expiry = values.get("request_reminder_days"), values.get("request_expiry_days")
    if reminder and expiry and expiry <= reminder:
        add(
            "request_expiry_days",
            _(
                "Een hulpvraag sluit pas na de herinnering: "
                "kies meer dagen dan voor de herinnering."
            ),
        )
    known_clusters = {str(pk) for pk in Cluster.objects.values_list("pk", flat=True)}
    for key, kind in (values.get("cluster_compensation") or {}).items():
        if key not in known_clusters or kind not in Compensation.values:
            add("cluster_compensation", _("Onbekend cluster of onbekende vergoeding."))
            break
    known_partners = {str(pk) for pk in Partner.objects.values_list("pk", flat=True)}
    for key, rate in (values.get("partner_rates") or {}).items():
        if key not in known_partners or Decimal(rate) < 0:
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


def _prepare(
    *, latest: Rulebook | None, changes: dict[str, Any], effective_from: dt.date | None
) -> tuple[dict[str, Any], dt.date]:
    """The values and date of the next version after ``latest``, or a ValidationError with
    every problem at once."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    # The next version carries the rules of a version that is still scheduled: starting
    # earlier would put those in force before the date they were decided for.
    earliest = max(today, latest.effective_from) if latest else today
    effective_from = effective_from or earliest
    if effective_from < today:
        errors["effective_from"] = [
            _("Een nieuwe versie kan niet met terugwerkende kracht ingaan.")
        ]
    elif effective_from < earliest:
        errors["effective_from"] = [
            _("Versie %(v)s gaat pas in op %(d)s; een nieuwe versie kan niet eerder ingaan.")
            % {"v": latest.version, "d": formats.date_format(latest.effective_from)}
        ]
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        errors["__all__"] = [_("Onbekende regels: %(f)s") % {"f": ", ".join(sorted(unknown))}]
    values = rule_values(latest)
    try:
        values.update(_coerce({k: v for k, v in changes.items() if k in RULE_FIELDS}))
        _validate(values)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    if latest is not None and not rulebook_diff(rule_values(latest), values):
        message = _("Er is niets gewijzigd ten opzichte van de huidige versie.")
        raise ValidationError({"__all__": [ValidationError(message, code="no_changes")]})
    return values, effective_from


def rulebook_preview(
    *, changes: dict[str, Any], effective_from: dt.date | None = None
) -> list[dict[str, Any]]:
    """Check a revision exactly as rulebook_revise would and return what it changes
    against the version in force today, without saving anything."""
    values, _date = _prepare(
        latest=rulebook_latest(), changes=changes, effective_from=effective_from
    )
    return rulebook_diff(rule_values(rulebook_current()), values)


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def rulebook_revise(
    *,
    actor: object | None,
    changes: dict[str, Any],
    effective_from: dt.date | None = None,
    adopted_by: str = "",
    based_on: int | None = None,
) -> Rulebook:
    """Make the next version: the newest one with ``changes`` applied, in force from
    ``effective_from``: today or later, the past is never rewritten, and not before a version
    that is still scheduled (that is also the default then; otherwise today).

    ``based_on`` is the version the board looked at (0: none yet); when another version was
    made since, the revision is refused rather than silently undoing that one.
    """
    # Two revisions at once must not both become version N+1. A row lock on the newest
    # version is not enough: the waiting transaction would still read the old newest row,
    # not the one the first inserted. The table lock (this cooperative's own table) is held
    # to the commit, and the read below then sees every version committed before it.
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Rulebook._meta.db_table)
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    latest = rulebook_latest()
    if based_on is not None and based_on != (latest.version if latest else 0):
        message = _(
            "Intussen is versie %(v)s vastgesteld. Bekijk de wijzigingen opnieuw voordat u ze "
            "vaststelt."
        ) % {"v": latest.version if latest else 0}
        raise ValidationError({"__all__": [ValidationError(message, code="stale")]})
    values, effective_from = _prepare(latest=latest, changes=changes, effective_from=effective_from)
    rulebook = Rulebook.objects.create(
        version=(latest.version + 1) if latest else 1,
        effective_from=effective_from,
        adopted_by=" ".join(adopted_by.split())[:200],
        created_by_id=actor_id(actor),
        **values,
    )
    audit_record(
        actor_id=actor_id(actor),
        action="rulebook.revise",
        target=rulebook,
        summary=f"Spelregels v{rulebook.version}, geldig vanaf {effective_from:%d-%m-%Y}",
        changes={
            c["field"]: [_jsonable(c["old"]), _jsonable(c["new"])]
            for c in rulebook_diff(rule_values(latest), values)
        },
    )
    return rulebook


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


def rulebook_diff_readable(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """rulebook_diff in words: per cluster and per partner one row with its name, values as
    rule_display shows them. Each row keeps the raw values (JSON-safe) for the API."""
    clusters = dict(Cluster.objects.values_list("pk", "name"))
    partners = dict(Partner.objects.values_list("pk", "name"))
    compensation = dict(Compensation.choices)
    rows = []
    for change in changes:
        field, old, new = change["field"], change["old"], change["new"]
        if field in ("cluster_compensation", "partner_rates"):
            names, kind = (
                (clusters, _("Vergoeding: %(name)s"))
                if field == "cluster_compensation"
                else (partners, _("Sociaal tarief: %(name)s"))
            )
            for key in sorted(set(old or {}) | set(new or {}), key=int):
                before, after = (old or {}).get(key), (new or {}).get(key)
                if before == after:
                    continue
                name = names.get(int(key), _("verwijderd (%(id)s)") % {"id": key})
                if field == "cluster_compensation":
                    shown = [
                        str(compensation.get(v, v)) if v else _("geen regel")
                        for v in (before, after)
                    ]
                else:
                    shown = [
                        rule_display("euro_rate_per_hour", _decimal(v)) for v in (before, after)
                    ]
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


def rulebook_clusters(rulebook: Rulebook) -> list[dict[str, Any]]:
    """The compensation per cluster in this version, in the clusters' order, with their
    names as they are now (a used cluster is retired, never deleted)."""
    labels = dict(Compensation.choices)
    mapping = rulebook.cluster_compensation or {}
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


def rulebook_partners(rulebook: Rulebook) -> list[dict[str, Any]]:
    """The partners' social rates in this version, by partner name."""
    rates = rulebook.partner_rates or {}
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
