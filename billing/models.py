"""The billing app's models live in its feature packages; importing them here registers them
with Django under the app label ``billing`` (the migrations stay in billing/migrations)."""

from billing.connect.models import ConnectAccount
from billing.outbox.models import OutboxCall
from billing.sponsorship.models import NetworkSubscription, Sponsorship
from billing.subscriptions.models import Plan, Subscription
from billing.webhooks.models import StripeEvent

__all__ = [
    "ConnectAccount",
    "NetworkSubscription",
    "OutboxCall",
    "Plan",
    "Sponsorship",
    "StripeEvent",
    "Subscription",
]
