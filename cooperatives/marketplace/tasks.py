"""Periodic marketplace work (see CELERY_BEAT_SCHEDULE). Beat starts a fan-out task in the
public schema; it queues one task per open cooperative from inside that cooperative's schema,
so tenant-schemas-celery runs it there. The work itself is in marketplace.notices and is safe
to run twice."""

from __future__ import annotations

from functools import partial

from celery import Task
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name, schema_context

from cooperatives.marketplace import notices
from noaber.celery import app
from tenants.models import Cooperative

OPEN = (Cooperative.Status.TRIAL, Cooperative.Status.ACTIVE)


def _open_schemas() -> list[str]:
    return list(
        Cooperative.objects.filter(status__in=OPEN)
        .exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )


def _queue_in(task: Task, schema: str) -> None:
    with schema_context(schema):
        task.delay()


def _fan_out(task: Task) -> dict[str, list[str]]:
    schemas = _open_schemas()
    for schema in schemas:
        # After the commit, so the task never runs before what led to it is visible.
        transaction.on_commit(partial(_queue_in, task, schema))
    return {"queued": schemas}


def _here_is_open() -> bool:
    """The schema this task runs in is a cooperative that is still open (it may have been
    suspended since it was queued, and the public schema has no marketplace)."""
    return connection.schema_name in _open_schemas()


def _outcome(run: notices.Run) -> dict[str, object]:
    return {"schema": connection.schema_name, "sent": dict(sorted(run.sent.items()))}


@app.task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def marketplace_daily_in_schema() -> dict[str, object]:
    if not _here_is_open():
        return {"schema": connection.schema_name, "skipped": True}
    return _outcome(notices.daily_run())


@app.task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def marketplace_hourly_in_schema() -> dict[str, object]:
    if not _here_is_open():
        return {"schema": connection.schema_name, "skipped": True}
    return _outcome(notices.hourly_run())


@app.task
def marketplace_daily() -> dict[str, list[str]]:
    """Digests, reminders, expiry: once a day in every open cooperative."""
    return _fan_out(marketplace_daily_in_schema)


@app.task
def marketplace_hourly() -> dict[str, list[str]]:
    """Day-before reminders for services planned since the morning."""
    return _fan_out(marketplace_hourly_in_schema)
