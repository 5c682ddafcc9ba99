"""`manage.py migrate`: django-tenants' migrate_schemas, then the template schema is brought
up to date, so new cooperatives are always cloned from the current migrations."""

from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants.provisioning import migrate_template, template_schema_name


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        # Only when the whole platform (or every tenant) was migrated, not one named schema.
        if self.sync_tenant and (not self.schema_name or self.schema_name == "public"):
            if options.get("verbosity", 1):
                self.stdout.write(f"Sjabloon-schema {template_schema_name()} bijwerken…")
            migrate_template(verbosity=max(0, options.get("verbosity", 1) - 1))
