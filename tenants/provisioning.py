"""Making cooperative schemas: a migrated template schema, cloned for every new cooperative.

Cloning the template (tenants.schema_clone) costs the same whatever the number of migrations
and cooperatives; running every migration for each new schema grows with each migration
(bench/signup.py measures both). The template is kept current by our
`migrate` command and rebuilt by `refresh_template_schema`.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_exists
from psycopg import sql

from shared.tenancy.current import connection
from tenants import schema_clone, schema_migrations
from tenants.models import SpareSchema


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
    # The same one-query decision as for the cooperatives: a current template is not migrated
    # again (that alone cost a second of every deploy).
    if rebuild or template not in schema_migrations.decide([template]).current:
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=template,
            interactive=False,
            verbosity=verbosity,
        )
    connection.set_schema_to_public()
    _template_state.cache_clear()
    _template_script.cache_clear()
    # Spares were made from the template as it was: replace them.
    spares_fill()


@cache
def _template_state() -> tuple[bool, str]:
    """Whether the template holds every migration on disk, and a fingerprint of the
    migrations it holds (spares made from another template are not taken)."""
    template = template_schema_name()
    if not schema_exists(template):
        return False, ""
    with connection.cursor() as cursor:
        # The template's name comes from settings, never from a request.
        cursor.execute(f'SELECT app, name FROM "{template}".django_migrations')  # noqa: S608
        applied = set(cursor.fetchall())
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    fingerprint = hashlib.sha256(repr(sorted(applied)).encode()).hexdigest()
    return on_disk <= applied, fingerprint


@cache
def _template_script(fingerprint: str) -> str:
    """The template's clone script (tenants.schema_clone), read from the catalog once per
    process and template version: the catalog queries behind it read all of pg_class and
    pg_depend (no index on the namespace alone), so they grew with every cooperative."""
    return schema_clone.clone_script(source=template_schema_name())


def _template_is_current() -> bool:
    return _template_state()[0]


def provide_schema(*, schema_name: str) -> None:
    """Make ``schema_name`` for a new cooperative: take a spare schema when one is ready (a
    rename, in the caller's transaction), else clone the template."""
    if not spare_take(schema_name=schema_name):
        clone_template(schema_name=schema_name)


def spare_take(*, schema_name: str) -> bool:
    if not _template_is_current():
        return False
    connection.set_schema_to_public()
    # skip_locked: two sign-ups at once take two different spares, neither waits.
    spare = (
        SpareSchema.objects.select_for_update(skip_locked=True)
        .filter(template_version=_template_state()[1])
        .order_by("pk")
        .first()
    )
    if spare is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                sql.Identifier(spare.schema_name), sql.Identifier(schema_name)
            )
        )
    spare.delete()
    return True


def spares_fill(*, target: int | None = None) -> int:
    """Drop spares of an older template and clone new ones until ``target`` are ready (the
    TENANT_SPARE_SCHEMAS setting by default). Returns how many were made. Each spare is made
    in its own transaction, so a sign-up can take the first while the next is being made."""
    target = settings.TENANT_SPARE_SCHEMAS if target is None else target
    connection.set_schema_to_public()
    fingerprint = _template_state()[1] if _template_is_current() else ""
    for stale in SpareSchema.objects.exclude(template_version=fingerprint):
        spares_drop(spare=stale)
    made = 0
    while fingerprint and SpareSchema.objects.count() < target:
        name = f"spare_{secrets.token_hex(6)}"
        with transaction.atomic():
            clone_template(schema_name=name)
            SpareSchema.objects.create(schema_name=name, template_version=fingerprint)
        made += 1
    return made


def spares_drop(*, spare: SpareSchema) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(spare.schema_name))
        )
        spare.delete()


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
    schema_clone.clone_schema(
        source=template_schema_name(),
        target=schema_name,
        script=_template_script(_template_state()[1]),
    )
