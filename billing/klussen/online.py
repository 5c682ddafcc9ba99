"""Paying a klus online with iDEAL: a Stripe Checkout Session on the cooperative's own
connected account (a direct charge), with the platform's fee as the application fee.

Starting goes through the outbox with a stable idempotency key per attempt, so a double click
or a retry after a lost answer reuses the same session instead of making a second one. The
outcome arrives as checkout.session.* events of the connected account;
billing.webhooks.services reads the session and calls ``klus_checkout_sync`` here."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing.connect.models import ConnectAccount
from billing.connect.services import connect_account_of
from billing.klussen.models import KlusDoublePayment, KlusPayment
from billing.klussen.services import (
    klus_may,
    klus_payment_mark_paid,
    klus_url,
    queue_in,
)
from billing.outbox.models import OutboxCall
from billing.outbox.services import outbox_call_now
from billing.webhooks.models import StripeEvent
from cooperatives.settlement import Member
from shared.audit.services import audit_record
from shared.tenancy.urls import cooperative_url
from shared.validation import field_error
from tenants.models import Cooperative

log = logging.getLogger(__name__)
# Stripe's smallest amount for a payment in euros.
MIN_CENTS = 50
# A session left open blocks confirming cash meanwhile; Stripe allows 30 minutes at least.
SESSION_LIFETIME = dt.timedelta(hours=1)


def cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def platform_fee_cents(amount: Decimal) -> int:
    """The platform's fee: BILLING_PLATFORM_FEE_PERCENT of the amount, in cents, half up."""
    percent = Decimal(str(settings.BILLING_PLATFORM_FEE_PERCENT or "0"))
    return int((Decimal(cents(amount)) * percent / 100).quantize(Decimal("1"), ROUND_HALF_UP))


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


def _params(*, payment: KlusPayment, cooperative: Cooperative) -> dict[str, Any]:
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


def klus_checkout_start(
    *, actor: Member, payment: KlusPayment, cooperative: Cooperative
) -> OutboxCall:
    """The requester (or a coordinator for them) pays online: a Checkout Session on the
    cooperative's connected account. Returns the outbox call: done with the session (its
    ``url``), or still pending while Stripe is retried."""
    schema = cooperative.schema_name
    with transaction.atomic():
        # The lock makes two clicks at once pick the same attempt (and so the same key).
        payment = (
            KlusPayment.objects.select_for_update()
            .select_related("service__cluster", "requester")
            .get(pk=payment.pk)
        )
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
        account = connect_account_of(cooperative=cooperative)
        if account is None or not account.charges_enabled:
            raise field_error(
                None,
                _(
                    "Online betalen kan bij deze coöperatie nog niet. "
                    "Betaal de vrijwilliger contant."
                ),
                "online_unavailable",
            )
        if cents(payment.amount) < MIN_CENTS:
            raise field_error(
                None,
                _("Dit bedrag is te klein om online te betalen. Betaal het contant."),
                "amount_too_small",
            )
        calls = _calls(schema, payment)
        last = calls[-1] if calls else None
        if _reusable(last, payment):
            key = last.idempotency_key
        else:
            key = f"{_key_prefix(schema, payment)}{len(calls) + 1}"
    return outbox_call_now(
        operation="checkout_session.create",
        params=_params(payment=payment, cooperative=cooperative),
        idempotency_key=key,
        cooperative=cooperative,
        stripe_account=account.stripe_account_id,
        on_result="billing.klussen.online.klus_checkout_created",
    )


def klus_checkout_created(call: OutboxCall) -> None:
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
            return _paid(payment, session, account)
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
    return intent.get("id", "") if isinstance(intent, dict) else intent


def _paid(payment: KlusPayment, session: dict[str, Any], account: str) -> KlusPayment:
    if payment.status == KlusPayment.Status.PAID and payment.checkout_session_id == session["id"]:
        return payment  # a repeated event has no second effect
    if payment.status in (KlusPayment.Status.PAID, KlusPayment.Status.CANCELLED):
        # Paid twice: in cash (or in another session) and now online after all, or online
        # after the klus was let go. The klus stays as it was; the treasurer refunds.
        _double_payment_record(payment=payment, session=session)
        return payment
    intent = _intent_id(session)
    klus_payment_mark_paid(
        payment=payment,
        method=KlusPayment.Method.ONLINE,
        checkout_session_id=session["id"],
        payment_intent_id=intent,
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
    from billing.klussen.tasks import klus_double_payment_mail

    transaction.on_commit(
        partial(
            queue_in,
            connection.schema_name,
            klus_double_payment_mail,
            double_payment_id=double.pk,
        )
    )
    return double


def treasurers() -> list[Member]:
    """Active treasurers with an email address: they refund a double payment."""
    return list(
        Member.objects.filter(status=Member.Status.ACTIVE, role_assignments__role="board_treasurer")
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def double_payment_text(double: KlusDoublePayment) -> str:
    """The one sentence the treasurer acts on, on the pages and in the mail."""
    names = {
        "amount": f"€ {double.amount:.2f}".replace(".", ","),
        "date": timezone.localtime(double.received_at).strftime("%d-%m-%Y"),
    }
    if double.earlier == KlusDoublePayment.Earlier.CANCELLED:
        text = _(
            "Dubbel betaald: %(amount)s online op %(date)s terwijl de klus al vervallen was; "
            "betaal het online bedrag terug via Stripe."
        )
    elif double.earlier == KlusDoublePayment.Earlier.ONLINE:
        text = _(
            "Dubbel betaald: %(amount)s online op %(date)s terwijl het al online betaald was; "
            "betaal het online bedrag terug via Stripe."
        )
    else:
        text = _(
            "Dubbel betaald: %(amount)s online op %(date)s terwijl het al contant betaald was; "
            "betaal het online bedrag terug via Stripe."
        )
    return text % names


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
    subject = _("Klus dubbel betaald: %(cluster)s op %(date)s") % {
        "cluster": payment.service.cluster.name,
        "date": payment.performed_on.strftime("%d-%m-%Y"),
    }
    body = "\n\n".join(
        [
            double_payment_text(double),
            _(
                "Er wordt niets vanzelf terugbetaald. Overleg eerst met de vrijwilliger en de "
                "hulpvrager welk bedrag terug moet, en betaal het dan terug in Stripe."
            ),
            klus_url(payment),
        ]
    )
    recipients = [m.email for m in treasurers()]
    for recipient in recipients:  # one mail each: nobody learns the others' addresses
        send_mail(subject, body, None, [recipient])
    double.treasurers_mailed_at = timezone.now()
    double.save(update_fields=["treasurers_mailed_at"])
    audit_record(
        actor_id=None,
        action="klus.paid_twice_mailed",
        target=payment,
        summary=f"Klus #{payment.pk} dubbel betaald: {len(recipients)} mail(s)",
    )
    return True
