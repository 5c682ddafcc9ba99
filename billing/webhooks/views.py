"""Stripe's webhook on the apex domain. Not a member-facing view: the signature over the raw
body, checked with the webhook secret, is the only authorisation there is."""

from __future__ import annotations

import time

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing.webhooks.services import stripe_event_record

# How far the signature's timestamp may be from our clock, either way (Stripe's own default).
# The stripe library only refuses timestamps too far in the past; one far in the future would
# let a captured delivery be replayed until that moment, so it is refused here as well.
TOLERANCE_SECONDS = 300


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    event = _verified_event(request)
    if event is None:
        # Bad signature, stale or future timestamp, or a body that is not an event: store
        # nothing.
        return HttpResponseBadRequest()
    stripe_event_record(
        event_id=event["id"],
        event_type=event["type"],
        object_id=event["data"]["object"].get("id") or "",
        created=event["created"],
        # Events of a connected account (a klus paid online) name that account.
        account=event.get("account") or "",
    )
    # Stored: 200 whether processing worked now or will be retried (the task's retries and
    # the sweep see it through). A duplicate also answers 200, so Stripe stops resending it.
    return HttpResponse(status=200)


def _verified_event(request: HttpRequest) -> dict | None:
    """The event, if it is signed with the platform's secret or the Connect endpoint's, at a
    time within the tolerance of now."""
    header = request.headers.get("Stripe-Signature") or ""
    if _signed_in_the_future(header):
        return None
    secrets = [settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_CONNECT_WEBHOOK_SECRET]
    for secret in filter(None, secrets):
        try:
            return stripe.Webhook.construct_event(
                request.body, header, secret, tolerance=TOLERANCE_SECONDS
            ).to_dict()
        except (ValueError, stripe.SignatureVerificationError):
            continue
    return None


def _signed_in_the_future(header: str) -> bool:
    """Whether the header's timestamp (t=…) lies beyond the tolerance ahead of our clock. A
    header without a readable one is left to the library, which refuses it."""
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value) > time.time() + TOLERANCE_SECONDS
    return False
