"""Periodic marketplace work (see CELERY_BEAT_SCHEDULE). Beat starts a fan-out task in the
public schema; it queues one task per open cooperative from inside that cooperative's schema,
so tenant-schemas-celery runs it there. The work itself is ``services.notices_run_daily`` and
``services.notices_run_hourly``, safe to run twice.

The task names are spelled out: the beat schedule and queued messages refer to them."""

from __future__ import annotations

from functools import partial
from typing import Any

from celery import shared_task
from django.db import transaction
from django_tenants.utils import get_public_schema_name, get_tenant_model

from cooperatives.marketplace import services
from shared.tenancy.current import connection, queue_in


def _open_schemas() -> list[str]:
    """The schemas of the cooperatives that are open (on trial or active)."""
    cooperative = get_tenant_model()
    return list(
        cooperative.objects.filter(status__in=(cooperative.Status.TRIAL, cooperative.Status.ACTIVE))
        .exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )


def _fan_out(task: Any) -> dict[str, list[str]]:
    schemas = _open_schemas()
    for schema in schemas:
        # After the commit, so the task never runs before what led to it is visible.
        transaction.on_commit(partial(queue_in, task, schema=schema))
    return {"queued": schemas}


def _here_is_open() -> bool:
    """The schema this task runs in is a cooperative that is still open (it may have been
    suspended since it was queued, and the public schema has no marketplace)."""
    return connection.schema_name in _open_schemas()


def _outcome(run: services.NoticeRun) -> dict[str, object]:
    return {"schema": connection.schema_name, "sent": dict(sorted(run.sent.items()))}


@shared_task(
    name="cooperatives.marketplace.tasks.marketplace_daily_in_schema",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def marketplace_daily_in_schema() -> dict[str, object]:
    if not _here_is_open():
        return {"schema": connection.schema_name, "skipped": True}
    return _outcome(services.notices_run_daily())


@shared_task(
    name="cooperatives.marketplace.tasks.marketplace_hourly_in_schema",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def marketplace_hourly_in_schema() -> dict[str, object]:
    if not _here_is_open():
        return {"schema": connection.schema_name, "skipped": True}
    return _outcome(services.notices_run_hourly())


@shared_task(name="cooperatives.marketplace.tasks.marketplace_daily")
def marketplace_daily() -> dict[str, list[str]]:
    """Digests, reminders, expiry: once a day in every open cooperative."""
    return _fan_out(marketplace_daily_in_schema)


@shared_task(name="cooperatives.marketplace.tasks.marketplace_hourly")
def marketplace_hourly() -> dict[str, list[str]]:
    """Day-before reminders for services planned since the morning."""
    return _fan_out(marketplace_hourly_in_schema)
