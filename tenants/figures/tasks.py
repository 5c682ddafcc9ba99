"""The nightly figures run (see CELERY_BEAT_SCHEDULE). Beat starts ``figures_nightly`` in the
public schema; it queues one ``figures_run_in_schema`` per open cooperative from inside that
cooperative's schema (after the commit), so tenant-schemas-celery runs each there, and one slow
or failing cooperative never holds up the others. The work is ``services.figures_run``, safe to
run twice (it replaces the cooperative's rows).

The task names are spelled out: the beat schedule and queued messages refer to them."""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.db import transaction
from django_tenants.utils import get_public_schema_name

from shared.tenancy.current import connection, queue_in
from tenants.figures import services
from tenants.models import Cooperative

OPEN = (Cooperative.Status.TRIAL, Cooperative.Status.ACTIVE)


def open_cooperatives() -> list[Cooperative]:
    return list(
        Cooperative.objects.filter(status__in=OPEN)
        .exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
    )


@shared_task(
    name="tenants.figures.tasks.figures_run_in_schema",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def figures_run_in_schema() -> dict[str, object]:
    schema: str = connection.schema_name
    # It may have been suspended since it was queued (the public schema has no figures).
    cooperative = Cooperative.objects.filter(schema_name=schema, status__in=OPEN).first()
    if cooperative is None:
        return {"schema": schema, "skipped": True}
    run = services.figures_run(cooperative=cooperative)
    return {"schema": schema, "cells": run.cells}


@shared_task(name="tenants.figures.tasks.figures_nightly")
def figures_nightly() -> dict[str, list[str]]:
    """Every open cooperative's figures, each in its own task and schema."""
    schemas = [c.schema_name for c in open_cooperatives()]
    for schema in schemas:
        transaction.on_commit(partial(queue_in, figures_run_in_schema, schema=schema))
    return {"queued": schemas}
