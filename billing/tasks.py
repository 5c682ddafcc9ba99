"""Background work for billing: processing Stripe webhook events, safe to run twice."""

from __future__ import annotations

import stripe
from noaber.celery import app

from billing import services


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
