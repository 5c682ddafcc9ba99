"""Stripe's webhook on the apex domain. Not a member-facing view: the signature over the raw
body, checked with the webhook secret, is the only authorisation there is."""

from __future__ import annotations

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing.webhooks.services import stripe_event_record


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    event = _verified_event(request)
    if event is None:
        # Bad signature, stale timestamp or a body that is not an event: store nothing.
        return HttpResponseBadRequest()
    stripe_event_record(
        event_id=event["id"],
        event_type=event["type"],
        object_id=event["data"]["object"].get("id") or "",
        created=event["created"],
        # Events of a connected account (a klus paid online) name that account.
        account=event.get("account") or "",
    )
    # A duplicate also answers 200, so Stripe stops resending it.
    return HttpResponse(status=200)


def _verified_event(request: HttpRequest) -> dict | None:
    """The event, if it is signed with the platform's secret or the Connect endpoint's."""
    secrets = [settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_CONNECT_WEBHOOK_SECRET]
    for secret in filter(None, secrets):
        try:
            return stripe.Webhook.construct_event(
                request.body, request.headers.get("Stripe-Signature"), secret
            ).to_dict()
        except (ValueError, stripe.SignatureVerificationError):
            continue
    return None
