"""Background work for billing: processing Stripe webhook events and making the stored calls
to Stripe (the outbox). Each is safe to run twice."""

from __future__ import annotations

import stripe

from billing.outbox import services as outbox
from billing.webhooks import services
from noaber.celery import app


@app.task(
    bind=True,
    autoretry_for=(stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError),
    retry_backoff=True,
    max_retries=8,
)
def process_stripe_event(self, *, event_id: str) -> None:
    """Apply a received event; a failure Stripe will not fix by retrying (an unknown object or
    customer) is kept on the event for a person to look at."""
    try:
        services.process_event(event_id=event_id)
    except (stripe.InvalidRequestError, services.UnknownCustomer) as error:
        services.record_processing_error(event_id=event_id, error=repr(error))


@app.task(
    bind=True,
    autoretry_for=(outbox.OutboxRetry,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
)
def run_outbox_call(self, *, call_id: int) -> None:
    """Make one stored Stripe call; retried with back-off (5 s doubling to 10 minutes) while
    Stripe is unreachable. The same idempotency key goes with every attempt."""
    outbox.outbox_run(call_id=call_id)


@app.task
def sweep_outbox() -> int:
    """Start again the calls whose task was lost; a call already done is left alone."""
    ids = outbox.outbox_stale_ids()
    for call_id in ids:
        run_outbox_call.delay(call_id=call_id)
    return len(ids)
