"""`manage.py stripe_standin`: the local Stripe stand-in as a foreground server for the demo
(bin/start runs it when no STRIPE_SECRET_KEY is set). Payments, subscriptions and Connect
onboarding are simulated on plainly labelled demo pages; what happens there reaches the platform
as signed webhook events. Never for production: it refuses to run without DEBUG."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.standin import StripeStandin, standin_server


def data_dir() -> Path:
    """Where the demo keeps its data between runs: NOABER_DATA_DIR (a setting, or the
    environment, as for the embedded database), else .data in the checkout."""
    configured = getattr(settings, "NOABER_DATA_DIR", "") or os.environ.get("NOABER_DATA_DIR", "")
    return Path(configured or Path(settings.REPO_ROOT) / ".data").resolve()


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


class Command(BaseCommand):
    help = "Run the local Stripe stand-in for the demo (DEBUG only; never in production)."
    # It touches no database: no system checks, so it starts at once next to migrate.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=12111)
        parser.add_argument(
            "--webhook-url",
            default="",
            help="where events go, e.g. http://localhost:8000/api/v1/billing/stripe/webhook/",
        )
        parser.add_argument(
            "--state-file",
            default="",
            help="keep Stripe's state here between runs (default .data/stripe-standin.json)",
        )
        parser.add_argument("--no-state", action="store_true", help="keep the state in memory only")

    def handle(self, *args: Any, port: int, webhook_url: str, state_file: str, no_state: bool,
               **options: Any) -> None:  # fmt: skip
        if not settings.DEBUG:
            raise CommandError(
                "De Stripe-stand-in is alleen voor de demo en ontwikkelwerk en draait niet "
                "zonder DEBUG=1. Gebruik in productie het echte Stripe (STRIPE_SECRET_KEY)."
            )
        if settings.STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_")):
            raise CommandError(
                "STRIPE_SECRET_KEY is een live-sleutel: de stand-in draait niet naast echt Stripe."
            )
        standin = StripeStandin(
            webhook_url=webhook_url,
            webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
            connect_webhook_secret=settings.STRIPE_CONNECT_WEBHOOK_SECRET,
            # A fresh tag per run: ids never repeat, even when the state file is gone.
            id_tag=f"_{_base36(int(time.time()))}_",
        )
        if not no_state:
            path = Path(state_file) if state_file else data_dir() / "stripe-standin.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            standin.state_file = path
            standin.load()
        try:
            server = standin_server(standin, port)
        except OSError as error:
            raise CommandError(
                f"Poort {port} is niet vrij voor de Stripe-stand-in: {error}"
            ) from error
        self.stdout.write(
            f"Stripe-stand-in (demo, geen echt geld) op {standin.base}"
            + (f"; webhooks naar {webhook_url}" if webhook_url else "; geen webhooks")
        )
        if webhook_url and not (standin.webhook_secret and standin.connect_webhook_secret):
            self.stderr.write(
                "Let op: STRIPE_WEBHOOK_SECRET of STRIPE_CONNECT_WEBHOOK_SECRET ontbreekt; "
                "events zonder geheim worden niet afgeleverd."
            )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
