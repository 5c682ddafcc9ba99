"""Background work of the outbox. ``run_outbox_call`` lives with the services that queue it
(billing.outbox.services) and is named here so Celery and readers find it with the others."""

from __future__ import annotations

from celery import shared_task

from billing.outbox.selectors import outbox_stale_ids
from billing.outbox.services import run_outbox_call

__all__ = ["run_outbox_call", "sweep_outbox"]


@shared_task(name="billing.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Start again the calls whose task was lost; a call already done is left alone. (The
    beat schedule runs it by this name, every five minutes.)"""
    ids = outbox_stale_ids()
    for call_id in ids:
        run_outbox_call.delay(call_id=call_id)
    return len(ids)
