"""manage.py billing_sync_plans: mirror every active paid plan to a Stripe product and a
monthly price. Safe to run again (and again): nothing is created twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from billing.subscriptions.services import plans_sync_stripe

LABELS = {
    "free": "gratis, niet bij Stripe",
    "done": "bij Stripe",
    "pending": "Stripe antwoordt niet; wordt opnieuw geprobeerd, draai het later nog eens",
    "failed": "Stripe weigerde; zie de Stripe-opdrachten in het beheer",
}


class Command(BaseCommand):
    help = "Zet alle actieve abonnementsvormen bij Stripe (product en maandprijs)."

    def handle(self, *args: Any, **options: Any) -> None:
        results = plans_sync_stripe()
        for result in results:
            self.stdout.write(
                f"{result.code}: {LABELS[result.state]} ({result.stripe_requests} verzoeken)"
            )
        if any(r.state in ("pending", "failed") for r in results):
            self.stderr.write("Niet alles is bij Stripe gekomen.")
