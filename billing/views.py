"""Stripe's webhook on the apex domain. Not a member-facing view: the signature over the raw
body, checked with the webhook secret, is the only authorisation there is."""

from __future__ import annotations

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing.services import record_stripe_event


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature"), settings.STRIPE_WEBHOOK_SECRET
        ).to_dict()
    except (ValueError, stripe.SignatureVerificationError):
        # Bad signature, stale timestamp or a body that is not an event: store nothing.
        return HttpResponseBadRequest()
    record_stripe_event(
        event_id=event["id"],
        event_type=event["type"],
        object_id=event["data"]["object"].get("id") or "",
        created=event["created"],
    )
    # A duplicate also answers 200, so Stripe stops resending it.
    return HttpResponse(status=200)
