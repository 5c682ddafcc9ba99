"""Billing's background work, as Celery finds it: the worker imports ``<app>.tasks`` of every
installed app, and billing's features are packages of the one app ``billing``, so this module
names their tasks. Each task lives with its feature (the outbox's next to the services that
queue it) under the name queued messages and the beat schedule already use
(``billing.tasks.<name>``). The klussen tasks belong to the app ``billing.klussen``."""

from __future__ import annotations

from billing.outbox.tasks import run_outbox_call, sweep_outbox
from billing.webhooks.tasks import process_stripe_event, sweep_stripe_events

__all__ = ["process_stripe_event", "run_outbox_call", "sweep_outbox", "sweep_stripe_events"]
