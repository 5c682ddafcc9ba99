"""The demo data that bin/start creates."""

from django.core.management import call_command
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.models import Cooperative

from .conftest import client_for


def test_seed_demo_creates_oost_and_wij_and_is_idempotent(coops, db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert set(Cooperative.objects.values_list("slug", flat=True)) >= {
        "oost",
        "wij",
        "alfa",
        "beta",
    }
    with schema_context("coop_oost"):
        assert User.objects.count() == 4
    with schema_context("coop_wij"):
        assert User.objects.filter(full_name="Stichting Op Dreef").exists()
    client = client_for("oost.noaber.test")
    response = client.post(
        "/inloggen/", {"username": "henk@oost.example.nl", "password": "Noaber-demo-2026"}
    )
    assert response.status_code == 302
    assert "Wijkcoöperatie Oost voor Elkaar" in client.get("/").content.decode()
