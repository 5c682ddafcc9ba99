"""Messages on the service page: kept with the service, between its requester and volunteer,
read for safety by the coordinators and the assistants of the requester's buurt, and never
shown to anyone else (another buurt's assistant and another cooperative: 404; the board, who
may look at the service: 403). A mail with the link tells the other side; a member without
email hears it through the coordinators' daily list."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace import services
from cooperatives.marketplace.models import Service, ServiceMessage
from cooperatives.members.models import Member
from tests.clients import logged_in_client

JSON = "application/json"


def messages_of(coop, service) -> list[tuple[int, str]]:
    with schema_context(coop.schema):
        return list(
            ServiceMessage.objects.filter(service_id=service.pk)
            .order_by("id")
            .values_list("author_id", "body")
        )


def test_the_two_sides_write_and_the_buurt_reads_along_nobody_else(
    alfa, beta, cast, serve_service, django_capture_on_commit_callbacks
):
    people = cast(alfa)
    service = serve_service(alfa, people, cluster="Wandelen")
    as_rita = logged_in_client(alfa, member=people.rita)
    as_vera = logged_in_client(alfa, member=people.vera)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = as_vera.post(f"/diensten/{service.pk}/berichten/", {"body": "Ik bel om 10 uur aan."})
    assert sent.status_code == 302 and sent.url.endswith("#berichten")
    assert [m.to for m in mail.outbox] == [[people.rita.email]]
    note = mail.outbox[0]
    assert "Vera" in note.subject and "Ik bel om 10 uur aan." in note.body
    assert f"https://alfa.noaber.test/diensten/{service.pk}/#berichten" in note.body
    assert alfa.cooperative.name in note.body
    as_rita.post(f"/diensten/{service.pk}/berichten/", {"body": "Prima, tot dan!"})
    assert messages_of(alfa, service) == [
        (people.vera.pk, "Ik bel om 10 uur aan."),
        (people.rita.pk, "Prima, tot dan!"),
    ]

    for reader in (people.rita, people.vera, people.coordinator, people.assistant):
        client = logged_in_client(alfa, member=reader)
        html = client.get(f"/diensten/{service.pk}/").content.decode()
        assert "Ik bel om 10 uur aan." in html and "Prima, tot dan!" in html, reader.name
        api = client.get(f"/api/v1/services/{service.pk}/messages/")
        assert [m["body"] for m in api.json()["results"]] == [
            "Ik bel om 10 uur aan.",
            "Prima, tot dan!",
        ]

    # The board may look at the service, but not at the messages.
    board = logged_in_client(alfa, member=people.board)
    board_page = board.get(f"/diensten/{service.pk}/").content.decode()
    assert board_page and "Ik bel om 10 uur aan." not in board_page
    assert board.get(f"/api/v1/services/{service.pk}/messages/").status_code == 403
    assert board.post(f"/diensten/{service.pk}/berichten/", {"body": "x"}).status_code == 403
    # Another buurt's assistant, a stranger and another cooperative do not see the service.
    for outsider in (people.other_assistant, people.stranger):
        client = logged_in_client(alfa, member=outsider)
        assert client.get(f"/api/v1/services/{service.pk}/messages/").status_code == 404
        assert client.post(f"/diensten/{service.pk}/berichten/", {"body": "x"}).status_code == 404
    beta_people = cast(beta)
    elsewhere = logged_in_client(beta, member=beta_people.coordinator)
    assert elsewhere.get(f"/api/v1/services/{service.pk}/messages/").status_code == 404
    assert len(messages_of(alfa, service)) == 2


def test_refused_messages_store_nothing(alfa, beta, cast, serve_service):
    people = cast(alfa)
    service = serve_service(alfa, people, cluster="Wandelen")
    as_rita = logged_in_client(alfa, member=people.rita)
    empty = as_rita.post(f"/diensten/{service.pk}/berichten/", {"body": "   "})
    assert empty.status_code == 400
    api = as_rita.post(f"/api/v1/services/{service.pk}/messages/", {"body": ""}, content_type=JSON)
    assert api.status_code == 400 and api.json()["errors"][0]["code"] == "required"
    as_rita.post(f"/diensten/{service.pk}/annuleren/", {"reason": "ziek"})
    late = as_rita.post(
        f"/api/v1/services/{service.pk}/messages/", {"body": "Sorry"}, content_type=JSON
    )
    assert late.status_code == 400 and late.json()["errors"][0]["code"] == "cancelled"
    assert messages_of(alfa, service) == []


def test_a_member_without_email_hears_messages_through_the_coordinators_list(
    alfa, beta, cast, serve_service
):
    people = cast(alfa)
    with schema_context(alfa.schema):
        Member.objects.filter(pk=people.rita.pk).update(email="")
        people.rita.refresh_from_db()
    service = serve_service(alfa, people, cluster="Wandelen")
    with schema_context(alfa.schema):
        services.service_message_send(
            actor=people.vera, service=service, body="Ik kom een kwartier later."
        )
    mail.outbox.clear()
    with schema_context(alfa.schema):
        Service.objects.filter(pk=service.pk).update(date=timezone.localdate())
        services.notices_run_daily()
        relayed = ServiceMessage.objects.get()
        assert relayed.relayed_at is not None
    summaries = {m.to[0]: m.body for m in mail.outbox if "Wat er vandaag te doen is" in m.subject}
    # The coordinator and the assistant of Rita's buurt hear it, the other assistant does not.
    assert set(summaries) == {people.coordinator.email, people.assistant.email}
    for body in summaries.values():
        assert "Rita Vraag, 030 111 22 33: bericht van Vera Vrijwilliger" in body
        assert "Ik kom een kwartier later." in body
        assert "https://alfa.noaber.test/coordinatie/" in body
    # Once: the next run does not list it again.
    mail.outbox.clear()
    with schema_context(alfa.schema):
        services.notices_run_daily()
    assert not any("Ik kom een kwartier later." in m.body for m in mail.outbox)
