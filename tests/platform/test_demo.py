"""The demo data that bin/start creates."""

import datetime as dt
import re
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from billing.klussen.models import KlusPayment
from cooperatives.annual_report.models import AnnualReport
from cooperatives.joining.models import Application
from cooperatives.marketplace.models import HelpRequest, Service
from cooperatives.members.models import Member, RoleAssignment
from cooperatives.points.models import Transfer
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup.models import Neighbourhood, Partner
from cooperatives.surveys.models import Survey
from cooperatives.surveys.selectors import survey_results
from noaber import demo
from shared.accounts.models import User
from tenants.models import Cooperative, Network
from tenants.networks.selectors import cooperatives_visible_to_network
from tests.clients import client_for, session_verify


def test_seed_demo_creates_oost_and_wij_and_is_idempotent(coops, db, monkeypatch):
    # Two of the six other cooperatives: each is a schema made in this one rolled-back
    # transaction, and eight of them, beside another worker's test, hold more table locks
    # than PostgreSQL's default lock table (max_locks_per_transaction). The whole demo is
    # seeded, committed, by the accessibility crawl (tests/e2e) and by bin/start.
    from noaber.demo_networks import EXTRA_COOPERATIVES, PLACES

    monkeypatch.setattr("noaber.demo_networks.EXTRA_COOPERATIVES", EXTRA_COOPERATIVES[:2])
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert set(Cooperative.objects.values_list("slug", flat=True)) >= {
        "oost",
        "wij",
        "alfa",
        "beta",
    }
    with schema_context("coop_oost"):
        # The board member and six members with a login; Tineke has no email or internet.
        assert User.objects.count() == 7
        assert Member.objects.count() == 8
        assert Neighbourhood.objects.count() == 15
        tineke = Member.objects.get(name="Tineke Smit")
        assert tineke.user is None and tineke.consent_on_behalf
        assert tineke.neighbourhood.name == "Sterrenwijk"  # from her postcode
        assert RoleAssignment.objects.filter(role="neighbourhood_assistant").count() == 1
        # The 2025 annual report: a draft the kascommissie has reviewed, awaiting the ALV.
        report = AnnualReport.objects.get()
        assert (report.year, report.status) == (2025, "reviewed")
        assert report.audit_findings and report.audit_recommends_discharge is True
        assert report.foreword and report.approved_by is None
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
    # SAMEN030 (Utrecht) under 500WIJK, which also holds wij and cooperatives elsewhere;
    # 500WIJK sees SAMEN030's members that share upwards; at least 8 places on the map.
    direct = {
        slug: set(
            Network.objects.get(slug=slug)
            .memberships.filter(status="active")
            .values_list("cooperative__slug", flat=True)
        )
        for slug in ("samen030", "500wijk")
    }
    assert {"oost", "zuilen", "overvecht"} <= direct["samen030"]
    assert "wij" in direct["500wijk"] and "oost" not in direct["500wijk"]
    # The map of the whole demo: every cooperative of it has a place in the Netherlands.
    declared = [(lat, lon) for _s, _n, _p, lat, lon, _d in EXTRA_COOPERATIVES]
    declared += list(PLACES.values())
    assert len(declared) >= 8
    assert all(50.7 <= float(lat) <= 53.6 and 3.3 <= float(lon) <= 7.3 for lat, lon in declared)
    national = Network.objects.get(slug="500wijk")
    assert Network.objects.get(slug="samen030").parent == national
    seen = {v.cooperative.slug for v in cooperatives_visible_to_network(network=national)}
    assert {"oost", "wij"} <= seen
    placed = [v for v in seen_on_map(national) if v.cooperative.latitude is not None]
    assert {v.cooperative.slug for v in placed} >= {"oost", "wij", "zuilen", "overvecht"}
    assert national.documents.filter(status="published").exists()
    with schema_context("coop_wij"):
        assert Member.objects.get(name="Stichting Op Dreef").kind == "organisation"
        gerda = Member.objects.get(name="Gerda Bakker")
        assert gerda.points_account.balance == 10  # starter points; the ride still waits
        pending = Transfer.objects.get(status="pending", memo="Dienst: Lift naar het ziekenhuis")
        assert pending.pending_postings[0][1] == "-4.00"  # 2 hours x 2 points
    client = client_for("oost.noaber.test")
    response = client.post(
        "/inloggen/", {"username": "henk@oost.example.nl", "password": "Noaber-demo-2026"}
    )
    assert response.status_code == 302
    assert "Wijkcoöperatie Oost voor Elkaar" in client.get("/").content.decode()
    assert client.get("/leden/").status_code == 200  # Henk is the coordinator


# Who to log in as, per role, and what each must find on their home page ("Wat vraagt uw
# aandacht"): the kinds of task of shared.navigation's providers.
DEMO_HOME_TASKS = {
    "oost": {
        "joop@oost.example.nl": {"marketplace.register"},  # the volunteer: hours to register
        "ans@oost.example.nl": {"marketplace.confirm", "marketplace.feedback"},  # no role
        "henk@oost.example.nl": {"marketplace.unmatched", "joining.application"},  # coordinator
        "fatma@oost.example.nl": {"marketplace.unmatched"},  # the assistant of Sterrenwijk
        "bestuur@oost.example.nl": {"joining.application"},  # the chair
        "marian@oost.example.nl": {"joining.application", "klussen.settle"},  # treasurer
        "kees@oost.example.nl": {"klussen.settle"},  # audit committee, pays a klus
    },
    "wij": {
        "mohamed@wij.example.nl": {"marketplace.register"},
        "wim@wij.example.nl": {"marketplace.confirm", "marketplace.feedback", "points.approve"},
        "opdreef@wij.example.nl": {"marketplace.answers"},
        "ria@wij.example.nl": {"marketplace.unmatched", "joining.application"},
        "bestuur@wij.example.nl": {"joining.application"},
        "gerda@wij.example.nl": {"joining.application", "points.approve"},
    },
}


def test_every_demo_login_finds_something_to_do_on_its_home_page(
    coops, db, capsys, mailoutbox, monkeypatch
):
    """A volunteer with hours to register, a requester with hours to confirm and feedback due,
    a coordinator with a request without a volunteer, a board member with an application to
    decide; and everyone else something too. Seeding mails nobody, and the command prints one
    short block: every login (the ordinary members without a role too) with what waits."""
    # The logins are the two demo cooperatives'; the networks' other cooperatives would only
    # fill the lock table (see above).
    monkeypatch.setattr("noaber.demo_networks.EXTRA_COOPERATIVES", ())
    call_command("seed_demo")
    printed = capsys.readouterr().out
    assert mailoutbox == []
    lines = printed.splitlines()
    assert len(lines) <= 26
    assert "Demo-inloggen (wachtwoord van allemaal: Noaber-demo-2026)" in lines[0]
    for coop, logins in DEMO_HOME_TASKS.items():
        for email, wanted in logins.items():
            line = next(line for line in lines if f" {email} " in line)
            assert "wacht: niets" not in line, line
            client = client_for(f"{coop}.noaber.test")
            with schema_context(f"coop_{coop}"):
                client.force_login(User.objects.get(email=email))
                session_verify(client, User.objects.get(email=email))
            home = client.get("/").content.decode()
            found = set(re.findall(r'<li class="task" data-kind="([^"]+)"', home))
            assert wanted <= found, (email, found)
    assert re.search(r"lid zonder rol +ans@oost\.example\.nl", printed)
    # The board, the treasurer and the kascommissie have the printed phone key; others none.
    assert "tweestapscode, sleutel JZXW CYTF OIWW E33B OJSC 2MRQ GI3C 223F PE" in lines[1]
    with schema_context("coop_oost"):
        with_key = TOTPDevice.objects.filter(key=demo.BOARD_TOTP_KEY)
        emails = set(with_key.values_list("user__email", flat=True))
    assert {"bestuur@oost.example.nl", "marian@oost.example.nl", "kees@oost.example.nl"} <= emails
    assert not emails & {"henk@oost.example.nl", "fatma@oost.example.nl", "ans@oost.example.nl"}
    assert re.search(r"lid zonder rol +wim@wij\.example\.nl", printed)
    # The requester's feedback has the Oost deadline: a week after confirming.
    with schema_context("coop_oost"):
        ans = Member.objects.get(email="ans@oost.example.nl")
        assert ans.user is not None and not ans.role_assignments.exists()
        visit = Service.objects.get(request__title="Even langskomen voor een praatje")
        assert visit.feedback_due == timezone.localdate() + dt.timedelta(days=7)
        # Henk's request without a volunteer is Tineke's, who has no internet.
        assert HelpRequest.objects.get(status="open").requester.name == "Tineke Smit"


def test_seeding_the_demo_again_adds_no_second_task(coops, db, monkeypatch):
    # Only the two demo cooperatives: six more schemas in one rolled-back transaction, twice,
    # would hold more table locks than PostgreSQL's default lock table (the networks' part
    # of the demo is tested above).
    monkeypatch.setattr("noaber.demo_networks.EXTRA_COOPERATIVES", ())
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    with schema_context("coop_wij"):
        assert Service.objects.filter(request__title="Samen naar de markt").count() == 1
        assert HelpRequest.objects.filter(title="Vrijwilliger voor de koffieochtend").count() == 1
        wim = Member.objects.get(email="wim@wij.example.nl")
        assert Transfer.objects.filter(idempotency_key=f"starter:{wim.pk}").count() == 1
    # Oost's needs surveys: one closed with results (seven answers, one on paper), one open.
    with schema_context("coop_oost"):
        closed = Survey.objects.get(status="closed", kind="needs")
        assert closed.participations.count() == 7 and closed.responses.count() == 7
        assert closed.participations.filter(channel="paper").count() == 1
        results = survey_results(survey=closed)
        assert results.shown and results.questions[0].options[0].count == 5
        assert Survey.objects.filter(status="open").count() == 1
        # tripleaim: and a closed round of Positieve Gezondheid, once (six answers).
        health = Survey.objects.get(kind="positive_health")
        assert health.status == "closed" and health.responses.count() == 6


def seen_on_map(network):
    return [v for v in cooperatives_visible_to_network(network=network) if v.on_map]
