"""A member's export (AVG art. 15 and 20) holds everything held about them, as JSON and as a
readable PDF; the member downloads it, and a coordinator downloads it for a member without a
login (audited, and logged as a look at their care data)."""

from __future__ import annotations

import json

from django_tenants.utils import schema_context

from cooperatives.carelog.models import CareAccess
from tests.clients import logged_in_client
from tests.cooperatives.members.conftest import FREE, TINEKE
from tests.factories import HelpRequestFactory, MemberFactory, marketplace_people
from tests.pdfs import pdf_text
from tests.state import audit_actions, count_rows, last_audit_id


def test_the_export_holds_an_item_of_every_kind(alfa, beta, full_member):
    who = full_member
    response = logged_in_client(alfa, member=who.member).get("/mijn-gegevens/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["lid"]["naam"] == TINEKE["name"] and data["lid"]["postcode"] == TINEKE["postcode"]
    assert data["lid"]["telefoon"] == TINEKE["phone"] and data["lid"]["e-mail"] == TINEKE["email"]
    assert data["toestemming"]["privacyverklaring"] is not None
    assert "volunteer" in data["rollen"]
    requests = {r["korte_omschrijving"]: r for r in data["hulpvragen"]}
    assert requests[FREE["request_title"]]["toelichting"] == FREE["request_text"]
    assert requests[FREE["request_title"]]["straat"] == TINEKE["street"]
    assert requests[FREE["request_title"]]["zorggegevens"] is True
    assert [o["omschrijving"] for o in data["aanbod"]] == [FREE["offer"]]
    assert [r["bericht"] for r in data["reacties_ik_help"] if r["bericht"]] == [FREE["response"]]
    services = {s["nummer"]: s for s in data["diensten"]}
    assert set(services) == {
        who.given.pk,
        who.received.pk,
        who.klus.service_id,
        who.disputed.pk,
        who.planned.pk,
    }
    assert services[who.planned.pk]["status"] == "planned"
    assert services[who.given.pk]["u_was"] == "hulpvrager"
    assert services[who.received.pk]["u_was"] == "vrijwilliger"
    assert services[who.disputed.pk]["gewerkte_uren"] == "2.0"
    assert data["uren"] == {"gegeven_bevestigd": "2.5", "ontvangen_bevestigd": "1.0"}
    assert [f["terugkoppeling"] for f in data["terugkoppeling"]["gegeven"]] == [
        FREE["feedback_given"]
    ]
    assert [f["terugkoppeling"] for f in data["terugkoppeling"]["ontvangen"]] == [
        FREE["feedback_received"]
    ]
    assert {m["bericht"] for m in data["berichten"]} >= {
        FREE["message_mine"],
        FREE["message_to_me"],
    }
    assert [d["wat_klopt_er_niet"] for d in data["bezwaren_tegen_uren"]] == [FREE["dispute"]]
    memos = [p["omschrijving"] for p in data["punten"]["boekingen"]]
    assert FREE["gift"] in memos and data["punten"]["saldo"] is not None
    klussen = data["klussen"]
    assert [k["u_was"] for k in klussen["klussen"]] == ["vrijwilliger"]
    assert klussen["klussen"][0]["bedrag"] == str(who.klus.amount)
    assert klussen["totalen_per_jaar"][0]["ontvangen_als_vrijwilliger"] == str(
        who.klus.volunteer_amount
    )
    assert [(v["onderwerp"], v["stem"]) for v in data["open_stemmen"]] == [("Begroting", "for")]
    assert [c["nieuw_adres"] for c in data["e-mailwijzigingen"]] == [FREE["new_email"]]
    assert [(a["door"], a["waar"]) for a in data["inzage_zorggegevens"]] == [
        (who.people.coordinator.name, "de pagina van de hulpvraag")
    ]

    pdf = logged_in_client(alfa, member=who.member).get("/mijn-gegevens/export.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for value in (
        TINEKE["name"],
        TINEKE["postcode"],
        FREE["request_text"],
        FREE["offer"],
        FREE["feedback_received"],
        FREE["message_to_me"],
        FREE["gift"],
        "Begroting",
        who.people.coordinator.name,
    ):
        assert value in text, value


def test_another_members_export_holds_none_of_it(alfa, beta, full_member):
    """Rita's export (she was helped by Tineke) names no free text of Tineke's own, and
    beta's members' exports know nothing of alfa."""
    rita = logged_in_client(alfa, member=full_member.people.rita).get("/mijn-gegevens/export/")
    text = rita.content.decode()
    assert FREE["request_text"] not in text and FREE["offer"] not in text
    assert TINEKE["phone"] not in text and TINEKE["street"] not in text
    with schema_context(beta.schema):
        beta_member = MemberFactory(schema=beta.schema)
    other = logged_in_client(beta, member=beta_member).get("/mijn-gegevens/export/").content
    assert TINEKE["name"] not in other.decode() and FREE["gift"] not in other.decode()


def test_a_coordinator_downloads_the_data_of_a_member_without_login(alfa, beta):
    """From the member's page: a PDF and a JSON file, audited and logged as a look at the
    member's care data. Not for a member with a login (they download it themselves), not by a
    plain member."""
    people = marketplace_people(alfa)
    marketplace_people(beta)
    offline = MemberFactory(schema=alfa.schema, name="Opa Zonderlogin", login=False)
    HelpRequestFactory(
        schema=alfa.schema,
        requester=offline,
        actor=people.coordinator,
        cluster="Thuisbezoek en praatje",
        title="Bezoek",
        description="Eenzaam sinds mijn vrouw overleed",
        network_checked=True,
    )
    coordinator = logged_in_client(alfa, member=people.coordinator)
    page = coordinator.get(f"/leden/{offline.pk}/").content.decode()
    assert f"/leden/{offline.pk}/gegevens.pdf" in page
    since = last_audit_id(alfa.schema)
    pdf = coordinator.get(f"/leden/{offline.pk}/gegevens.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Eenzaam sinds mijn vrouw overleed" in pdf_text(pdf.content)
    data = json.loads(coordinator.get(f"/leden/{offline.pk}/gegevens.json").content)
    assert data["lid"]["naam"] == "Opa Zonderlogin" and data["lid"]["heeft_een_login"] is False
    assert audit_actions(alfa.schema, since) == ["member.export", "member.export"]
    with schema_context(alfa.schema):
        looks = list(CareAccess.objects.values_list("viewer_id", "subject_id", "route"))
    assert looks == [(people.coordinator.pk, offline.pk, "member-export")] * 2

    # A member with a login: refused with a message, nothing audited or logged.
    since = last_audit_id(alfa.schema)
    refused = coordinator.get(f"/leden/{people.rita.pk}/gegevens.json", follow=True)
    assert "downloadt zijn gegevens zelf" in refused.content.decode()
    assert f"/leden/{people.rita.pk}/gegevens.pdf" not in refused.content.decode()
    # A plain member may not.
    stranger = logged_in_client(alfa, member=people.other).get(f"/leden/{offline.pk}/gegevens.pdf")
    assert stranger.status_code == 403
    assert audit_actions(alfa.schema, since) == [] and count_rows(alfa, CareAccess) == 2
    assert "member.export" not in audit_actions(beta.schema) and count_rows(beta, CareAccess) == 0
