"""Wait until this release's migrations are in the database (an initContainer of web, worker
and beat runs it, so new pods start only after the migrate Job of their image has finished).

`migrate` migrates the public schema first and refreshes the template schema, from which new
cooperatives are cloned, last: when both carry every migration of this code, the run is
complete. Reading the two schemas' `django_migrations` costs two small queries, whatever the
number of cooperatives. Old pods keep running meanwhile (see deploy/README.md).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django_tenants.utils import get_public_schema_name, schema_context


def pending_migrations(schema: str) -> list[str]:
    """This code's migrations that the schema has not applied (all of them if it is absent)."""
    with schema_context(schema):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def schema_exists(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        return cursor.fetchone() is not None


class Command(BaseCommand):
    help = "Wait until the public and template schemas carry every migration of this code."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=1800, help="seconds (default 1800)")
        parser.add_argument("--interval", type=float, default=5, help="seconds between looks")

    def handle(self, *args, timeout: float, interval: float, **options):
        deadline = time.monotonic() + timeout
        while True:
            missing = self._missing()
            if not missing:
                self.stdout.write("Migraties zijn bijgewerkt.")
                return
            if time.monotonic() >= deadline:
                raise CommandError("Migraties ontbreken nog na het wachten: " + "; ".join(missing))
            self.stderr.write(f"Wachten op de migraties ({missing[0]}) ...")
            time.sleep(interval)
            connection.close()

    def _missing(self) -> list[str]:
        missing = []
        try:
            for schema in (get_public_schema_name(), settings.TENANT_BASE_SCHEMA):
                if schema != get_public_schema_name() and not schema_exists(schema):
                    missing.append(f"schema {schema} bestaat nog niet")
                    continue
                pending = pending_migrations(schema)
                if pending:
                    missing.append(f"{schema}: {len(pending)} open, o.a. {pending[0]}")
        except DatabaseError as error:
            missing.append(f"database niet bereikbaar ({type(error).__name__})")
        return missing
