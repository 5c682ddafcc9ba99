"""Writes for klussen in euros: recording what a confirmed paid service costs (one KlusPayment
per euro CompensationDue), settling it in cash or online (iDEAL through a Stripe Checkout
Session on the cooperative's connected account), letting one lapse, recording a double payment
and its refund; and the volunteer allowance: the board's limits and exceptions, and the
coordinators' warnings.

Euros never touch the points ledger: the due is settled here, with due_mark_settled, once the
money is in. Mails go out from tasks queued after commit from inside the cooperative's schema
(so they run there); they are defined here, next to the services that queue them, and named in
billing.klussen.tasks."""

from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing.connect.models import ConnectAccount
from billing.connect.selectors import connect_account_get
from billing.klussen import selectors
from billing.klussen.models import (
    AllowanceOverride,
    AllowanceWarning,
    AllowanceYear,
    KlusDoublePayment,
    KlusPayment,
)
from billing.klussen.money import cents, euro, platform_fee_cents
from billing.klussen.selectors import (
    klus_double_payment_text,
    klus_may,
    klus_may_mark_refunded,
    klus_may_waive,
    klus_url,
)
from billing.outbox.models import OutboxCall
from billing.outbox.registry import outbox_result
from billing.outbox.services import outbox_call_now
from billing.webhooks.models import StripeEvent
from cooperatives.settlement import (
    CompensationDue,
    Decision,
    Effect,
    Member,
    decision_check,
    due_mark_settled,
)
from shared import permissions
from shared.audit.models import AuditEntry
from shared.audit.services import audit_record
from shared.mail import Mail, cooperative_link, mail_send
from shared.tenancy.current import connection, queue_in
from shared.tenancy.urls import cooperative_url
from shared.validation import field_error
from tenants.models import Cooperative

log = logging.getLogger(__name__)
WAIVE_MAILED = "klus.waive_mailed"
WARNING_MAILED = "allowance.warning_mailed"
# Stripe's smallest amount for a payment in euros.
MIN_CENTS = 50
# A session left open blocks confirming cash meanwhile; Stripe allows 30 minutes at least.
SESSION_LIFETIME = dt.timedelta(hours=1)


# --- the mails, queued after commit ------------------------------------------------------------


@shared_task(
    name="billing.klussen.tasks.allowance_warning_mail",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def allowance_warning_mail(*, warning_id: int) -> bool:
    return allowance_warning_send(warning_id=warning_id)


@shared_task(
    name="billing.klussen.tasks.klus_waived_mail",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def klus_waived_mail(*, payment_id: int) -> bool:
    return klus_waived_notify(payment_id=payment_id)


@shared_task(
    name="billing.klussen.tasks.klus_double_payment_mail",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def klus_double_payment_mail(*, double_payment_id: int) -> bool:
    return klus_double_payment_notify(double_payment_id=double_payment_id)


# --- recording a klus --------------------------------------------------------------------------


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


def klus_payment_mark_paid(*, payment: KlusPayment, **fields: object) -> KlusPayment:
    """Paid, by whatever means: the fields given, the due settled. Only from a locked row."""
    payment.status, payment.paid_at = KlusPayment.Status.PAID, timezone.now()
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.save()
    due_mark_settled(service_id=payment.service_id, kind=CompensationDue.Kind.EUROS)
    return payment


# --- paying in cash ----------------------------------------------------------------------------


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


# --- paying online -----------------------------------------------------------------------------


def _key_prefix(schema: str, payment: KlusPayment) -> str:
    return f"klus-checkout-{schema}-{payment.pk}-"


def _calls(schema: str, payment: KlusPayment) -> list[OutboxCall]:
    """The Checkout calls made for this payment, oldest first (one per attempt)."""
    calls = OutboxCall.objects.filter(idempotency_key__startswith=_key_prefix(schema, payment))
    return sorted(calls, key=lambda c: int(c.idempotency_key.rsplit("-", 1)[1]))


def _reusable(call: OutboxCall | None, payment: KlusPayment) -> bool:
    """The last attempt still counts: Stripe is being retried, or its session is the open
    one on the payment and has not expired."""
    if call is None:
        return False
    if call.status == OutboxCall.Status.PENDING:
        return True
    if call.status != OutboxCall.Status.DONE:
        return False
    session = call.result or {}
    return (
        payment.status == KlusPayment.Status.PENDING_ONLINE
        and session.get("id") == payment.checkout_session_id
        and int(session.get("expires_at") or 0) > timezone.now().timestamp() + 60
    )


def _checkout_params(*, payment: KlusPayment, cooperative: Cooperative) -> dict[str, Any]:
    service = payment.service
    page = f"/klussen/{payment.pk}/"
    metadata = {
        "kind": "klus",
        "schema": cooperative.schema_name,
        "klus_payment": str(payment.pk),
    }
    return {
        "mode": "payment",
        "payment_method_types": ["ideal"],
        "locale": "nl",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "eur",
                    "unit_amount": cents(payment.amount),
                    "product_data": {
                        "name": f"Klus: {service.cluster.name} op {payment.performed_on:%d-%m-%Y}",
                    },
                },
            }
        ],
        "payment_intent_data": {
            "application_fee_amount": platform_fee_cents(payment.amount),
            "metadata": metadata,
        },
        "metadata": metadata,
        "client_reference_id": f"{cooperative.schema_name}-{payment.pk}",
        "expires_at": int((timezone.now() + SESSION_LIFETIME).timestamp()),
        "success_url": cooperative_url(slug=cooperative.slug, path=f"{page}?betaald=1"),
        "cancel_url": cooperative_url(slug=cooperative.slug, path=f"{page}?geannuleerd=1"),
    }


def _refuse_unless_payable_online(
    *, actor: Member, payment: KlusPayment, account: ConnectAccount | None
) -> None:
    if not klus_may(actor=actor, payment=payment, action="online"):
        raise field_error(
            None,
            _("Alleen wie geholpen is (of een coördinator) kan deze klus betalen."),
            "forbidden",
        )
    if payment.status == KlusPayment.Status.PAID:
        raise field_error(None, _("Deze klus is al betaald."), "already_paid")
    if payment.status == KlusPayment.Status.CANCELLED:
        raise field_error(None, _("Deze klus is vervallen."), "cancelled")
    if account is None or not account.charges_enabled:
        raise field_error(
            None,
            _("Online betalen kan bij deze coöperatie nog niet. Betaal de vrijwilliger contant."),
            "online_unavailable",
        )
    if cents(payment.amount) < MIN_CENTS:
        raise field_error(
            None,
            _("Dit bedrag is te klein om online te betalen. Betaal het contant."),
            "amount_too_small",
        )


def klus_checkout_start(
    *, actor: Member, payment: KlusPayment, cooperative: Cooperative
) -> OutboxCall:
    """The requester (or a coordinator for them) pays online: a Checkout Session on the
    cooperative's connected account, a direct charge with the platform's fee as the
    application fee. Returns the outbox call: done with the session (its ``url``), or still
    pending while Stripe is retried.

    Starting goes through the outbox with a stable idempotency key per attempt, so a double
    click or a retry after a lost answer reuses the same session instead of making a second
    one. The outcome arrives as checkout.session.* events of the connected account, which
    billing.webhooks hands to ``klus_checkout_sync``."""
    schema = cooperative.schema_name
    with transaction.atomic():
        # The lock makes two clicks at once pick the same attempt (and so the same key).
        payment = (
            KlusPayment.objects.select_for_update()
            .select_related("service__cluster", "requester")
            .get(pk=payment.pk)
        )
        account = connect_account_get(cooperative=cooperative)
        _refuse_unless_payable_online(actor=actor, payment=payment, account=account)
        assert account is not None  # refused above otherwise
        calls = _calls(schema, payment)
        last = calls[-1] if calls else None
        if last is not None and _reusable(last, payment):
            key = last.idempotency_key
        else:
            key = f"{_key_prefix(schema, payment)}{len(calls) + 1}"
    return outbox_call_now(
        operation="checkout_session.create",
        params=_checkout_params(payment=payment, cooperative=cooperative),
        idempotency_key=key,
        cooperative=cooperative,
        stripe_account=account.stripe_account_id,
        on_result="klus_checkout_stored",
    )


@outbox_result("klus_checkout_stored")
def klus_checkout_stored(*, call: OutboxCall) -> None:
    """Outbox result (in the cooperative's schema): the payment waits for this session."""
    session = call.result or {}
    pk = int(call.params["metadata"]["klus_payment"])
    payment = KlusPayment.objects.select_for_update().filter(pk=pk).first()
    # Paid in cash meanwhile (the call was being retried): leave it paid.
    if payment is None or payment.status not in (
        KlusPayment.Status.OPEN,
        KlusPayment.Status.PENDING_ONLINE,
    ):
        return
    payment.status = KlusPayment.Status.PENDING_ONLINE
    payment.checkout_session_id = session["id"]
    payment.save(update_fields=["status", "checkout_session_id"])


def klus_checkout_sync(*, session: dict[str, Any], account: str) -> KlusPayment | None:
    """A klus Checkout ended. Runs in the public schema, from a verified event of a connected
    account: the account names the cooperative, and the schema in the session's metadata must
    be that cooperative's, so an event of one cooperative never touches another. Applying the
    same state again changes nothing."""
    metadata = session.get("metadata") or {}
    connect = (
        ConnectAccount.objects.select_related("cooperative")
        .filter(stripe_account_id=account)
        .first()
        if account
        else None
    )
    if connect is None or metadata.get("schema") != connect.cooperative.schema_name:
        log.warning(
            "Klus checkout %s: account %r does not match schema %r",
            session.get("id"),
            account,
            metadata.get("schema"),
        )
        return None
    try:
        pk = int(metadata.get("klus_payment") or "")
    except ValueError:
        return None
    with schema_context(connect.cooperative.schema_name), transaction.atomic():
        payment = KlusPayment.objects.select_for_update().filter(pk=pk).first()
        if payment is None:
            return None
        if session.get("payment_status") == "paid":
            return _paid(payment, session)
        if (
            payment.status == KlusPayment.Status.PENDING_ONLINE
            and payment.checkout_session_id == session["id"]
            and _ended_unpaid(session, account)
        ):
            payment.status = KlusPayment.Status.OPEN
            payment.save(update_fields=["status"])
            audit_record(
                actor_id=None,
                action="klus.online_ended",
                target=payment,
                summary=f"Klus #{payment.pk}: online betaling niet gelukt of verlopen",
            )
        return payment


def _ended_unpaid(session: dict[str, Any], account: str) -> bool:
    """Expired, or its iDEAL payment failed. A failed delayed payment leaves the session
    'complete' and 'unpaid', just like one still on its way; the stored event says which."""
    if session.get("status") == "expired":
        return True
    return StripeEvent.objects.filter(
        object_id=session["id"],
        account=account,
        type="checkout.session.async_payment_failed",
    ).exists()


def _intent_id(session: dict[str, Any]) -> str:
    intent = session.get("payment_intent") or ""
    return str(intent.get("id", "")) if isinstance(intent, dict) else str(intent)


def _paid(payment: KlusPayment, session: dict[str, Any]) -> KlusPayment:
    if payment.status == KlusPayment.Status.PAID and payment.checkout_session_id == session["id"]:
        return payment  # a repeated event has no second effect
    if payment.status in (KlusPayment.Status.PAID, KlusPayment.Status.CANCELLED):
        # Paid twice: in cash (or in another session) and now online after all, or online
        # after the klus was let go. The klus stays as it was; the treasurer refunds.
        _double_payment_record(payment=payment, session=session)
        return payment
    klus_payment_mark_paid(
        payment=payment,
        method=KlusPayment.Method.ONLINE,
        checkout_session_id=session["id"],
        payment_intent_id=_intent_id(session),
        platform_fee=_fee_charged(session, payment),
    )
    audit_record(
        actor_id=None,
        action="klus.online_paid",
        target=payment,
        summary=f"Klus #{payment.pk}: € {payment.amount} online betaald",
    )
    return payment


def _fee_charged(session: dict[str, Any], payment: KlusPayment) -> Decimal:
    """The application fee asked for this very session (settings may have changed since)."""
    call = OutboxCall.objects.filter(
        operation="checkout_session.create", result__id=session["id"]
    ).first()
    fee = (
        (call.params.get("payment_intent_data") or {}).get("application_fee_amount")
        if call
        else None
    )
    if fee is None:
        fee = platform_fee_cents(payment.amount)
    return (Decimal(int(fee)) / 100).quantize(Decimal("0.01"))


# --- paid twice --------------------------------------------------------------------------------


def _double_payment_record(
    *, payment: KlusPayment, session: dict[str, Any]
) -> KlusDoublePayment | None:
    """Record that ``session`` paid a klus that was already settled, once per session (a
    repeated event finds the row), audit it and mail the treasurers after the commit.

    Nothing is refunded here: a person first checks with the volunteer (was the cash handed
    back? should the online payment stand instead?) and then refunds in Stripe's dashboard.
    Runs in the cooperative's schema, under the payment's row lock."""
    amount_total = session.get("amount_total")
    amount = (
        (Decimal(int(amount_total)) / 100).quantize(Decimal("0.01"))
        if amount_total is not None
        else payment.amount
    )
    if payment.status == KlusPayment.Status.CANCELLED:
        earlier = KlusDoublePayment.Earlier.CANCELLED
    elif payment.method == KlusPayment.Method.ONLINE:
        earlier = KlusDoublePayment.Earlier.ONLINE
    else:
        earlier = KlusDoublePayment.Earlier.CASH
    double, created = KlusDoublePayment.objects.get_or_create(
        checkout_session_id=session["id"],
        defaults={
            "payment": payment,
            "payment_intent_id": _intent_id(session),
            "amount": amount,
            "earlier": earlier,
        },
    )
    if not created:
        return double
    log.warning("Klus %s paid again online in session %s", payment.pk, session["id"])
    audit_record(
        actor_id=None,
        action="klus.paid_twice",
        target=payment,
        summary=f"Klus #{payment.pk}: € {amount} nog eens online betaald (was: {earlier})",
    )
    transaction.on_commit(
        partial(
            queue_in,
            klus_double_payment_mail,
            schema=connection.schema_name,
            double_payment_id=double.pk,
        )
    )
    return double


@transaction.atomic
def klus_double_payment_notify(*, double_payment_id: int) -> bool:
    """Mail the treasurers about one double payment, once: the marker is set under the row's
    lock in the same transaction, so a task delivered twice mails once."""
    double = (
        KlusDoublePayment.objects.select_for_update(of=("self",))
        .select_related("payment__service__cluster")
        .filter(pk=double_payment_id, treasurers_mailed_at__isnull=True)
        .first()
    )
    if double is None:
        return False
    payment = double.payment
    names = {
        "cluster": payment.service.cluster.name,
        "date": payment.performed_on.strftime("%d-%m-%Y"),
    }
    link = klus_url(payment=payment)
    recipients = selectors.treasurers_to_mail()

    def compose() -> Mail:
        return Mail(
            subject=_("Klus dubbel betaald: %(cluster)s op %(date)s") % names,
            body="\n\n".join(
                [
                    klus_double_payment_text(double=double),
                    _(
                        "Er wordt niets vanzelf terugbetaald. Overleg eerst met de vrijwilliger "
                        "en de hulpvrager welk bedrag terug moet, en betaal het dan terug in "
                        "Stripe. Leg daarna op de pagina van de klus vast dat het is "
                        "terugbetaald."
                    ),
                ]
            ),
            link=link,
            link_label=_("Naar de klus"),
        )

    # One mail each (shared.mail sends one per address): nobody learns the others' addresses.
    mail_send(to=recipients, compose=compose, after_commit=False)
    double.treasurers_mailed_at = timezone.now()
    double.save(update_fields=["treasurers_mailed_at"])
    audit_record(
        actor_id=None,
        action="klus.paid_twice_mailed",
        target=payment,
        summary=f"Klus #{payment.pk} dubbel betaald: {len(recipients)} mail(s)",
    )
    return True


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
    transaction.on_commit(
        partial(queue_in, klus_waived_mail, schema=connection.schema_name, payment_id=payment.pk)
    )
    return payment


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
    who = payment.cancelled_by.name if payment.cancelled_by else None
    names = {
        "cluster": payment.service.cluster.name,
        "date": payment.performed_on.strftime("%d-%m-%Y"),
        "amount": f"€ {payment.amount:.2f}".replace(".", ","),
    }
    link = klus_url(payment=payment)

    def compose() -> Mail:
        return Mail(
            subject=_("Klus vervallen: %(cluster)s op %(date)s") % names,
            body="\n\n".join(
                [
                    _(
                        "De klus %(cluster)s op %(date)s (%(amount)s) is vervallen. Er hoeft "
                        "niets meer voor betaald te worden."
                    )
                    % names,
                    _(
                        "%(who)s heeft de klus laten vervallen. De reden staat op de pagina van "
                        "de klus."
                    )
                    % {"who": who or _("de coöperatie")},
                ]
            ),
            link=link,
            link_label=_("Naar de klus"),
        )

    # One mail each, so neither learns the other's address.
    people = {payment.requester_id: payment.requester, payment.volunteer_id: payment.volunteer}
    recipients = [member for member in people.values() if member.email]
    mail_send(to=recipients, compose=compose, after_commit=False)
    sent = len(recipients)
    audit_record(
        actor_id=None,
        action=WAIVE_MAILED,
        target=payment,
        summary=f"Klus #{payment.pk} vervallen: {sent} mail(s)",
    )
    return True


# --- the volunteer allowance: warnings ---------------------------------------------------------
#
# The volunteer allowance limits (vrijwilligersvergoeding): a volunteer may receive at most so
# much per hour and per year tax-free. The board keeps the figures per year; the coordinators
# are warned at 80% of the yearly limit, and from 100% a volunteer is not planned for another
# paid klus that year unless the board decided otherwise, with a reason
# (selectors.allowance_check_plannable).


def allowance_warn(*, volunteer: Member, year: int) -> list[AllowanceWarning]:
    """Record a warning per level (80%, 100%) the volunteer has now reached, once each (a
    unique constraint), and mail the coordinators about the highest new one after commit.
    Calling it again changes nothing."""
    limits = selectors.allowance_year(year=year)
    if limits is None:
        return []
    total = selectors.volunteer_year_total(volunteer=volunteer, year=year)
    percent = selectors.percent_of(total=total, limit=limits.per_year) or 0
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
        # One mail for the highest level reached now (50% → 105% is one message, not two).
        # Queued from inside this cooperative's schema, so the task runs there.
        transaction.on_commit(
            partial(
                queue_in,
                allowance_warning_mail,
                schema=connection.schema_name,
                warning_id=made[-1].pk,
            )
        )
    return made


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
    recipients = selectors.coordinators_to_warn()
    link = cooperative_link(reverse("klussen:allowance"))

    def compose() -> Mail:
        subject, body = _warning_mail(warning)
        return Mail(subject=subject, body=body, link=link, link_label=_("Naar het overzicht"))

    # One mail to each coordinator (as shared.mail sends), so nobody learns the others'.
    mail_send(to=recipients, compose=compose, after_commit=False)
    audit_record(
        actor_id=None,
        action=WARNING_MAILED,
        target=warning,
        summary=f"Waarschuwing {warning.level}% {warning.year}: {len(recipients)} mail(s)",
    )
    return True


def _warning_mail(warning: AllowanceWarning) -> tuple[str, str]:
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
                "total": euro(total),
                "limit": euro(limits.per_year) if limits else "-",
            },
            advice,
        ]
    )
    return subject, body


# --- the volunteer allowance: the board's decisions --------------------------------------------


def _amount(value: object, field: str) -> Decimal:
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
    exponent = amount.as_tuple().exponent
    if not amount.is_finite() or (isinstance(exponent, int) and exponent < -2):
        raise field_error(field, _("Vul een bedrag in, bijvoorbeeld 5,60."), "invalid")
    if amount <= 0:
        raise field_error(field, _("Vul een bedrag groter dan 0 in."), "invalid")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def allowance_year_set(
    *,
    actor: Member,
    year: int,
    per_hour: object,
    per_year: object,
    decision: Decision | None = None,
) -> AllowanceYear:
    """The board sets (or corrects) a year's limits, as the Belastingdienst published them,
    through ``decision``: an adopted decision of the body the statutes name for the yearly
    allowance amounts (cooperatives' register). Without one, nothing changes."""
    if not permissions.can(selectors.as_actor(member=actor), "allowance.configure"):
        raise field_error(None, _("Alleen het bestuur stelt de grenzen vast."), "forbidden")
    return _allowance_year_write(
        actor=actor, year=year, per_hour=per_hour, per_year=per_year, decision=decision
    )


def _allowance_year_write(
    *,
    actor: Member | None,
    year: int,
    per_hour: object,
    per_year: object,
    decision: Decision | None,
) -> AllowanceYear:
    if not 2000 <= int(year) <= 2100:
        raise field_error("year", _("Kies een jaar tussen 2000 en 2100."), "invalid")
    hour_limit, year_limit = _amount(per_hour, "per_hour"), _amount(per_year, "per_year")
    existing = AllowanceYear.objects.select_for_update().filter(year=year).first()
    before = (
        {"per_hour": str(existing.per_hour), "per_year": str(existing.per_year)} if existing else {}
    )
    after = {"per_hour": str(hour_limit), "per_year": str(year_limit)}
    if before == after:
        assert existing is not None
        return existing
    decision = decision_check(decision=decision, subject="allowance")
    limits, _created = AllowanceYear.objects.update_or_create(
        year=year,
        defaults={"per_hour": hour_limit, "per_year": year_limit, "decision_id": decision.pk},
    )
    audit_record(
        actor_id=actor.pk if actor else None,
        action="allowance.configure",
        target=limits,
        summary=f"Grenzen vrijwilligersvergoeding {year} vastgesteld bij besluit {decision.number}",
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )
    return limits


def allowance_effect_apply(
    *, decision: Decision, proposal: dict[str, Any], actor: Member | None
) -> Effect:
    """A decision's proposal of kind "allowance" put into effect (registered through the
    settlement interface by billing.klussen.apps): {"year": 2027, "per_hour": "5.60",
    "per_year": "2100"}."""
    year = proposal.get("year") if isinstance(proposal, dict) else None
    if not isinstance(year, int):
        raise field_error("year", _("Kies een jaar tussen 2000 en 2100."), "invalid")
    limits = _allowance_year_write(
        actor=actor,
        year=year,
        per_hour=proposal.get("per_hour"),
        per_year=proposal.get("per_year"),
        decision=decision,
    )
    return Effect(
        kind="allowance",
        ref=limits.pk,
        label=f"Vrijwilligersvergoeding {year}: € {limits.per_hour} per uur, "
        f"€ {limits.per_year} per jaar",
    )


@transaction.atomic
def allowance_override_create(
    *, actor: Member, volunteer: Member, year: int, reason: str
) -> AllowanceOverride:
    """The board lets ``volunteer`` do more paid klussen in ``year`` than the limit allows,
    with a reason. Audited (the reason itself stays out of the log: it may be personal)."""
    if not permissions.can(selectors.as_actor(member=actor), "allowance.override"):
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


def klussen_erase(*, member: Member) -> None:
    """A member is erased (cooperatives.members.erasure, through the settlement interface):
    the free text of their klussen goes; the amounts stay, for the books."""
    mine = KlusPayment.objects.filter(Q(volunteer=member) | Q(requester=member))
    mine.update(cancel_reason="")
    KlusDoublePayment.objects.filter(payment__in=mine).update(refund_note="")
    AllowanceOverride.objects.filter(volunteer=member).update(reason="(gewist)")
