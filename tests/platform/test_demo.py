"""The demo data that bin/start creates."""

from decimal import Decimal

from django.core.management import call_command
from django_tenants.utils import schema_context

from billing.klussen.models import KlusPayment
from cooperatives.joining.models import Application
from cooperatives.members.models import Member, RoleAssignment
from cooperatives.points.models import Transfer
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup.models import Neighbourhood, Partner
from shared.accounts.models import User
from tenants.models import Cooperative, Network
from tests.clients import client_for


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
        # The board member and five members with a login; Tineke has no email or internet.
        assert User.objects.count() == 6
        assert Member.objects.count() == 7
        assert Neighbourhood.objects.count() == 15
        tineke = Member.objects.get(name="Tineke Smit")
        assert tineke.user is None and tineke.consent_on_behalf
        assert tineke.neighbourhood.name == "Sterrenwijk"  # from her postcode
        assert RoleAssignment.objects.filter(role="neighbourhood_assistant").count() == 1
        assert Partner.objects.count() == 2
        assert Application.objects.filter(status="pending").count() == 1
        rules = rulebook_current()
        buurtbedrijf = Partner.objects.get(name="Buurtbedrijf Oost")
        assert rules.partner_rates[str(buurtbedrijf.pk)] == "12.50"
        # Two confirmed paid klussen to settle: one in cash, one online.
        assert sorted(KlusPayment.objects.values_list("status", "amount")) == [
            ("open", Decimal("6.75")),
            ("open", Decimal("9.00")),
        ]
    for slug in ("samen030", "500wijk"):
        network = Network.objects.get(slug=slug)
        assert set(network.cooperatives.values_list("slug", flat=True)) == {"oost", "wij"}
    with schema_context("coop_wij"):
        assert Member.objects.get(name="Stichting Op Dreef").kind == "organisation"
        gerda = Member.objects.get(name="Gerda Bakker")
        assert gerda.points_account.balance == 10  # starter points; the ride still waits
        pending = Transfer.objects.get(status="pending")
        assert pending.pending_postings[0][1] == "-4.00"  # 2 hours x 2 points
    client = client_for("oost.noaber.test")
    response = client.post(
        "/inloggen/", {"username": "henk@oost.example.nl", "password": "Noaber-demo-2026"}
    )
    assert response.status_code == 302
    assert "Wijkcoöperatie Oost voor Elkaar" in client.get("/").content.decode()
    assert client.get("/leden/").status_code == 200  # Henk is the coordinator
