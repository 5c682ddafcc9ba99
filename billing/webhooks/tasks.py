"""Background work of the webhooks: applying a stored event, and the sweep that starts those
left behind. ``process_stripe_event`` lives with the services that queue it
(billing.webhooks.services) and is named here."""

from __future__ import annotations

from celery import shared_task

from billing.webhooks.services import process_stripe_event, stripe_events_sweep

__all__ = ["process_stripe_event", "sweep_stripe_events"]


@shared_task(name="billing.tasks.sweep_stripe_events")
def sweep_stripe_events() -> int:
    """Start again the events whose processing was lost or gave up; a processed event is left
    alone. (The beat schedule runs it by this name, every five minutes.)"""
    return stripe_events_sweep()
