"""Saying the hours are not right: the reason reaches the volunteer and the coordinators (by
mail with the link, and on the service page); nothing is settled (no due, no points, no klus)
until the volunteer corrects the hours or a coordinator sets them and the requester confirms
again. Page and API alike; whoever may not gets 403 or 404 and changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.core import mail
from django_tenants.utils import schema_context

from billing.klussen.models import KlusPayment
from cooperatives.marketplace.models import CompensationDue, HoursDispute, Service
from cooperatives.points.models import Transfer
from shared.audit.models import AuditEntry
from tests.clients import logged_in_client

JSON = "application/json"


def settled_anything(coop, service) -> tuple[int, int, int]:
    """(dues, transfers, klus payments) for ``service``: all 0 while nothing is settled."""
    with schema_context(coop.schema):
        return (
            CompensationDue.objects.filter(service_id=service.pk).count(),
            Transfer.objects.filter(service_id=service.pk).count(),
            KlusPayment.objects.filter(service_id=service.pk).count(),
        )


def stored(coop, service) -> Service:
    with schema_context(coop.schema):
        return Service.objects.get(pk=service.pk)


def page(client, service) -> str:
    return client.get(f"/diensten/{service.pk}/").content.decode()


def test_disputed_klus_hours_settle_nothing_until_corrected_and_confirmed(
    alfa, beta, cast, serve_service, django_capture_on_commit_callbacks
):
    """Oost, a klus of € 4,50 an hour: Vera registers 2 hours, Rita says it was 1,5; no due
    and no klus payment exist until Vera corrects it and Rita confirms; then € 6,75."""
    people = cast(alfa)
    service = serve_service(alfa, people, cluster="Reparaties", registered="2")
    as_rita = logged_in_client(alfa, member=people.rita)
    as_vera = logged_in_client(alfa, member=people.vera)
    assert "Dit klopt niet" in page(as_rita, service)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        said = as_rita.post(
            f"/diensten/{service.pk}/klopt-niet/", {"reason": "Het was anderhalf uur."}
        )
    assert said.status_code == 302
    assert stored(alfa, service).status == Service.Status.DISPUTED
    assert settled_anything(alfa, service) == (0, 0, 0)
    link = f"https://alfa.noaber.test/diensten/{service.pk}/#aanpassen"
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {
        people.vera.email,
        people.coordinator.email,
        people.assistant.email,
    }  # the assistant of Lanen does not look after Rita
    for sent in to.values():
        assert "Het was anderhalf uur." in sent.body and link in sent.body
        assert alfa.cooperative.name in sent.body

    # Confirming now is refused and settles nothing, on the page and through the API.
    refused = as_rita.post(f"/diensten/{service.pk}/bevestigen/")
    assert refused.status_code == 400
    api = as_rita.post(f"/api/v1/services/{service.pk}/confirm/", {}, content_type=JSON)
    assert api.status_code == 400 and api.json()["errors"][0]["code"] == "disputed"
    assert settled_anything(alfa, service) == (0, 0, 0)
    assert stored(alfa, service).status == Service.Status.DISPUTED

    # The volunteer reads the reason at the top of the page, and corrects the hours.
    vera_page = page(as_vera, service)
    assert "Het was anderhalf uur." in vera_page and 'data-step="resolve"' in vera_page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fixed = as_vera.post(f"/diensten/{service.pk}/uren-aanpassen/", {"hours": "1,5"})
    assert fixed.status_code == 302
    after = stored(alfa, service)
    assert (after.status, after.registered_hours) == (Service.Status.REGISTERED, Decimal("1.5"))
    assert settled_anything(alfa, service) == (0, 0, 0)
    assert [m.to for m in mail.outbox] == [[people.rita.email]]
    assert f"https://alfa.noaber.test/diensten/{service.pk}/#bevestigen" in mail.outbox[0].body
    with schema_context(alfa.schema):
        dispute = HoursDispute.objects.get(service_id=service.pk)
        assert (dispute.disputed_hours, dispute.corrected_hours) == (Decimal("2"), Decimal("1.5"))
        assert dispute.resolved_by_id == people.vera.pk

    assert as_rita.post(f"/diensten/{service.pk}/bevestigen/").status_code == 302
    with schema_context(alfa.schema):
        due = CompensationDue.objects.get(service_id=service.pk)
        assert (due.kind, due.amount) == ("euros", Decimal("6.75"))
        assert KlusPayment.objects.get(service_id=service.pk).amount == Decimal("6.75")


def test_a_coordinator_sets_the_hours_then_the_requester_confirms_and_the_points_are_booked(
    alfa, beta, cast, serve_service
):
    """WIJ: while disputed no transfer exists; the assistant of Rita's buurt sets the hours
    (audited as done for the volunteer); Rita confirms and approves in one step."""
    people = cast(beta)
    service = serve_service(beta, people, cluster="Administratie", registered="2")
    as_rita = logged_in_client(beta, member=people.rita)
    assert (
        as_rita.post(
            f"/diensten/{service.pk}/klopt-niet/", {"reason": "Een uur, niet twee."}
        ).status_code
        == 302
    )
    assert settled_anything(beta, service) == (0, 0, 0)

    as_assistant = logged_in_client(beta, member=people.assistant)
    assistant_page = page(as_assistant, service)
    assert "Uren vaststellen" in assistant_page and "Een uur, niet twee." in assistant_page
    set_hours = as_assistant.post(
        f"/diensten/{service.pk}/uren-aanpassen/", {"hours": "1", "note": "Gebeld met beiden."}
    )
    assert set_hours.status_code == 302
    with schema_context(beta.schema):
        entry = AuditEntry.objects.filter(action="service.resolve").get()
        assert entry.actor_id == people.assistant.pk and "namens" in entry.summary
    assert settled_anything(beta, service) == (0, 0, 0)

    rita_page = page(as_rita, service)
    assert "Gebeld met beiden." in rita_page
    assert as_rita.post(f"/diensten/{service.pk}/bevestigen-en-goedkeuren/").status_code == 302
    with schema_context(beta.schema):
        transfer = Transfer.objects.get(service_id=service.pk)
        assert transfer.status == Transfer.Status.BOOKED
        assert CompensationDue.objects.get(service_id=service.pk).amount == Decimal("2.00")


def test_who_may_dispute_and_resolve_and_refusals_change_nothing(alfa, beta, cast, serve_service):
    people = cast(alfa)
    service = serve_service(alfa, people, cluster="Reparaties", registered="2")
    as_rita = logged_in_client(alfa, member=people.rita)
    as_vera = logged_in_client(alfa, member=people.vera)

    # Without a reason: refused, with the message next to the field.
    empty = as_rita.post(f"/diensten/{service.pk}/klopt-niet/", {"reason": "  "})
    assert empty.status_code == 400 and "Schrijf op wat er niet klopt" in empty.content.decode()
    # The volunteer cannot dispute their own hours; a stranger and the other buurt's assistant
    # do not see the service; another cooperative does not know it.
    assert as_vera.post(f"/diensten/{service.pk}/klopt-niet/", {"reason": "x"}).status_code == 403
    for outsider in (people.stranger, people.other_assistant):
        client = logged_in_client(alfa, member=outsider)
        said = client.post(f"/diensten/{service.pk}/klopt-niet/", {"reason": "x"})
        assert said.status_code == 404
    beta_member = cast(beta).rita
    other_coop = logged_in_client(beta, member=beta_member)
    assert other_coop.post(f"/diensten/{service.pk}/klopt-niet/", {"reason": "x"}).status_code in (
        403,
        404,
    )
    # Nothing to resolve yet.
    early = as_vera.post(f"/diensten/{service.pk}/uren-aanpassen/", {"hours": "1"})
    assert early.status_code == 400
    with schema_context(alfa.schema):
        assert not HoursDispute.objects.exists()
    assert stored(alfa, service).status == Service.Status.REGISTERED

    # Through the API: the requester disputes; the requester may not resolve it herself; the
    # volunteer may not set more hours than a service may last.
    base = f"/api/v1/services/{service.pk}/"
    disputed = as_rita.post(f"{base}dispute/", {"reason": "Klopt niet"}, content_type=JSON)
    assert disputed.status_code == 200
    data = disputed.json()
    assert data["status"] == "disputed" and data["disputes"][0]["reason"] == "Klopt niet"
    assert data["steps"][0]["code"] == "wait_correction"
    assert as_rita.post(f"{base}resolve/", {"hours": "1"}, content_type=JSON).status_code == 403
    too_long = as_vera.post(f"{base}resolve/", {"hours": "3"}, content_type=JSON)
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["code"] == "too_long"
    assert stored(alfa, service).registered_hours == Decimal("2")
    resolved = as_vera.post(f"{base}resolve/", {"hours": "1.5"}, content_type=JSON)
    assert resolved.status_code == 200 and resolved.json()["status"] == "registered"
    assert settled_anything(alfa, service) == (0, 0, 0)


def test_a_disputed_service_blocks_cancelling_the_request(alfa, beta, cast, serve_service):
    people = cast(alfa)
    service = serve_service(alfa, people, cluster="Wandelen", registered="1")
    as_rita = logged_in_client(alfa, member=people.rita)
    as_rita.post(f"/diensten/{service.pk}/klopt-niet/", {"reason": "Korter"})
    refused = as_rita.post(f"/hulpvragen/{service.request_id}/intrekken/", {"reason": "weg"})
    assert refused.status_code == 400
    assert stored(alfa, service).status == Service.Status.DISPUTED
