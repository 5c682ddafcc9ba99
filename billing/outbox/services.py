"""The outbox for Stripe: every write to Stripe is stored first, then made, then retried with
back-off by Celery until Stripe has answered. Its idempotency key is stored with it, so a
crash between Stripe's write and ours, or a lost answer, never creates or charges twice: on
the retry Stripe answers with the first result.

Use ``outbox_enqueue`` inside the transaction that decides the call (it is made after commit),
or ``outbox_call_now`` where a person waits for the answer (a Checkout link): it is stored and
committed first, tried once at once, and left to the retries when Stripe does not answer.

What the caller needs from the result (a session id, a price id) is stored by a function
registered under a name (``billing.outbox.registry``), named in ``on_result``."""

from __future__ import annotations

import contextlib
from typing import Any

import celery.exceptions
import stripe
from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from billing import stripe_api
from billing.outbox.models import OutboxCall
from billing.outbox.registry import outbox_result_handler
from tenants.models import Cooperative

# Errors worth retrying: Stripe or the network was away. Anything else (a bad request, a
# card refused) will not change by asking again, so the call is marked failed for a person.
RETRIABLE = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


# What a person waiting for Stripe reads while the outbox retries (lazy: in their language).
STRIPE_AWAY = gettext_lazy(
    "Stripe is even niet bereikbaar. We proberen het vanzelf opnieuw; probeer het over een "
    "minuut nog eens. Er wordt niets dubbel betaald of aangemaakt."
)


class OutboxRetry(Exception):
    """The call failed in a way a retry may fix; the Celery task retries with back-off."""


class StripeUnavailable(Exception):
    """Stripe did not answer (or refused) a call a person waits for. The call stays in the
    outbox, which retries it with the same idempotency key; the page says so in Dutch."""


@shared_task(
    name="billing.tasks.run_outbox_call",
    autoretry_for=(OutboxRetry,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
)
def run_outbox_call(*, call_id: int) -> None:
    """Make one stored Stripe call; retried with back-off (5 s doubling to 10 minutes) while
    Stripe is unreachable. The same idempotency key goes with every attempt. (Defined next to
    the services it runs, which queue it; the name is the one queued messages carry.)"""
    outbox_run(call_id=call_id)


def outbox_enqueue(
    *,
    operation: str,
    params: dict[str, Any],
    idempotency_key: str,
    cooperative: Cooperative | None = None,
    stripe_account: str = "",
    on_result: str = "",
) -> OutboxCall:
    """Store a call to Stripe; it is made after the surrounding transaction commits. Asking
    again with the same key returns the stored call and makes nothing new."""
    call, created = _store(
        operation=operation,
        params=params,
        idempotency_key=idempotency_key,
        cooperative=cooperative,
        stripe_account=stripe_account,
        on_result=on_result,
    )
    if created:
        transaction.on_commit(lambda: run_outbox_call.delay(call_id=call.pk))
    return call


def outbox_call_now(
    *,
    operation: str,
    params: dict[str, Any],
    idempotency_key: str,
    cooperative: Cooperative | None = None,
    stripe_account: str = "",
    on_result: str = "",
) -> OutboxCall:
    """Store the call, commit it, and try it once now; returns the call with its result, or
    still pending (then the retries carry on and the page says so)."""
    with transaction.atomic():
        call, _created = _store(
            operation=operation,
            params=params,
            idempotency_key=idempotency_key,
            cooperative=cooperative,
            stripe_account=stripe_account,
            on_result=on_result,
        )
    if call.status != OutboxCall.Status.PENDING:
        return call
    try:
        return outbox_run(call_id=call.pk)
    except OutboxRetry:
        # Without a broker (eager) the retries run here and may give up, or Celery raises
        # its Retry at once (eager with propagation): the sweep starts the call again later.
        with contextlib.suppress(OutboxRetry, celery.exceptions.Retry):
            run_outbox_call.apply_async(kwargs={"call_id": call.pk}, countdown=30)
        call.refresh_from_db()
        return call


def _store(
    *,
    operation: str,
    params: dict[str, Any],
    idempotency_key: str,
    cooperative: Cooperative | None,
    stripe_account: str,
    on_result: str,
) -> tuple[OutboxCall, bool]:
    if operation not in stripe_api.OPERATIONS:
        raise ValueError(f"Unknown Stripe operation {operation!r}")
    if on_result:
        outbox_result_handler(on_result)  # an unknown name fails here, not after Stripe's write
    return OutboxCall.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "operation": operation,
            "params": params,
            "cooperative": cooperative,
            "stripe_account": stripe_account,
            "on_result": on_result,
        },
    )


def outbox_run(*, call_id: int) -> OutboxCall:
    """Make one stored call, once. The row stays locked during the call, so two workers never
    make it at the same time; a done or failed call is left alone."""
    error: Exception | None = None
    with transaction.atomic():
        call = OutboxCall.objects.select_for_update().get(pk=call_id)
        if call.status != OutboxCall.Status.PENDING:
            return call
        call.attempts += 1
        try:
            result = stripe_api.OPERATIONS[call.operation](
                call.params, call.idempotency_key, call.stripe_account
            )
        except RETRIABLE as exc:
            error = exc
            call.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        except stripe.StripeError as exc:
            call.status = OutboxCall.Status.FAILED
            call.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            call.status = OutboxCall.Status.DONE
            call.result = result
            call.last_error = ""
            call.done_at = timezone.now()
        call.save()
        if call.status == OutboxCall.Status.DONE and call.on_result:
            _result_handle(call)
    if error is not None:
        raise OutboxRetry(call.last_error) from error
    return call


def _result_handle(call: OutboxCall) -> None:
    handler = outbox_result_handler(call.on_result)
    if call.cooperative is None:
        handler(call=call)
        return
    with schema_context(call.cooperative.schema_name):
        handler(call=call)
