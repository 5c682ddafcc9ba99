"""manage.py billing_outbox: see the Stripe calls that are waiting or failed, and try a failed
one again once its cause is fixed (a wrong key, a refused parameter).

    manage.py billing_outbox list
    manage.py billing_outbox retry 42

A retry uses the call's own idempotency key: Stripe keeps no result for a request it refused
before doing anything, so the call is made afresh, and one that did go through answers with
its first result instead of doing it twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.outbox.models import OutboxCall
from billing.outbox.services import OutboxRetry, outbox_run


class Command(BaseCommand):
    help = "Stripe-opdrachten die wachten of mislukt zijn; een mislukte opnieuw proberen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list")
        retry = sub.add_parser("retry")
        retry.add_argument("call_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            calls = OutboxCall.objects.exclude(status=OutboxCall.Status.DONE).order_by("pk")
            for call in calls:
                self.stdout.write(
                    f"{call.pk}\t{call.status}\t{call.operation}\t{call.idempotency_key}\t"
                    f"{call.attempts} pogingen\t{call.last_error[:120]}"
                )
            return
        found = OutboxCall.objects.filter(pk=options["call_id"]).first()
        if found is None:
            raise CommandError(f"Geen Stripe-opdracht {options['call_id']}.")
        if found.status == OutboxCall.Status.DONE:
            raise CommandError(f"Stripe-opdracht {found.pk} is al gedaan.")
        OutboxCall.objects.filter(pk=found.pk, status=OutboxCall.Status.FAILED).update(
            status=OutboxCall.Status.PENDING
        )
        try:
            call = outbox_run(call_id=found.pk)
        except OutboxRetry as error:
            raise CommandError(
                f"Stripe antwoordt nog niet ({error}); de opdracht blijft wachten."
            ) from error
        if call.status != OutboxCall.Status.DONE:
            raise CommandError(f"Opnieuw mislukt: {call.last_error}")
        self.stdout.write(f"Stripe-opdracht {call.pk} is gedaan.")
