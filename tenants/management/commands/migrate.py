"""`manage.py migrate`: the public schema and every cooperative's schema, then the template schema
(so new cooperatives are always cloned from the current migrations) and its spares.

Over the whole platform it decides for all schemas at once which are current and migrates
only the others, in parallel (tenants.schema_migrations; a failed schema is named, rolled back
and the rest go on; a re-run resumes). Anything narrower or special (one schema, an app and a
migration name, --fake, --plan, --check, --prune) and ``--stock`` go through django-tenants'
own migrate_schemas, which migrates every schema in turn.
"""

from __future__ import annotations

import sys

from django.core.management.base import CommandError
from django_tenants.management.commands import SyncCommon
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import get_public_schema_name
from tqdm import tqdm

from tenants import schema_migrations
from tenants.models import Cooperative
from tenants.provisioning import migrate_template, template_schema_name

# Options that change what migrate does; with any of them it runs django-tenants' own way.
_STOCK_ONLY = ("app_label", "migration_name", "fake", "fake_initial", "plan", "prune")


class Command(MigrateSchemasCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Schemas migrated at once (default: twice the cores, at most 8).",
        )
        parser.add_argument(
            "--stock",
            action="store_true",
            help="django-tenants' migrate_schemas: every schema migrated in turn, none skipped.",
        )

    def handle(self, *args, **options):
        whole = not options.get("schema_name") and not any(options.get(o) for o in _STOCK_ONLY)
        failed: list[str] = []
        if options["stock"] or options.get("check_unapplied") or not whole:
            super().handle(*args, **options)
        else:
            SyncCommon.handle(self, *args, **options)
            failed = self._migrate_skipping_current(options)
        # Only when the whole platform (or every tenant) was migrated, not one named schema.
        if self.sync_tenant and (not self.schema_name or self.schema_name == "public"):
            if options.get("verbosity", 1):
                self.stdout.write(f"Sjabloon-schema {template_schema_name()} bijwerken…")
            migrate_template(verbosity=max(0, options.get("verbosity", 1) - 1))
        if failed:
            raise CommandError(
                f"{len(failed)} schema's niet gemigreerd (zie hierboven): {', '.join(failed)}. "
                "Ze staan zoals ze waren; draai migrate opnieuw na het herstel, de rest wordt "
                "overgeslagen."
            )

    def _migrate_skipping_current(self, options) -> list[str]:
        verbosity = options.get("verbosity", 1)
        public = get_public_schema_name()
        if self.sync_public and public not in schema_migrations.decide([public]).current:
            # The public schema first (the registry lives there), django-tenants' own way; it
            # also runs syncdb when asked.
            GET_EXECUTOR_FUNCTION(codename=self.executor)(self.args, self.options).run_migrations(
                tenants=[public]
            )
        if not self.sync_tenant:
            return []
        tenants = list(
            Cooperative.objects.exclude(schema_name=public)
            .order_by("schema_name")
            .values_list("schema_name", flat=True)
        )
        decision = schema_migrations.decide(tenants)
        behind, current = decision.behind, decision.current
        if verbosity:
            self.stdout.write(
                f"{len(tenants)} coöperaties: {len(current)} actueel (overgeslagen), "
                f"{len(behind)} te migreren, {len(decision.missing)} zonder schema "
                f"(besloten in {decision.seconds:.2f} s)."
            )
        failed = [(schema, "het schema bestaat niet") for schema in decision.missing]
        if behind:
            workers = options.get("workers") or schema_migrations.default_workers()
            with tqdm(
                total=len(behind),
                unit="schema",
                desc="migreren",
                file=sys.stderr,
                disable=not verbosity,
                mininterval=0.5,
            ) as bar:

                def done(outcome: schema_migrations.Outcome) -> None:
                    bar.update(1)
                    if not outcome.ok:
                        failed.append((outcome.schema, outcome.error))
                        bar.write(f"MISLUKT {outcome.schema}: {outcome.error}", file=sys.stderr)
                    elif verbosity >= 2:
                        bar.write(
                            f"{outcome.schema}: {outcome.applied} migraties in "
                            f"{outcome.seconds:.2f} s"
                        )

                schema_migrations.migrate_many(
                    behind, workers=workers, verbosity=max(0, verbosity - 1), on_done=done
                )
        for schema, reason in failed:
            self.stderr.write(f"Niet gemigreerd: {schema}: {reason}")
        if verbosity and behind:
            ok = len(behind) - (len(failed) - len(decision.missing))
            self.stdout.write(f"{ok} van {len(behind)} schema's gemigreerd.")
        return [schema for schema, _reason in failed]
