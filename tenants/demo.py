"""Demo cooperatives for a developer's machine: `oost` (Oost voor Elkaar, Utrecht) and `wij`
(WIJ-coöperatie, points), each with a board member and a few members. Safe to run again."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.models import Cooperative
from tenants.services import cooperative_sign_up

DEMO_PASSWORD = "Noaber-demo-2026"  # noqa: S105 - demo data on a developer's machine only

DEMO_COOPERATIVES = [
    {
        "slug": "oost",
        "name": "Wijkcoöperatie Oost voor Elkaar",
        "template": "oost",
        "board": ("Els Jansen", "bestuur@oost.example.nl"),
        "members": [
            ("Henk de Bruijn", "henk@oost.example.nl"),
            ("Fatma Yilmaz", "fatma@oost.example.nl"),
            ("Joop van Dijk", "joop@oost.example.nl"),
        ],
    },
    {
        "slug": "wij",
        "name": "WIJ-coöperatie Drevenbuurt",
        "template": "wij",
        "board": ("Fred Meerhof", "bestuur@wij.example.nl"),
        "members": [
            ("Ria Verbeek", "ria@wij.example.nl"),
            ("Mohamed Amrani", "mohamed@wij.example.nl"),
            ("Stichting Op Dreef", "opdreef@wij.example.nl"),
        ],
    },
]
NETWORK_ADMIN = ("Netwerkbeheer SAMEN030", "beheer@samen030.example.nl")


def demo_seed() -> list[str]:
    """Create what is missing; return one line per cooperative for the console."""
    lines = []
    for spec in DEMO_COOPERATIVES:
        cooperative = Cooperative.objects.filter(slug=spec["slug"]).first()
        if cooperative is None:
            board_name, board_email = spec["board"]
            cooperative = cooperative_sign_up(
                name=spec["name"],
                slug=spec["slug"],
                board_member_name=board_name,
                email=board_email,
                password=DEMO_PASSWORD,
                template=spec["template"],
            ).cooperative
        with schema_context(cooperative.schema_name):
            for name, email in spec["members"]:
                if not User.objects.filter(email=email).exists():
                    User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
        lines.append(f"{cooperative.name}: {spec['board'][1]} / {DEMO_PASSWORD}")
    connection.set_schema_to_public()
    name, email = NETWORK_ADMIN
    if not User.objects.filter(email=email).exists():
        User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
    lines.append(f"Netwerkbeheer (hoofddomein): {email} / {DEMO_PASSWORD}")
    return lines
