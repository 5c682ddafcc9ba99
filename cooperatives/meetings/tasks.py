"""Meeting reminders: queued after a meeting is convened and once a day (see
CELERY_BEAT_SCHEDULE); ``services.meetings_remind`` marks each meeting it reminds, so running
it twice mails nobody twice."""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.db import transaction
from django_tenants.utils import get_public_schema_name, get_tenant_model

from cooperatives.meetings import services
from shared.tenancy.current import connection, queue_in


@shared_task(
    name="cooperatives.meetings.tasks.meetings_remind_in_schema",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def meetings_remind_in_schema() -> dict[str, object]:
    if connection.schema_name == get_public_schema_name():
        return {"skipped": True}
    return {"schema": connection.schema_name, "reminded": services.meetings_remind()}


@shared_task(name="cooperatives.meetings.tasks.meetings_remind")
def meetings_remind() -> dict[str, list[str]]:
    """Once a day: the reminders in every open cooperative."""
    cooperative = get_tenant_model()
    schemas = list(
        cooperative.objects.filter(status__in=(cooperative.Status.TRIAL, cooperative.Status.ACTIVE))
        .exclude(schema_name=get_public_schema_name())
        .values_list("schema_name", flat=True)
    )
    for schema in schemas:
        transaction.on_commit(partial(queue_in, meetings_remind_in_schema, schema=schema))
    return {"queued": schemas}
