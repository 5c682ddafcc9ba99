"""`manage.py restore_cooperative <archive.zip> --slug <new>`: restore a cooperative's archive
(made by the board on /gegevens-cooperatie/) as a new cooperative with its own schema and host.
Refuses a subdomain in use, a damaged archive or one made under other migrations, and leaves
nothing behind when it fails (see tenants.archive.restore)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shared.tenancy.urls import cooperative_url
from tenants.archive.restore import ArchiveError, cooperative_restore


class Command(BaseCommand):
    help = "Zet het archief van een coöperatie terug als nieuwe coöperatie (nieuw schema)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="het zip-bestand dat het bestuur downloadde")
        parser.add_argument("--slug", required=True, help="het nieuwe, nog vrije subdomein")
        parser.add_argument(
            "--name", default="", help="een andere naam (standaard die uit het archief)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cooperative = cooperative_restore(
                archive=options["archive"], slug=options["slug"], name=options["name"]
            )
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{cooperative.name} teruggezet als {cooperative.slug} "
                f"(schema {cooperative.schema_name}): {cooperative_url(slug=cooperative.slug)}"
            )
        )
