"""The volunteer allowance limits (vrijwilligersvergoeding): a volunteer may receive at most so
much per hour and per year tax-free. The board keeps the figures per year; the coordinators
are warned at 80% of the yearly limit, and from 100% a volunteer is not planned for another
paid klus that year unless the board decided otherwise, with a reason."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing.klussen import selectors
from billing.klussen.models import AllowanceOverride, AllowanceWarning, AllowanceYear
from cooperatives.settlement import Member
from shared import permissions
from shared.audit.models import AuditEntry
from shared.audit.services import audit_record
from shared.validation import field_error

WARNING_MAILED = "allowance.warning_mailed"


def _euro(value: Decimal) -> str:
    return f"€ {value:.2f}".replace(".", ",")


# --- planning ----------------------------------------------------------------------------------


def allowance_reached(*, volunteer: Member, year: int) -> bool:
    """Whether ``volunteer`` reached the yearly limit in ``year`` without the board's
    exception, so that no further paid klus may be planned for them that year."""
    limits = selectors.allowance_year(year=year)
    if limits is None:
        return False
    total = selectors.volunteer_year_total(volunteer=volunteer, year=year)
    if total < limits.per_year:
        return False
    return selectors.override_for(volunteer=volunteer, year=year) is None


def allowance_check_plannable(*, volunteer: Member, year: int) -> None:
    """Refuse to plan ``volunteer`` for another paid klus in ``year`` once they reached the
    yearly limit, unless the board made an exception for them for that year."""
    if not allowance_reached(volunteer=volunteer, year=year):
        return
    limits = selectors.allowance_year(year=year)
    total = selectors.volunteer_year_total(volunteer=volunteer, year=year)
    raise field_error(
        None,
        _(
            "%(name)s heeft in %(year)s al %(total)s aan vrijwilligersvergoeding; dat is de grens "
            "van %(limit)s per jaar. Daarom kan %(name)s dit jaar geen betaalde klus meer doen. "
            "Kies een andere vrijwilliger, of vraag het bestuur om een uitzondering."
        )
        % {
            "name": volunteer.name,
            "year": year,
            "total": _euro(total),
            "limit": _euro(limits.per_year),
        },
        "allowance_limit_reached",
    )


# --- warnings ----------------------------------------------------------------------------------


def allowance_warn(*, volunteer: Member, year: int) -> list[AllowanceWarning]:
    """Record a warning per level (80%, 100%) the volunteer has now reached, once each (a
    unique constraint), and mail the coordinators about the highest new one after commit.
    Calling it again changes nothing."""
    limits = selectors.allowance_year(year=year)
    if limits is None:
        return []
    total = selectors.volunteer_year_total(volunteer=volunteer, year=year)
    percent = selectors.percent_of(total, limits.per_year) or 0
    made = []
    for level in selectors.LEVELS:
        if percent < level:
            continue
        warning, created = AllowanceWarning.objects.get_or_create(
            volunteer=volunteer, year=year, level=level
        )
        if created:
            made.append(warning)
    if made:
        from billing.klussen.tasks import allowance_warning_mail

        # One mail for the highest level reached now (50% → 105% is one message, not two).
        # Queued from inside this cooperative's schema, so the task runs there.
        transaction.on_commit(
            partial(_queue_in, connection.schema_name, allowance_warning_mail, made[-1].pk)
        )
    return made


def _queue_in(schema: str, task: Any, warning_id: int) -> None:
    with schema_context(schema):
        task.delay(warning_id=warning_id)


@transaction.atomic
def allowance_warning_send(*, warning_id: int) -> bool:
    """Mail the coordinators about one warning, once: the audit log records that it went out,
    and the warning's row is locked meanwhile, so a task delivered twice mails once."""
    warning = (
        AllowanceWarning.objects.select_for_update()
        .select_related("volunteer")
        .filter(pk=warning_id)
        .first()
    )
    if warning is None:
        return False
    done = AuditEntry.objects.filter(
        action=WARNING_MAILED,
        target_type=AllowanceWarning._meta.label_lower,
        target_id=str(warning.pk),
    )
    if done.exists():
        return False
    recipients = [m.email for m in selectors.coordinators_to_warn()]
    limits = selectors.allowance_year(year=warning.year)
    total = selectors.volunteer_year_total(volunteer=warning.volunteer, year=warning.year)
    names = {"name": warning.volunteer.name, "year": warning.year, "level": warning.level}
    if warning.level >= selectors.BLOCK_LEVEL:
        subject = (
            _("Vrijwilligersvergoeding: %(name)s heeft de grens voor %(year)s bereikt") % names
        )
        advice = (
            _(
                "%(name)s kan dit jaar geen betaalde klus meer doen, tenzij het bestuur een "
                "uitzondering maakt."
            )
            % names
        )
    else:
        subject = _("Vrijwilligersvergoeding: %(name)s zit op %(level)s%% van de grens") % names
        advice = _("Houd er rekening mee bij het plannen van betaalde klussen.")
    body = "\n\n".join(
        [
            _(
                "%(name)s heeft in %(year)s %(total)s aan vrijwilligersvergoeding voor klussen; "
                "de grens is %(limit)s per jaar."
            )
            % {
                **names,
                "total": _euro(total),
                "limit": _euro(limits.per_year) if limits else "-",
            },
            advice,
            _("Bekijk het overzicht op de pagina Vrijwilligersvergoeding."),
        ]
    )
    if recipients:
        # One mail to each coordinator, so nobody learns the others' addresses.
        for recipient in recipients:
            send_mail(subject, body, None, [recipient])
    audit_record(
        actor_id=None,
        action=WARNING_MAILED,
        target=warning,
        summary=f"Waarschuwing {warning.level}% {warning.year}: {len(recipients)} mail(s)",
    )
    return True


# --- the board's decisions ---------------------------------------------------------------------


def _amount(value: Any, field: str) -> Decimal:
    """An amount as the Dutch write it: "5,60", "2.100" or "2.100,00" (and "5.60")."""
    text = str(value or "").replace("€", "").replace(" ", "").strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        # A dot before exactly three digits is a thousands separator: money has two decimals.
        text = text.replace(".", "")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise field_error(field, _("Vul een bedrag in, bijvoorbeeld 5,60."), "invalid") from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise field_error(field, _("Vul een bedrag in, bijvoorbeeld 5,60."), "invalid")
    if amount <= 0:
        raise field_error(field, _("Vul een bedrag groter dan 0 in."), "invalid")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def allowance_year_set(*, actor: Member, year: int, per_hour: Any, per_year: Any) -> AllowanceYear:
    """The board sets (or corrects) a year's limits, as the Belastingdienst published them."""
    if not permissions.can(actor, "allowance.configure"):
        raise field_error(None, _("Alleen het bestuur stelt de grenzen vast."), "forbidden")
    if not 2000 <= int(year) <= 2100:
        raise field_error("year", _("Kies een jaar tussen 2000 en 2100."), "invalid")
    per_hour, per_year = _amount(per_hour, "per_hour"), _amount(per_year, "per_year")
    existing = AllowanceYear.objects.select_for_update().filter(year=year).first()
    before = (
        {"per_hour": str(existing.per_hour), "per_year": str(existing.per_year)} if existing else {}
    )
    limits, _created = AllowanceYear.objects.update_or_create(
        year=year, defaults={"per_hour": per_hour, "per_year": per_year}
    )
    after = {"per_hour": str(limits.per_hour), "per_year": str(limits.per_year)}
    if before != after:
        audit_record(
            actor_id=actor.pk,
            action="allowance.configure",
            target=limits,
            summary=f"Grenzen vrijwilligersvergoeding {year} vastgesteld",
            changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        )
    return limits


@transaction.atomic
def allowance_override_create(
    *, actor: Member, volunteer: Member, year: int, reason: str
) -> AllowanceOverride:
    """The board lets ``volunteer`` do more paid klussen in ``year`` than the limit allows,
    with a reason. Audited (the reason itself stays out of the log: it may be personal)."""
    if not permissions.can(actor, "allowance.override"):
        raise field_error(None, _("Alleen het bestuur kan een uitzondering maken."), "forbidden")
    reason = " ".join((reason or "").split())[:1000]
    if not reason:
        raise field_error("reason", _("Geef een reden op voor deze uitzondering."), "required")
    if volunteer.status != Member.Status.ACTIVE:
        raise field_error("volunteer", _("Dit lid is niet actief."), "inactive")
    if AllowanceOverride.objects.filter(volunteer=volunteer, year=year).exists():
        raise field_error(
            None,
            _("Voor %(name)s is voor %(year)s al een uitzondering gemaakt.")
            % {"name": volunteer.name, "year": year},
            "exists",
        )
    override = AllowanceOverride.objects.create(
        volunteer=volunteer, year=year, reason=reason, decided_by=actor
    )
    audit_record(
        actor_id=actor.pk,
        action="allowance.override",
        target=override,
        summary=f"Uitzondering vrijwilligersvergoeding {year} voor lid #{volunteer.pk}",
        changes={"reason": "(gewijzigd)", "year": [None, year]},
    )
    return override


def rate_above_limit(*, rate: Decimal, year: int) -> bool:
    limits = selectors.allowance_year(year=year)
    return limits is not None and rate > limits.per_hour
