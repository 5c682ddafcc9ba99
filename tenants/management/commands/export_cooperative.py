"""`manage.py export_cooperative <slug> <file.zip>`: the same archive the board makes on
/gegevens-cooperatie/, written by the platform, for a cooperative whose board can no longer log
in (it is archived, in its retention period) and asks for its data. Reads in one consistent
snapshot; writes nothing in the cooperative."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from tenants.archive.dump import consistent_snapshot, cooperative_dump
from tenants.models import Cooperative


class Command(BaseCommand):
    help = "Schrijf alle gegevens van een coöperatie naar een archief (zip)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="het subdomein van de coöperatie")
        parser.add_argument("target", help="het zip-bestand dat gemaakt wordt")

    def handle(self, *args: Any, **options: Any) -> None:
        cooperative = Cooperative.objects.filter(slug__iexact=options["slug"]).first()
        if cooperative is None:
            raise CommandError(f"Er is geen coöperatie met subdomein {options['slug']}.")
        target = Path(options["target"])
        if target.exists():
            raise CommandError(f"{target} bestaat al; kies een nieuw bestand.")
        with (
            schema_context(cooperative.schema_name),
            consistent_snapshot(),
            target.open("xb") as handle,
        ):
            manifest = cooperative_dump(target=handle)
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{cooperative.name}: {len(manifest['tables'])} tabellen, {rows} rijen in {target}"
            )
        )
