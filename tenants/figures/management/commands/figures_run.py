"""Compute the network figures now, inline (for the demo and the benchmark): every open
cooperative, or one with ``--cooperative <slug>``. The nightly task does the same through
Celery, one task per cooperative."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.figures.services import figures_run
from tenants.figures.tasks import open_cooperatives
from tenants.models import Cooperative


class Command(BaseCommand):
    help = "Bereken de netwerkcijfers nu (alle open coöperaties, of --cooperative <code>)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cooperative", help="de code (subdomein) van één coöperatie")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cooperative"]:
            found = Cooperative.objects.filter(slug=options["cooperative"]).first()
            if found is None:
                raise CommandError(f"Geen coöperatie met code {options['cooperative']}.")
            cooperatives = [found]
        else:
            cooperatives = open_cooperatives()
        t0 = time.perf_counter()
        cells = 0
        for cooperative in cooperatives:
            run = figures_run(cooperative=cooperative)
            cells += run.cells
            self.stdout.write(f"{cooperative.slug}: {run.cells} cellen")
        self.stdout.write(
            f"{len(cooperatives)} coöperaties, {cells} cellen, {time.perf_counter() - t0:.1f} s"
        )
