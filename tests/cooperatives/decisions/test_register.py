"""The decisions register (besluitenlijst) for every member, decisions and corrections recorded
by the secretary, and minutes from draft to approved: once approved, the decisions in them are
final, and neither the pages, the API nor the database change them."""

import datetime as dt
import html

import pytest
from django.db import ProgrammingError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.governance.models import Body, Decision, Minutes
from cooperatives.governance.selectors import body_standing
from cooperatives.governance.services import decision_record, minutes_save
from tests.clients import logged_in_client, post_json
from tests.factories import MemberFactory
from tests.state import audit_actions, last_audit_id, rulebook_versions

TODAY = timezone.localdate


def secretary_client(coop):
    secretary = MemberFactory(
        schema=coop.schema, name="Sanne Secretaris", roles=["board_secretary"]
    )
    return logged_in_client(coop, member=secretary)


def member_client(coop):
    return logged_in_client(coop, member=MemberFactory(schema=coop.schema, name="Lid Lammers"))


def record(coop, **fields):
    with schema_context(coop.schema):
        return decision_record(
            actor=None,
            body=body_standing(fields.pop("body", Body.Kind.GENERAL_BOARD)),
            decided_on=fields.pop("decided_on", TODAY()),
            title=fields.pop("title", "Een besluit"),
            text=fields.pop("text", "Er is besloten."),
            **({"outcome": "adopted"} | fields),
        )


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def test_every_member_reads_the_register_filtered_by_year_and_body(alfa, beta):
    board = record(alfa, title="Koffieochtend elke dinsdag")
    alv = record(
        alfa,
        body=Body.Kind.ALV,
        title="Jaarrekening 2025",
        votes_for=20,
        votes_against=3,
        votes_abstain=2,
        decided_on=dt.date(2025, 6, 1),
    )
    record(beta, title="Alleen in Beta")
    client = member_client(alfa)
    listed = page(client, "/besluiten/")
    assert "Besluitenlijst" in listed
    assert f"Besluit {board.number}</a>: Koffieochtend elke dinsdag" in listed
    assert "Aangenomen</strong> (20 voor, 3 tegen, 2 onthoudingen)" in listed
    assert "Alleen in Beta" not in listed
    assert "/besluiten/vastleggen/" not in listed  # a member reads, does not record
    with schema_context(alfa.schema):
        alv_body = body_standing(Body.Kind.ALV)
    only_alv = page(client, f"/besluiten/?orgaan={alv_body.pk}")
    assert "Jaarrekening 2025" in only_alv and "Koffieochtend" not in only_alv
    only_2025 = page(client, "/besluiten/?jaar=2025")
    assert alv.number in only_2025 and board.number not in only_2025
    detail = page(client, f"/besluiten/{alv.number}/")
    assert "Jaarrekening 2025" in detail and "01-06-2025" in detail
    assert client.get("/besluiten/vastleggen/").status_code == 403
    # The menu leads there.
    assert 'href="/besluiten/"' in page(client, "/")


def test_the_secretary_records_a_decision_and_a_correction_linked_both_ways(alfa, beta):
    client = secretary_client(alfa)
    with schema_context(alfa.schema):
        board = body_standing(Body.Kind.GENERAL_BOARD)
    since = last_audit_id(alfa.schema)
    form = {
        "body": str(board.pk),
        "decided_on": TODAY().strftime("%d-%m-%Y"),
        "kind": "ordinary",
        "title": "Nieuwe sleutelhouder buurthuis",
        "text": "Piet krijgt de sleutel van het buurthuis.",
        "votes": "unanimous",
        "outcome": "adopted",
    }
    created = client.post("/besluiten/vastleggen/", form)
    assert created.status_code == 302
    with schema_context(alfa.schema):
        original = Decision.objects.get()
    assert created["Location"] == f"/besluiten/{original.number}/"
    correction = client.post(
        f"/besluiten/{original.number}/corrigeren/",
        {
            **form,
            "title": "Correctie: sleutelhouder is Kees",
            "text": "Niet Piet maar Kees krijgt de sleutel.",
        },
    )
    assert correction.status_code == 302
    with schema_context(alfa.schema):
        fixed = Decision.objects.exclude(pk=original.pk).get()
        assert fixed.corrects_id == original.pk and fixed.body_id == original.body_id
        original.refresh_from_db()
        assert original.text == "Piet krijgt de sleutel van het buurthuis."  # unchanged
    old_page = page(client, f"/besluiten/{original.number}/")
    assert "Gecorrigeerd bij" in old_page and f"/besluiten/{fixed.number}/" in old_page
    new_page = page(client, f"/besluiten/{fixed.number}/")
    assert "Dit besluit corrigeert" in new_page and f"/besluiten/{original.number}/" in new_page
    assert audit_actions(alfa.schema, since) == ["decision.record", "decision.record"]
    with schema_context(beta.schema):
        assert not Decision.objects.exists()


def test_a_decision_without_counts_or_outcome_is_refused(alfa):
    client = secretary_client(alfa)
    with schema_context(alfa.schema):
        board = body_standing(Body.Kind.GENERAL_BOARD)
    response = client.post(
        "/besluiten/vastleggen/",
        {
            "body": str(board.pk),
            "decided_on": TODAY().strftime("%d-%m-%Y"),
            "kind": "ordinary",
            "title": "Zonder uitkomst",
            "text": "Iets.",
            "votes": "counted",
        },
    )
    assert response.status_code == 400
    assert "Vul het aantal stemmen voor en tegen in." in html.unescape(response.content.decode())
    with schema_context(alfa.schema):
        assert not Decision.objects.exists()


def test_minutes_from_draft_to_approved_make_their_decisions_final(alfa, beta):
    client = secretary_client(alfa)
    with schema_context(alfa.schema):
        board = body_standing(Body.Kind.GENERAL_BOARD)
    held = TODAY() - dt.timedelta(days=20)
    drafted = client.post(
        "/notulen/nieuw/",
        {
            "body": str(board.pk),
            "held_on": held.strftime("%d-%m-%Y"),
            "text": "Aanwezig: vijf. Besluit: koffie.",
        },
    )
    assert drafted.status_code == 302
    with schema_context(alfa.schema):
        minutes = Minutes.objects.get()
    decision = record(alfa, title="Koffie in het buurthuis", minutes=minutes, decided_on=held)
    # A member does not read a draft.
    member = member_client(alfa)
    assert member.get(f"/notulen/{minutes.pk}/").status_code == 404
    assert "Koffie" not in page(member, "/notulen/")
    edited = client.post(
        f"/notulen/{minutes.pk}/bewerken/",
        {"body": str(board.pk), "held_on": held.strftime("%d-%m-%Y"), "text": "Aanwezig: zes."},
    )
    assert edited.status_code == 302
    # Approving a draft that was never sent is refused.
    early = client.post(
        f"/notulen/{minutes.pk}/vaststellen/",
        {"decided_on": TODAY().strftime("%d-%m-%Y"), "votes": "unanimous"},
    )
    assert early.status_code == 400
    assert client.post(f"/notulen/{minutes.pk}/versturen/").status_code == 302
    approved = client.post(
        f"/notulen/{minutes.pk}/vaststellen/",
        {"decided_on": TODAY().strftime("%d-%m-%Y"), "votes": "unanimous"},
    )
    assert approved.status_code == 302
    with schema_context(alfa.schema):
        minutes.refresh_from_db()
        decision.refresh_from_db()
        assert minutes.status == "approved" and minutes.text == "Aanwezig: zes."
        assert minutes.approved_by.kind == "minutes" and minutes.approved_by.body == board
        assert decision.final_at is not None
    shown = page(member, f"/notulen/{minutes.pk}/")
    assert "Vastgesteld, verandert niet meer." in shown and "Aanwezig: zes." in shown
    assert "Vastgesteld, verandert niet meer." in page(member, f"/besluiten/{decision.number}/")
    # The page no longer changes them ...
    refused = client.post(
        f"/notulen/{minutes.pk}/bewerken/",
        {"body": str(board.pk), "held_on": held.strftime("%d-%m-%Y"), "text": "Anders."},
    )
    assert refused.status_code == 400
    assert "veranderen niet meer" in html.unescape(refused.content.decode())
    # ... nor the API ...
    patched = client.patch(
        f"/api/v1/minutes/{minutes.pk}/", {"text": "Anders."}, content_type="application/json"
    )
    assert patched.status_code == 400
    assert patched.json()["errors"][0]["code"] == "minutes_approved"
    # There is no way to change a decision through the API at all (a method the view does
    # not name is refused).
    assert client.patch(f"/api/v1/decisions/{decision.number}/", {}).status_code == 403
    assert client.delete(f"/api/v1/decisions/{decision.number}/").status_code == 403
    # ... nor the database.
    with schema_context(alfa.schema):
        with pytest.raises(ProgrammingError), transaction.atomic():
            Decision.objects.filter(pk=decision.pk).update(title="Anders")
        minutes.refresh_from_db()
        decision.refresh_from_db()
        assert minutes.text == "Aanwezig: zes." and decision.title == "Koffie in het buurthuis"
    with schema_context(beta.schema):
        assert not Minutes.objects.exists()


def test_a_final_decision_adopts_no_new_rulebook_version(alfa):
    with schema_context(alfa.schema):
        board = body_standing(Body.Kind.GENERAL_BOARD)
        minutes = minutes_save(actor=None, body=board, held_on=TODAY(), text="Notulen.")
    decision = record(alfa, title="Spelregels", minutes=minutes)
    with schema_context(alfa.schema):
        Minutes.objects.filter(pk=minutes.pk).update(status="sent")
    client = secretary_client(alfa)
    client.post(
        f"/notulen/{minutes.pk}/vaststellen/",
        {"decided_on": TODAY().strftime("%d-%m-%Y"), "votes": "unanimous"},
    )
    board_client = logged_in_client(alfa)
    response = post_json(
        board_client, "/api/v1/rulebooks/", {"feedback_days": 3, "decision": decision.pk}
    )
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
        ("decision", "decision_final")
    ]
    assert rulebook_versions(alfa) == [1]


def test_the_api_lists_records_and_corrects_decisions(alfa, beta):
    record(beta, title="Alleen in Beta")
    secretary = secretary_client(alfa)
    with schema_context(alfa.schema):
        alv = body_standing(Body.Kind.ALV)
    created = post_json(
        secretary,
        "/api/v1/decisions/",
        {
            "body": alv.pk,
            "decided_on": TODAY().isoformat(),
            "title": "Contributie blijft gelijk",
            "text": "De contributie blijft € 10 per jaar.",
            "votes_for": 30,
            "votes_against": 10,
            "votes_abstain": 2,
        },
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["outcome"], data["body_name"], data["final"]) == (
        "adopted",
        "Algemene ledenvergadering",
        False,
    )
    number = data["number"]
    corrected = post_json(
        secretary,
        f"/api/v1/decisions/{number}/corrections/",
        {
            "decided_on": TODAY().isoformat(),
            "title": "Correctie contributie",
            "text": "De contributie blijft € 12 per jaar.",
            "outcome": "adopted",
        },
    )
    assert corrected.status_code == 201
    assert corrected.json()["corrects"] == number
    member = member_client(alfa)
    listed = member.get("/api/v1/decisions/").json()
    assert [d["title"] for d in listed["results"]] == [
        "Correctie contributie",
        "Contributie blijft gelijk",
    ]
    assert member.get(f"/api/v1/decisions/{number}/").json()["corrected_by"] == [
        corrected.json()["number"]
    ]
    forbidden = post_json(member, "/api/v1/decisions/", {"title": "Mag niet"})
    assert forbidden.status_code == 403
    refused = post_json(
        secretary,
        "/api/v1/decisions/",
        {"body": alv.pk, "decided_on": TODAY().isoformat(), "title": "Leeg", "text": "Iets."},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "outcome_required"
    assert logged_in_client(beta).get("/api/v1/decisions/").json()["count"] == 1
