"""A rulebook version takes effect only through an adopted decision of the body the statutes
name for the rules: without one, with a rejected one, or with one of another body, nothing is
written. The rules page records the decision with the version, in one transaction, and the
rulebook and the register link to each other."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.governance.models import Body, Decision
from cooperatives.governance.selectors import body_standing
from cooperatives.governance.services import decision_record, statutes_update
from cooperatives.rules.models import Rulebook
from cooperatives.rules.services import rulebook_revise
from tests.clients import logged_in_client, post_json
from tests.factories import MemberFactory, decided
from tests.state import audit_actions, last_audit_id, rulebook_versions

TODAY = timezone.localdate
EDIT = "/spelregels/wijzigen/"


def count_decisions(coop) -> int:
    with schema_context(coop.schema):
        return Decision.objects.count()


def refusal_code(error: ValidationError) -> str:
    return error.error_dict["decision"][0].code


def test_a_version_without_a_decision_is_refused_and_nothing_is_written(alfa, beta):
    since = last_audit_id(alfa.schema)
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        rulebook_revise(actor=None, changes={"feedback_days": 3}, decision=None)
    assert refusal_code(refused.value) == "decision_required"
    assert "pas in met een besluit" in refused.value.error_dict["decision"][0].message
    assert rulebook_versions(alfa) == [1] and audit_actions(alfa.schema, since) == []
    assert rulebook_versions(beta) == [1]


def test_a_rejected_decision_puts_nothing_into_effect(alfa):
    with schema_context(alfa.schema):
        rejected = decision_record(
            actor=None,
            body=body_standing(Body.Kind.GENERAL_BOARD),
            decided_on=TODAY(),
            title="Kortere terugkoppeling",
            text="Voorstel: terugkoppeling binnen 3 dagen.",
            votes_for=2,
            votes_against=5,
        )
        with pytest.raises(ValidationError) as refused:
            rulebook_revise(actor=None, changes={"feedback_days": 3}, decision=rejected)
    assert refusal_code(refused.value) == "decision_rejected"
    assert rulebook_versions(alfa) == [1]


def test_only_the_body_the_statutes_name_adopts_the_rules(alfa, beta):
    with schema_context(alfa.schema):
        # Alfa's members decide on the rules themselves (seed 000): the ALV, not the board.
        statutes_update(actor=None, changes={"rules_decided_by": "alv"})
        board_decision = decision_record(
            actor=None,
            body=body_standing(Body.Kind.GENERAL_BOARD),
            decided_on=TODAY(),
            title="Spelregels",
            text="Het bestuur wijzigt de terugkoppeling.",
            outcome="adopted",
        )
        with pytest.raises(ValidationError) as refused:
            rulebook_revise(actor=None, changes={"feedback_days": 3}, decision=board_decision)
        assert refusal_code(refused.value) == "wrong_body"
        assert "Algemene ledenvergadering" in refused.value.error_dict["decision"][0].message
        assert not Rulebook.objects.filter(version=2).exists()
        alv = decided("rules")
        assert alv.body.kind == Body.Kind.ALV
        version = rulebook_revise(actor=None, changes={"feedback_days": 3}, decision=alv)
        assert (version.version, version.decision_id) == (2, alv.pk)
        # One decision, one version.
        with pytest.raises(ValidationError) as again:
            rulebook_revise(actor=None, changes={"feedback_days": 4}, decision=alv)
        assert refusal_code(again.value) == "decision_used"
    # Beta's statutes still name the general board.
    with schema_context(beta.schema):
        assert decided("rules").body.kind == Body.Kind.GENERAL_BOARD
    assert rulebook_versions(alfa) == [1, 2] and rulebook_versions(beta) == [1]


def test_the_rules_page_records_the_decision_with_the_version(alfa, beta):
    client = logged_in_client(alfa)
    page = client.get(EDIT).content.decode()
    assert "Over de spelregels besluit volgens de statuten: Algemeen bestuur." in (
        html.unescape(page)
    )
    data = {
        "euro_rate_per_hour": "5,00",
        "effective_from": TODAY().strftime("%d-%m-%Y"),
        "decided_on": TODAY().strftime("%d-%m-%Y"),
        "votes": "counted",
        "votes_for": "5",
        "votes_against": "1",
        "votes_abstain": "0",
    }
    preview = client.post(EDIT, {**_prefilled(page), **data})
    text = html.unescape(preview.content.decode())
    assert preview.status_code == 200
    assert "komt in de besluitenlijst: een besluit van Algemeen bestuur" in text
    assert "5 stemmen voor, 1 tegen" in text
    assert count_decisions(alfa) == 0 and rulebook_versions(alfa) == [1]
    confirmed = client.post(EDIT, {**_prefilled(page), **data, "confirm": "1"})
    assert confirmed.status_code == 302
    with schema_context(alfa.schema):
        decision = Decision.objects.get()
        version = Rulebook.objects.get(version=2)
        assert version.decision == decision and decision.adopted
        assert (decision.votes_for, decision.votes_against) == (5, 1)
        assert decision.kind == "rules" and decision.body.kind == "general_board"
        assert decision.effects == [
            {"kind": "rulebook", "id": version.pk, "label": "Spelregels versie 2"}
        ]
    rulebook_page = html.unescape(client.get("/spelregels/versies/2/").content.decode())
    assert f'Vastgesteld bij besluit <a href="/besluiten/{decision.number}/">' in rulebook_page
    detail = html.unescape(client.get(f"/besluiten/{decision.number}/").content.decode())
    assert "Spelregels versie 2, geldig vanaf" in detail
    assert '<th scope="row">Euro per uur voor een klus</th><td>€ 4,50</td>' in detail
    assert count_decisions(beta) == 0 and rulebook_versions(beta) == [1]


def test_votes_that_reject_leave_neither_decision_nor_version(alfa):
    client = logged_in_client(alfa)
    page = client.get(EDIT).content.decode()
    data = {
        **_prefilled(page),
        "euro_rate_per_hour": "5,00",
        "decided_on": TODAY().strftime("%d-%m-%Y"),
        "votes": "counted",
        "votes_for": "2",
        "votes_against": "4",
        "confirm": "1",
    }
    response = client.post(EDIT, data)
    assert response.status_code == 400
    assert "het voorstel verworpen" in html.unescape(response.content.decode())
    assert count_decisions(alfa) == 0 and rulebook_versions(alfa) == [1]


def test_a_decision_from_the_register_adopts_the_version_once(alfa):
    with schema_context(alfa.schema):
        chosen = decided("rules", title="Tarief klussen omhoog")
    client = logged_in_client(alfa)
    page = client.get(EDIT).content.decode()
    assert f'<option value="{chosen.pk}">{chosen.number}' in page
    data = {**_prefilled(page), "euro_rate_per_hour": "6,00", "decision": str(chosen.pk)}
    assert client.post(EDIT, {**data, "confirm": "1"}).status_code == 302
    with schema_context(alfa.schema):
        assert Rulebook.objects.get(version=2).decision_id == chosen.pk
        assert Decision.objects.count() == 1
    # Used: no longer offered, and refused when sent anyway.
    page = client.get(EDIT).content.decode()
    assert f'<option value="{chosen.pk}">' not in page
    again = client.post(
        EDIT, {**_prefilled(page), "feedback_days": "3", "decision": str(chosen.pk)}
    )
    assert again.status_code == 400 and rulebook_versions(alfa) == [1, 2]


def test_the_api_takes_a_decision_id_or_records_one(alfa, beta):
    client = logged_in_client(alfa)
    missing = post_json(client, "/api/v1/rulebooks/", {"feedback_days": 3})
    assert missing.status_code == 400
    assert [(e["attr"], e["code"]) for e in missing.json()["errors"]] == [
        ("decision", "decision_required")
    ]
    with schema_context(alfa.schema):
        statutes_update(actor=None, changes={"rules_decided_by": "alv"})
        board_decision = decision_record(
            actor=None,
            body=body_standing(Body.Kind.GENERAL_BOARD),
            decided_on=TODAY(),
            title="Spelregels",
            text="Het bestuur wijzigt de terugkoppeling.",
            outcome="adopted",
        )
    wrong = post_json(
        client, "/api/v1/rulebooks/", {"feedback_days": 3, "decision": board_decision.pk}
    )
    assert [(e["attr"], e["code"]) for e in wrong.json()["errors"]] == [("decision", "wrong_body")]
    recorded = post_json(
        client,
        "/api/v1/rulebooks/",
        {"feedback_days": 3, "decision_record": {"decided_on": TODAY().isoformat()}},
    )
    assert recorded.status_code == 201
    number = recorded.json()["decision_number"]
    decision = client.get(f"/api/v1/decisions/{number}/").json()
    assert decision["body_name"] == "Algemene ledenvergadering"
    assert decision["rulebook_versions"] == [2]
    assert rulebook_versions(alfa) == [1, 2] and rulebook_versions(beta) == [1]
    # Someone without the board's rights cannot.
    member = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema))
    assert post_json(member, "/api/v1/rulebooks/", {"feedback_days": 4}).status_code == 403


def _prefilled(page: str) -> dict:
    """The values the edit form starts with (text inputs, checked radios, selected options)."""
    import re

    values = {}
    for name, value in re.findall(r'<input type="text" name="([^"]+)"[^>]*value="([^"]*)"', page):
        values[name] = html.unescape(value)
    for tag in re.findall(r"<input [^>]*>", page):
        if 'type="radio"' in tag and "checked" in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            values[name] = re.search(r'value="([^"]*)"', tag).group(1)
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        values[name] = html.unescape(body).strip("\n")
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        values[name] = chosen.group(1) if chosen else ""
    values.pop("decision", None)
    return values


def test_a_partners_social_rate_needs_an_agreements_decision(alfa, beta):
    from cooperatives.governance.effects import decision_effect_apply
    from cooperatives.setup.models import Partner
    from cooperatives.setup.services import partner_save

    with schema_context(alfa.schema):
        partner = partner_save(actor=None, name="Klusbedrijf Oost")  # no rate: no decision
        with pytest.raises(ValidationError) as refused:
            partner_save(actor=None, partner=partner, name="Klusbedrijf Oost", social_rate="12")
        assert refusal_code(refused.value) == "decision_required"
        assert not Rulebook.objects.filter(version=2).exists()
        agreement = decided("agreements", title="Sociaal tarief Klusbedrijf Oost")
        decision_effect_apply(
            decision=agreement,
            proposal={"partner_rate": {"partner": partner.pk, "social_rate": "12.50"}},
            actor=None,
        )
        version = Rulebook.objects.get(version=2)
        agreement.refresh_from_db()
        assert version.partner_rates == {str(partner.pk): "12.50"}
        assert version.decision_id == agreement.pk
        assert agreement.effects[0]["kind"] == "partner_rate"
        assert Partner.objects.count() == 1
    assert rulebook_versions(beta) == [1]
