"""Writes for klussen in euros: recording what a confirmed paid service costs (one KlusPayment
per euro CompensationDue), and settling it in cash. Paying online is in billing.klussen.online.

Euros never touch the points ledger: the due is settled here, with due_mark_settled, once the
money is in."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing.klussen.allowance import allowance_warn
from billing.klussen.models import KlusDoublePayment, KlusPayment
from cooperatives.settlement import CompensationDue, Member, due_mark_settled
from shared import permissions
from shared.audit.models import AuditEntry
from shared.audit.services import audit_record
from shared.tenancy.urls import cooperative_url
from shared.validation import field_error
from tenants.models import Cooperative

WAIVE_MAILED = "klus.waive_mailed"
# Who may let a klus lapse: those who follow up on every klus (klus.overview) and decide about
# the cooperative's money, so coordinators, the board and administrators. Not the audit
# committee: it checks afterwards what was decided and must not decide itself. Not a
# neighbourhood assistant either (service.coordinate): they act for the members of their buurt,
# and letting the money go is a decision between the volunteer and the cooperative.
WAIVERS = frozenset({permissions.COORDINATOR, permissions.BOARD, permissions.ADMIN})


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


def klus_may_waive(*, actor: Member | None) -> bool:
    """May ``actor`` let klussen lapse (laten vervallen)? See WAIVERS for who and why."""
    return bool(permissions.roles_of(actor) & WAIVERS)


def klus_actions(*, actor: Member, payment: KlusPayment, online_possible: bool) -> set[str]:
    """What ``actor`` can do with ``payment`` now; pages and the API offer only these."""
    out = set()
    if payment.status == KlusPayment.Status.OPEN and klus_may_waive(actor=actor):
        out.add("waive")
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


# --- letting a klus lapse ----------------------------------------------------------------------


@transaction.atomic
def klus_waive(*, actor: Member, payment: KlusPayment, reason: str) -> KlusPayment:
    """A coordinator or board member lets an open klus lapse (laten vervallen), with a reason:
    the requester cannot pay and the volunteer agrees, or it was registered by mistake. Nothing
    is owed any more; the volunteer and the requester are told by email after the commit.

    Only an open klus: a paid one is settled (a refund is another matter), and while an online
    payment runs the requester may be paying this very minute."""
    payment = KlusPayment.objects.select_for_update().get(pk=payment.pk)
    if not klus_may_waive(actor=actor):
        raise field_error(
            None,
            _("Alleen een coördinator of het bestuur kan een klus laten vervallen."),
            "forbidden",
        )
    if payment.status == KlusPayment.Status.PAID:
        raise field_error(None, _("Deze klus is al betaald."), "already_paid")
    if payment.status == KlusPayment.Status.CANCELLED:
        raise field_error(None, _("Deze klus is al vervallen."), "cancelled")
    if payment.status == KlusPayment.Status.PENDING_ONLINE:
        raise field_error(
            None,
            _(
                "Voor deze klus loopt een online betaling. Wacht tot die klaar is of verlopen "
                "(hoogstens een uur)."
            ),
            "online_pending",
        )
    reason = " ".join((reason or "").split())[:1000]
    if not reason:
        raise field_error("reason", _("Geef een reden op waarom deze klus vervalt."), "required")
    payment.status = KlusPayment.Status.CANCELLED
    payment.cancel_reason = reason
    payment.cancelled_by = actor
    payment.cancelled_at = timezone.now()
    payment.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at"])
    # The euro due is what the marketplace's settlement waits on; it knows only "owed" and
    # "settled". Nothing is owed any more, so billing is done with it: left owed, it would
    # stay in every list of what is still to settle, for ever.
    due_mark_settled(service_id=payment.service_id, kind=CompensationDue.Kind.EUROS)
    audit_record(
        actor_id=actor.pk,
        action="klus.waive",
        target=payment,
        summary=f"Klus #{payment.pk}: € {payment.amount} laten vervallen",
        # The reason itself stays out of the log: it may be about someone's money.
        changes={"status": [KlusPayment.Status.OPEN, KlusPayment.Status.CANCELLED]},
    )
    from billing.klussen.tasks import klus_waived_mail

    transaction.on_commit(
        partial(queue_in, connection.schema_name, klus_waived_mail, payment_id=payment.pk)
    )
    return payment


# --- a double payment refunded ------------------------------------------------------------------


def klus_may_mark_refunded(*, actor: Member | None) -> bool:
    """Those who manage the cooperative's money and its Stripe account (treasurer, chair,
    administrator) refund a double payment, so they say when it is done. A coordinator or the
    audit committee follows up, but does not move money."""
    return permissions.can(actor, "billing.manage")


@transaction.atomic
def klus_double_payment_mark_refunded(
    *, actor: Member, double: KlusDoublePayment, note: str = ""
) -> tuple[KlusDoublePayment, bool]:
    """Record that the money of a double payment went back (refunded in Stripe's dashboard or
    handed back in cash): when, by whom and an optional note. Returns the double payment and
    whether this call changed it.

    Nothing is refunded here: a person did that already. Idempotent: a second press (or a
    second tab) finds it refunded and changes nothing, not even the note. The row is locked,
    so two presses at once record one."""
    if not klus_may_mark_refunded(actor=actor):
        raise field_error(
            None,
            _(
                "Alleen de penningmeester, de voorzitter of een beheerder kan vastleggen dat "
                "er is terugbetaald."
            ),
            "forbidden",
        )
    double = (
        KlusDoublePayment.objects.select_for_update(of=("self",))
        .select_related("payment", "refunded_by")
        .get(pk=double.pk)
    )
    if double.refunded_at is not None:
        return double, False
    double.refunded_at = timezone.now()
    double.refunded_by = actor
    double.refund_note = (note or "").strip()[:1000]
    double.save(update_fields=["refunded_at", "refunded_by", "refund_note"])
    audit_record(
        actor_id=actor.pk,
        action="klus.double_refunded",
        target=double.payment,
        summary=f"Klus #{double.payment_id}: dubbele betaling #{double.pk} "
        f"(€ {double.amount}) terugbetaald",
        # The note stays out of the log: it may be about someone's money.
        changes={"double_payment": double.pk, "refunded": [False, True]},
    )
    return double, True


def queue_in(schema: str, task: Any, **kwargs: Any) -> None:
    """Queue ``task`` from inside ``schema``, so that it runs there (tenant-schemas-celery)."""
    with schema_context(schema):
        task.delay(**kwargs)


def cooperative_here() -> Cooperative:
    return Cooperative.objects.get(schema_name=connection.schema_name)


def klus_url(payment: KlusPayment) -> str:
    """The klus's page on this cooperative's subdomain, for an email."""
    return cooperative_url(
        slug=cooperative_here().slug, path=reverse("klussen:detail", args=[payment.pk])
    )


@transaction.atomic
def klus_waived_notify(*, payment_id: int) -> bool:
    """Tell the volunteer and the requester that the klus lapsed, once: the audit log records
    that the mail went out, and the row is locked meanwhile, so a task delivered twice mails
    once. A member without email hears it from the coordinator.

    The reason is not in the mail (a mailbox is outside the cooperative's care and the reason
    may be about someone's money); the klus's page shows it to them."""
    payment = (
        KlusPayment.objects.select_for_update(of=("self",))
        .select_related("service__cluster", "requester", "volunteer", "cancelled_by")
        .filter(pk=payment_id, status=KlusPayment.Status.CANCELLED)
        .first()
    )
    if payment is None:
        return False
    done = AuditEntry.objects.filter(
        action=WAIVE_MAILED,
        target_type=KlusPayment._meta.label_lower,
        target_id=str(payment.pk),
    )
    if done.exists():
        return False
    names = {
        "cluster": payment.service.cluster.name,
        "date": payment.performed_on.strftime("%d-%m-%Y"),
        "amount": f"€ {payment.amount:.2f}".replace(".", ","),
        "who": payment.cancelled_by.name if payment.cancelled_by else _("de coöperatie"),
        "url": klus_url(payment),
    }
    subject = _("Klus vervallen: %(cluster)s op %(date)s") % names
    body = "\n\n".join(
        [
            _(
                "De klus %(cluster)s op %(date)s (%(amount)s) is vervallen. Er hoeft niets meer "
                "voor betaald te worden."
            )
            % names,
            _("%(who)s heeft de klus laten vervallen. De reden staat op de pagina van de klus:")
            % names
            + "\n"
            + names["url"],
        ]
    )
    sent = 0
    # One mail each, so neither learns the other's address.
    people = {payment.requester_id: payment.requester, payment.volunteer_id: payment.volunteer}
    for member in people.values():
        if member.email:
            send_mail(subject, body, None, [member.email])
            sent += 1
    audit_record(
        actor_id=None,
        action=WAIVE_MAILED,
        target=payment,
        summary=f"Klus #{payment.pk} vervallen: {sent} mail(s)",
    )
    return True
