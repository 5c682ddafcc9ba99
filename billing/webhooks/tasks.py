"""Background work of the webhooks: applying a stored event. ``process_stripe_event`` lives
with the services that queue it (billing.webhooks.services) and is named here."""

from __future__ import annotations

from billing.webhooks.services import process_stripe_event

__all__ = ["process_stripe_event"]
