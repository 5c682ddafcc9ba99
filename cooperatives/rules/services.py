"""House rules and rates: every change is a new rulebook version with its own effective date;
nothing that was decided before is rewritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import connection, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cooperatives.decisions.services import decision_adopting
from cooperatives.governance.effects import Effect
from cooperatives.governance.models import Decision
from cooperatives.governance.selectors import body_deciding
from cooperatives.members.models import Member
from cooperatives.rules.models import DAY_FIELDS, RULE_FIELDS, Compensation, Rulebook
from cooperatives.rules.selectors import (
    rulebook_adopted_by,
    rulebook_current,
    rulebook_decision_wording,
    rulebook_diff_readable,
    rulebook_latest,
    rulebook_values,
)
from cooperatives.setup.models import Cluster, Partner
from shared.audit.services import audit_record
from shared.validation import actor_id, field_error

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


def _to_decimal(field: models.DecimalField[Any, Any], value: Any) -> Decimal | None:
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


def _to_int(field: models.IntegerField[Any, Any], value: Any) -> int | None:
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


# Refusals per field, collected so that the board sees every problem at once.
_Problems = dict[str, list[str]]


def _refuse(problems: _Problems, field: str, message: str) -> None:
    problems.setdefault(field, []).append(message)


def _check_balances(values: dict[str, Any], problems: _Problems) -> None:
    lo, hi = values.get("min_balance"), values.get("max_balance")
    start = values.get("starter_points")
    if lo is not None and hi is not None and lo > hi:
        _refuse(
            problems,
            "max_balance",
            _("Het hoogste saldo moet minstens zo hoog zijn als het laagste."),
        )
    if lo is not None and lo > 0:
        _refuse(problems, "min_balance", _("Het laagste saldo mag niet boven 0 liggen."))
    if hi is not None and hi < 0:
        _refuse(problems, "max_balance", _("Het hoogste saldo mag niet onder 0 liggen."))
    if start is not None and start < 0:
        _refuse(problems, "starter_points", _("Startpunten kunnen niet negatief zijn."))
    if start is not None and hi is not None and start > hi:
        _refuse(
            problems,
            "starter_points",
            _("Startpunten mogen niet boven het hoogste saldo uitkomen."),
        )


def _check_bounds(values: dict[str, Any], problems: _Problems) -> None:
    """Shares lie between 0 and 100 %, rates are not negative, hours are more than 0 and
    counts of days or services at least 1 (an empty value is no rule, and always allowed)."""
    bounds: list[tuple[tuple[str, ...], Callable[[Any], bool], str]] = [
        (
            ("share_points_percent", "share_euro_percent"),
            lambda value: 0 <= value <= 100,
            _("Een aandeel ligt tussen 0 en 100 procent."),
        ),
        (
            ("euro_rate_per_hour", "points_per_hour"),
            lambda value: value >= 0,
            _("Een tarief kan niet negatief zijn."),
        ),
        (
            ("max_service_hours", "partner_referral_hours"),
            lambda value: value > 0,
            _("Vul een aantal uren groter dan 0 in, of laat het veld leeg."),
        ),
        (
            ("max_open_services", *DAY_FIELDS),
            lambda value: value >= 1,
            _("Vul minstens 1 in, of laat het veld leeg."),
        ),
    ]
    for fields, allowed, message in bounds:
        for field in fields:
            value = values.get(field)
            if value is not None and not allowed(value):
                _refuse(problems, field, message)


def _check_request_days(values: dict[str, Any], problems: _Problems) -> None:
    reminder, expiry = values.get("request_reminder_days"), values.get("request_expiry_days")
    if reminder and expiry and expiry <= reminder:
        _refuse(
            problems,
            "request_expiry_days",
            _(
                "Een hulpvraag sluit pas na de herinnering: "
                "kies meer dagen dan voor de herinnering."
            ),
        )


def _check_clusters_and_partners(values: dict[str, Any], problems: _Problems) -> None:
    """Every cluster and partner a rule names exists here, with a known compensation or a
    rate that is not negative."""
    known_clusters = {str(pk) for pk in Cluster.objects.values_list("pk", flat=True)}
    compensation: dict[str, str] = values.get("cluster_compensation") or {}
    if any(
        key not in known_clusters or kind not in Compensation.values
        for key, kind in compensation.items()
    ):
        _refuse(problems, "cluster_compensation", _("Onbekend cluster of onbekende vergoeding."))
    known_partners = {str(pk) for pk in Partner.objects.values_list("pk", flat=True)}
    rates: dict[str, str] = values.get("partner_rates") or {}
    if any(key not in known_partners or Decimal(rate) < 0 for key, rate in rates.items()):
        _refuse(problems, "partner_rates", _("Onbekende partner of ongeldig sociaal tarief."))


def _validate(values: dict[str, Any]) -> None:
    """The rules of a version together: balances, bounds, request days, known clusters and
    partners."""
    problems: _Problems = {}
    for check in (
        _check_balances,
        _check_bounds,
        _check_request_days,
        _check_clusters_and_partners,
    ):
        check(values, problems)
    if problems:
        raise ValidationError(problems)


def rulebook_diff(*, old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
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
    errors: _Problems = {}
    today = timezone.localdate()
    # The next version carries the rules of a version that is still scheduled: starting
    # earlier would put those in force before the date they were decided for.
    scheduled = latest if latest is not None and latest.effective_from > today else None
    effective_from = effective_from or (scheduled.effective_from if scheduled else today)
    if effective_from < today:
        errors["effective_from"] = [
            _("Een nieuwe versie kan niet met terugwerkende kracht ingaan.")
        ]
    elif scheduled is not None and effective_from < scheduled.effective_from:
        errors["effective_from"] = [
            _("Versie %(v)s gaat pas in op %(d)s; een nieuwe versie kan niet eerder ingaan.")
            % {"v": scheduled.version, "d": formats.date_format(scheduled.effective_from)}
        ]
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        errors["__all__"] = [_("Onbekende regels: %(f)s") % {"f": ", ".join(sorted(unknown))}]
    values = rulebook_values(rulebook=latest)
    try:
        values.update(_coerce({k: v for k, v in changes.items() if k in RULE_FIELDS}))
        _validate(values)
    except ValidationError as e:
        for field, messages in e.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if latest is not None and not rulebook_diff(old=rulebook_values(rulebook=latest), new=values):
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
    return rulebook_diff(old=rulebook_values(rulebook=rulebook_current()), new=values)


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _decision_refused(message: str, code: str) -> ValidationError:
    return ValidationError({"decision": [ValidationError(message, code=code)]})


def rulebook_decision_check(*, decision: Decision | None, subject: str = "rules") -> None:
    """A version takes effect only through an adopted decision of the body the statutes name
    for ``subject`` ("rules"; a partner's social rate is an agreement: "agreements"), one
    that has not already made a version and is not yet final."""
    if decision is None:
        raise _decision_refused(
            _(
                "Een nieuwe versie van de spelregels gaat pas in met een besluit. Kies het "
                "besluit of leg het vast."
            ),
            "decision_required",
        )
    if not decision.adopted:
        raise _decision_refused(
            _("Besluit %(n)s is verworpen; het brengt niets in werking.") % {"n": decision.number},
            "decision_rejected",
        )
    body = body_deciding(subject=subject)
    if decision.body_id != body.pk:
        raise _decision_refused(
            _("Hierover besluit volgens de statuten: %(body)s (niet: %(other)s).")
            % {"body": body.name, "other": decision.body.name},
            "wrong_body",
        )
    if decision.final_at is not None:
        raise _decision_refused(
            _("Besluit %(n)s staat in vastgestelde notulen en verandert niet meer.")
            % {"n": decision.number},
            "decision_final",
        )
    if Rulebook.objects.filter(decision=decision).exists():
        raise _decision_refused(
            _("Bij besluit %(n)s is al een versie van de spelregels vastgesteld.")
            % {"n": decision.number},
            "decision_used",
        )


@transaction.atomic
def rulebook_revise(
    *,
    actor: Member | None,
    changes: dict[str, Any],
    effective_from: dt.date | None = None,
    decision: Decision | None,
    based_on: int | None = None,
    subject: str = "rules",
) -> Rulebook:
    """Make the next version: the newest one with ``changes`` applied, in force from
    ``effective_from``: today or later, the past is never rewritten, and not before a version
    that is still scheduled (that is also the default then; otherwise today).

    The version is adopted by ``decision``: an adopted decision of the body the statutes name
    for the rules (cooperatives.governance.selectors.body_deciding); without one nothing is
    written. ``based_on`` is the version the board looked at (0: none yet); when another
    version was made since, the revision is refused rather than silently undoing that one.
    """
    rulebook_decision_check(decision=decision, subject=subject)
    assert decision is not None
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
        adopted_by=f"Besluit {decision.number} van {decision.body.name}"[:200],
        decision=decision,
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
            for c in rulebook_diff(old=rulebook_values(rulebook=latest), new=values)
        },
    )
    return rulebook


def rulebook_effect_apply(
    *, decision: Decision, proposal: dict[str, Any], actor: Member | None
) -> Effect:
    """A decision's proposal of kind "rulebook" put into effect (registered with
    cooperatives.governance.effects by CooperativesConfig.ready): ``proposal`` is
    {"changes": {...}, "effective_from": "YYYY-MM-DD" or None}."""
    if not isinstance(proposal, dict) or not isinstance(proposal.get("changes"), dict):
        raise ValidationError(
            _("Een voorstel voor de spelregels noemt de regels die veranderen."),
            code="invalid_proposal",
        )
    raw_date = proposal.get("effective_from")
    effective_from = None
    if raw_date:
        try:
            effective_from = dt.date.fromisoformat(str(raw_date))
        except ValueError:
            raise field_error("effective_from", _("Vul een geldige datum in."), "invalid") from None
    based_on = proposal.get("based_on")
    rulebook = rulebook_revise(
        actor=actor,
        changes=proposal["changes"],
        effective_from=effective_from,
        decision=decision,
        based_on=based_on if isinstance(based_on, int) else None,
    )
    return Effect(
        kind="rulebook",
        ref=rulebook.pk,
        label=f"Spelregels versie {rulebook.version}",
    )


def rulebook_adopt(
    *,
    actor: Member,
    changes: dict[str, Any],
    effective_from: dt.date | None,
    based_on: int | None,
    adopting: dict[str, Any],
) -> Rulebook:
    """The decision (picked or recorded now) and the version it adopts, in one transaction
    (cooperatives.decisions.services.decision_adopting)."""
    latest = rulebook_latest()
    version = (latest.version + 1) if latest else 1
    rows = rulebook_diff_readable(
        changes=rulebook_preview(changes=changes, effective_from=effective_from)
    )
    title, text = rulebook_decision_wording(
        version=version, effective_from=effective_from or timezone.localdate(), rows=rows
    )
    proposal = {
        "changes": changes,
        "effective_from": effective_from.isoformat() if effective_from else None,
        "based_on": based_on,
    }
    decision = decision_adopting(
        actor=actor,
        subject="rules",
        proposal={"rulebook": proposal},
        title=title,
        text=text,
        kind=Decision.Kind.RULES,
        **adopting,
    )
    rulebook = rulebook_adopted_by(decision=decision)
    assert rulebook is not None
    return rulebook
