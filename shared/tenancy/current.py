"""The cooperative of this connection, and queueing a task inside a cooperative's schema.

Feature apps use these instead of importing the tenant model: ``shared`` knows the tenant model
only through django-tenants' ``get_tenant_model()`` (set by ``TENANT_MODEL``)."""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection
from django_tenants.utils import get_tenant_model, schema_context

# django-tenants' connection wrapper adds the schema and tenant; the stubs know Django's only.
connection: Any = default_connection


def current_cooperative() -> Any:
    """The cooperative whose schema this connection is in. In a request that is
    ``connection.tenant``; in a ``schema_context`` (tasks, tests) only the schema name is
    known, so it is looked up. None in the public schema."""
    model = get_tenant_model()
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, model) and tenant.schema_name == connection.schema_name:
        return tenant
    return model.objects.filter(schema_name=connection.schema_name).first()


def queue_in(task: Any, *, schema: str, **kwargs: Any) -> None:
    """Queue ``task`` from inside ``schema``, so that it runs there (tenant-schemas-celery
    takes the schema of the connection that queues it)."""
    with schema_context(schema):
        task.delay(**kwargs)
