"""Writes for klussen in euros: recording what a confirmed paid service costs (one KlusPayment
per euro CompensationDue), and settling it in cash. Paying online is in billing.klussen.online.

Euros never touch the points ledger: the due is settled here, with due_mark_settled, once the
money is in."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.klussen.allowance import allowance_warn
from billing.klussen.models import KlusPayment
from cooperatives.marketplace.models import CompensationDue
from cooperatives.marketplace.settlement import due_mark_settled
from cooperatives.models import Member
from cooperatives.services.common import field_error
from shared import permissions
from shared.audit.services import audit_record


@transaction.atomic
def klus_payment_record(*, due: CompensationDue) -> KlusPayment:
    """The KlusPayment for a euro due, made once (one per due and per service): calling it
    again returns the one already there. Recording it may take the volunteer over 80% or 100%
    of the year's allowance limit; the coordinators are warned then."""
    if due.kind != CompensationDue.Kind.EUROS:
        raise ValueError("Alleen euro's worden als klus betaald")
    existing = KlusPayment.objects.filter(due=due).first()
    if existing is not None:
        return existing
    service = due.service
    rulebook = due.rulebook or service.rulebook
    hours = service.registered_hours
    payment, created = KlusPayment.objects.get_or_create(
        due=due,
        defaults={
            "service": service,
            "requester_id": due.payer_id,
            "volunteer_id": due.payee_id,
            "performed_on": service.date,
            "hours": hours,
            # The rate of the rulebook the service was made under, as the due's amount is.
            "rate_per_hour": rulebook.euro_rate_per_hour
            if rulebook and rulebook.euro_rate_per_hour
            else (due.amount / hours if hours else due.amount),
            "amount": due.amount,
            "cooperative_share": due.cooperative_share,
            "volunteer_amount": due.amount - due.cooperative_share,
        },
    )
    if created:
        audit_record(
            actor_id=None,
            action="klus.record",
            target=payment,
            summary=f"Klus voor dienst #{service.pk}: € {payment.amount}",
        )
        allowance_warn(volunteer=payment.volunteer, year=payment.performed_on.year)
    return payment


def klus_may(*, actor: Member, payment: KlusPayment, action: str) -> bool:
    """Confirming cash is the volunteer's (who got the money), paying online the requester's;
    a coordinator, or the neighbourhood assistant of that member, may do it for them."""
    member = payment.volunteer if action == "cash" else payment.requester
    if actor.pk == member.pk:
        return True
    return permissions.can(actor, "service.coordinate", about=member)


def klus_actions(*, actor: Member, payment: KlusPayment, online_possible: bool) -> set[str]:
    """What ``actor`` can do with ``payment`` now; pages and the API offer only these."""
    out = set()
    if payment.status == KlusPayment.Status.OPEN and klus_may(
        actor=actor, payment=payment, action="cash"
    ):
        out.add("cash")
    if (
        online_possible
        and payment.status in (KlusPayment.Status.OPEN, KlusPayment.Status.PENDING_ONLINE)
        and klus_may(actor=actor, payment=payment, action="online")
    ):
        out.add("online")
    return out


def klus_payment_mark_paid(*, payment: KlusPayment, **fields: object) -> KlusPayment:
    """Paid, by whatever means: the fields given, the due settled. Only from a locked row."""
    payment.status, payment.paid_at = KlusPayment.Status.PAID, timezone.now()
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.save()
    due_mark_settled(service_id=payment.service_id, kind=CompensationDue.Kind.EUROS)
    return payment


@transaction.atomic
def klus_cash_confirm(*, actor: Member, payment: KlusPayment) -> KlusPayment:
    """The volunteer (or a coordinator for them) confirms they received the money in cash."""
    payment = KlusPayment.objects.select_for_update().select_related("volunteer").get(pk=payment.pk)
    if not klus_may(actor=actor, payment=payment, action="cash"):
        raise field_error(
            None,
            _("Alleen de vrijwilliger die het geld kreeg (of een coördinator) kan dit bevestigen."),
            "forbidden",
        )
    if payment.status == KlusPayment.Status.PAID:
        raise field_error(None, _("Deze klus is al betaald."), "already_paid")
    if payment.status == KlusPayment.Status.CANCELLED:
        raise field_error(None, _("Deze klus is vervallen."), "cancelled")
    if payment.status == KlusPayment.Status.PENDING_ONLINE:
        # The requester may be paying online right now: confirming cash as well could make
        # them pay twice. The online payment ends within the hour (paid or expired).
        raise field_error(
            None,
            _(
                "Voor deze klus loopt een online betaling. Wacht tot die klaar is of verlopen "
                "(hoogstens een uur) voordat u contant geld bevestigt."
            ),
            "online_pending",
        )
    klus_payment_mark_paid(
        payment=payment, method=KlusPayment.Method.CASH, confirmed_by=actor, platform_fee=0
    )
    audit_record(
        actor_id=actor.pk,
        action="klus.cash_confirm"
        if actor.pk == payment.volunteer_id
        else "klus.cash_confirm_on_behalf",
        target=payment,
        summary=f"Klus #{payment.pk}: € {payment.amount} contant ontvangen",
    )
    return payment
