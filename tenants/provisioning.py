"""Making cooperative schemas: a migrated template schema, cloned for every new cooperative.

Cloning the template (tenants.schema_clone) costs the same whatever the number of migrations
and cooperatives; running every migration for each new schema grows with each migration
(bench/signup.py measures both). The template is kept current by our
`migrate` command and rebuilt by `refresh_template_schema`.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_exists

from tenants import schema_clone


class TemplateSchemaError(RuntimeError):
    """The template schema is missing or behind the code's migrations."""


def template_schema_name() -> str:
    return settings.TENANT_BASE_SCHEMA


def migrate_template(*, verbosity: int = 1, rebuild: bool = False) -> None:
    """Bring the template schema up to date with the code's migrations (or rebuild it)."""
    template = template_schema_name()
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{template}" CASCADE')
        if rebuild or not schema_exists(template):
            cursor.execute(f'CREATE SCHEMA "{template}"')
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=template,
        interactive=False,
        verbosity=verbosity,
    )
    connection.set_schema_to_public()
    _template_is_current.cache_clear()


@cache
def _template_is_current() -> bool:
    template = template_schema_name()
    if not schema_exists(template):
        return False
    with connection.cursor() as cursor:
        # The template's name comes from settings, never from a request.
        cursor.execute(f'SELECT app, name FROM "{template}".django_migrations')  # noqa: S608
        applied = set(cursor.fetchall())
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return on_disk <= applied


def clone_template(*, schema_name: str) -> None:
    """Create ``schema_name`` as a copy of the template: tables, constraints, indexes and rows
    (the migration records among them). Runs in the caller's transaction, so a failure
    later in sign-up leaves no schema behind."""
    if not _template_is_current():
        raise TemplateSchemaError(
            "De sjabloon-schema ontbreekt of loopt achter; draai `manage.py migrate` of "
            "`manage.py refresh_template_schema`."
        )
    connection.set_schema_to_public()
    schema_clone.clone_schema(source=template_schema_name(), target=schema_name)
