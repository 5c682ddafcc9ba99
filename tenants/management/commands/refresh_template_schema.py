from django.core.management.base import BaseCommand

from tenants.provisioning import migrate_template, template_schema_name


class Command(BaseCommand):
    help = "Rebuild the template schema that new cooperatives are cloned from."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Migrate the existing template instead of rebuilding.",
        )

    def handle(self, *args, **options):
        migrate_template(verbosity=max(0, options["verbosity"] - 1), rebuild=not options["keep"])
        self.stdout.write(
            self.style.SUCCESS(f"Sjabloon-schema {template_schema_name()} is bijgewerkt.")
        )
