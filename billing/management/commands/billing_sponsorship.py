"""manage.py billing_sponsorship: a network starts or stops paying a cooperative's
subscription. Network managers do the same on their sponsorship page
(/netwerk/<network>/sponsoring/, billing.sponsorship.views); this command is for platform staff.

    manage.py billing_sponsorship start samen030 alfa --plan tot150
    manage.py billing_sponsorship end alfa
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.outbox.services import StripeUnavailable
from billing.sponsorship.services import sponsorship_end, sponsorship_start
from billing.subscriptions.models import Plan
from tenants.models import Cooperative, Network


class Command(BaseCommand):
    help = "Laat een netwerk het abonnement van een coöperatie betalen, of daarmee stoppen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        start = sub.add_parser("start")
        start.add_argument("network", help="code (slug) van het netwerk")
        start.add_argument("cooperative", help="subdomein van de coöperatie")
        start.add_argument("--plan", help="code van de abonnementsvorm (alleen de eerste keer)")
        end = sub.add_parser("end")
        end.add_argument("cooperative", help="subdomein van de coöperatie")

    def handle(self, *args: Any, **options: Any) -> None:
        cooperative = Cooperative.objects.filter(slug=options["cooperative"]).first()
        if cooperative is None:
            raise CommandError(f"Onbekende coöperatie: {options['cooperative']}")
        try:
            if options["action"] == "start":
                network = Network.objects.filter(slug=options["network"]).first()
                if network is None:
                    raise CommandError(f"Onbekend netwerk: {options['network']}")
                plan = (
                    Plan.objects.filter(code=options["plan"]).first() if options["plan"] else None
                )
                sponsorship_start(
                    network=network, cooperative=cooperative, plan=plan, actor_id=None
                )
                self.stdout.write(f"{network.name} betaalt nu voor {cooperative.name}.")
            else:
                sponsorship = sponsorship_end(cooperative=cooperative, actor_id=None)
                self.stdout.write(
                    f"{sponsorship.network.name} betaalt niet meer voor {cooperative.name}."
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        except StripeUnavailable as error:
            raise CommandError("Stripe antwoordt niet; probeer het zo opnieuw.") from error
