"""Every marketplace email goes through shared.mail: it links straight to the page where its
action is done (an absolute address on the cooperative's own subdomain), names the
cooperative and says where to reply; none says "kijk op de website" without a link."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace import services
from cooperatives.marketplace.models import HelpRequest, Offer, Service
from cooperatives.members.models import Member, Role
from cooperatives.setup.models import Cluster
from tests.factories import MemberFactory

HOST = "https://alfa.noaber.test"


def links(message) -> list[str]:
    return re.findall(r"https://\S+", message.body)


def assert_well_formed(message, coop) -> None:
    assert links(message), message.subject
    assert all(link.startswith(HOST + "/") for link in links(message)), message.body
    assert coop.cooperative.name in message.body, message.subject
    assert "Vragen?" in message.body  # where to reply
    assert "kijk op de website" not in message.body.lower()


def sent(capture, action) -> list:
    mail.outbox.clear()
    with capture(execute=True):
        action()
    return list(mail.outbox)


def test_each_step_of_the_help_loop_mails_the_link_to_its_page(
    alfa, beta, cast, django_capture_on_commit_callbacks
):
    people = cast(alfa)
    capture = django_capture_on_commit_callbacks
    other = MemberFactory(schema=alfa.schema, name="Otto Ook", roles=[Role.VOLUNTEER])
    with schema_context(alfa.schema):
        request = services.request_create(
            actor=people.rita,
            requester=people.rita,
            cluster=Cluster.objects.get(name="Reparaties"),
            title="Lamp ophangen",
            expected_hours="1",
            network_checked=True,
        )
    expected: dict[str, tuple[list[str], str]] = {}

    def step(name, action, to, link):
        with schema_context(alfa.schema):
            mails = sent(capture, action)
        assert sorted(m.to[0] for m in mails) == sorted(to), name
        for message in mails:
            assert_well_formed(message, alfa)
        expected[name] = (to, link)
        return mails

    mails = step(
        "answered",
        lambda: services.response_create(volunteer=people.vera, request=request),
        [people.rita.email],
        f"{HOST}/hulpvragen/{request.pk}/",
    )
    assert links(mails[0])[-1] == f"{HOST}/hulpvragen/{request.pk}/"
    with schema_context(alfa.schema):
        services.response_create(volunteer=other, request=request)
        answer = request.responses.get(volunteer=people.vera)
    holder: dict[str, Service] = {}

    def accept():
        holder["service"] = services.response_accept(
            actor=people.rita,
            response=answer,
            date=timezone.localdate() + dt.timedelta(days=3),
            start_time=dt.time(10, 0),
        )

    mails = step("accepted", accept, [people.vera.email, other.email], "")
    service = holder["service"]
    page = f"{HOST}/diensten/{service.pk}/"
    by_to = {m.to[0]: links(m)[-1] for m in mails}
    assert by_to == {people.vera.email: page, other.email: f"{HOST}/markt/"}

    mails = step(
        "moved",
        lambda: services.service_move(
            actor=people.vera,
            service=service,
            date=timezone.localdate() + dt.timedelta(days=4),
            start_time=dt.time(11, 0),
            reason="Bus",
        ),
        [people.rita.email, people.vera.email],
        page,
    )
    assert {links(m)[-1] for m in mails} == {page}
    with schema_context(alfa.schema):
        Service.objects.filter(pk=service.pk).update(date=timezone.localdate())
    mails = step(
        "registered",
        lambda: services.service_register_hours(actor=people.vera, service=service, hours="1"),
        [people.rita.email],
        page,
    )
    assert links(mails[0])[-1] == f"{page}#bevestigen"
    mails = step(
        "disputed",
        lambda: services.service_dispute(actor=people.rita, service=service, reason="Half uur"),
        [people.vera.email, people.coordinator.email, people.assistant.email],
        page,
    )
    assert {links(m)[-1] for m in mails} == {f"{page}#aanpassen"}
    mails = step(
        "resolved",
        lambda: services.service_dispute_resolve(actor=people.vera, service=service, hours="0.5"),
        [people.rita.email],
        page,
    )
    assert links(mails[0])[-1] == f"{page}#bevestigen"
    mails = step(
        "message",
        lambda: services.service_message_send(actor=people.rita, service=service, body="Dank!"),
        [people.vera.email],
        page,
    )
    assert links(mails[0])[-1] == f"{page}#berichten"
    mails = step(
        "confirmed",
        lambda: services.service_confirm(actor=people.rita, service=service),
        [people.vera.email],
        page,
    )
    assert links(mails[0])[-1] == page


def test_a_cancelled_service_mails_both_sides_with_its_page(
    alfa, beta, cast, serve_service, django_capture_on_commit_callbacks
):
    people = cast(alfa)
    service = serve_service(alfa, people, cluster="Wandelen")
    with schema_context(alfa.schema):
        Service.objects.filter(pk=service.pk).update(date=timezone.localdate() + dt.timedelta(1))
        mails = sent(
            django_capture_on_commit_callbacks,
            lambda: services.service_cancel(actor=people.rita, service=service, reason="Ziek"),
        )
    assert sorted(m.to[0] for m in mails) == sorted([people.rita.email, people.vera.email])
    for message in mails:
        assert_well_formed(message, alfa)
        assert links(message)[-1] == f"{HOST}/diensten/{service.pk}/"


def test_every_periodic_notice_links_to_where_it_is_acted_on(alfa, beta, cast, serve_service):
    """Digest, service and feedback reminders, a request's reminder and expiry, an offer's
    renewal and expiry, and the coordinators' summary, in one daily run."""
    people = cast(alfa)
    now = timezone.now()
    today = timezone.localdate()
    with schema_context(alfa.schema):
        walk = Cluster.objects.get(name="Wandelen")
        garden = Cluster.objects.get(name="Tuin")
        # A service tomorrow (both reminded) and one confirmed earlier (feedback reminder).
        tomorrow = serve_service(alfa, people, cluster="Wandelen", title="Morgen wandelen")
        Service.objects.filter(pk=tomorrow.pk).update(date=today + dt.timedelta(days=1))
        asker = MemberFactory(schema=alfa.schema, name="Anja Vraag", neighbourhood=people.oudwijk)
        helper = MemberFactory(schema=alfa.schema, name="Henk Helper", roles=[Role.VOLUNTEER])
        done = services.request_create(
            actor=asker, requester=asker, cluster=walk, title="Praatje", expected_hours="1"
        )
        answer = services.response_create(volunteer=helper, request=done)
        held = services.response_accept(
            actor=asker, response=answer, date=today, start_time=dt.time(9, 0)
        )
        services.service_register_hours(actor=helper, service=held, hours="1")
        services.service_confirm(actor=asker, service=held)
        Service.objects.filter(pk=held.pk).update(
            confirmed_at=now - dt.timedelta(days=6), feedback_due=today + dt.timedelta(days=1)
        )
        # Requests without a volunteer: one to remind, one to expire.
        waiting_member = MemberFactory(
            schema=alfa.schema, name="Wim Wacht", neighbourhood=people.oudwijk
        )
        waiting = services.request_create(
            actor=waiting_member,
            requester=waiting_member,
            cluster=walk,
            title="Wacht nog",
            expected_hours="1",
        )
        HelpRequest.objects.filter(pk=waiting.pk).update(created_at=now - dt.timedelta(days=8))
        old_member = MemberFactory(
            schema=alfa.schema, name="Olga Oud", neighbourhood=people.oudwijk
        )
        old = services.request_create(
            actor=old_member, requester=old_member, cluster=walk, title="Oud", expected_hours="1"
        )
        HelpRequest.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=31))
        # A new request, for the volunteers' digest.
        services.request_create(
            actor=people.stranger,
            requester=people.stranger,
            cluster=walk,
            title="Nieuw",
            expected_hours="1",
        )
        # Offers: one to renew soon, one past its date.
        renew = services.offer_create(actor=helper, cluster=garden, description="Snoeien")
        Offer.objects.filter(pk=renew.pk).update(renew_by=today + dt.timedelta(days=3))
        lapsed = services.offer_create(actor=people.vera, cluster=garden, description="Maaien")
        Offer.objects.filter(pk=lapsed.pk).update(renew_by=today - dt.timedelta(days=1))
        mail.outbox.clear()
        run = services.notices_run_daily()
    kinds = {kind for kind, count in run.sent.items() if count}
    assert kinds >= {
        "digest",
        "service_reminder_requester",
        "service_reminder_volunteer",
        "feedback_reminder",
        "request_reminder",
        "request_expired",
        "offer_renewal",
        "offer_expired",
        "coordinator_summary",
    }
    assert len(mail.outbox) == sum(run.sent.values())
    for message in mail.outbox:
        assert_well_formed(message, alfa)
    last = {m.subject: links(m)[-1] for m in mail.outbox}
    assert last['Hoe ging het? Uw terugkoppeling over "Praatje"'] == (f"{HOST}/diensten/{held.pk}/")
    assert last['Uw hulpvraag "Wacht nog" heeft nog geen vrijwilliger'] == (
        f"{HOST}/hulpvragen/{waiting.pk}/"
    )
    assert last['Uw hulpvraag "Oud" is gesloten'] == f"{HOST}/hulpvragen/nieuw/"
    assert last['Wilt u uw aanbod "Tuin" verlengen?'] == f"{HOST}/mijn-markt/"
    summary = next(m for m in mail.outbox if m.to == [people.coordinator.email])
    assert links(summary)[-1] == f"{HOST}/coordinatie/"


def test_a_mail_is_sent_in_the_recipients_language(
    alfa, beta, cast, serve_service, django_capture_on_commit_callbacks
):
    """shared.mail reads the member's language: an English reader gets the English text (the
    link stays the same)."""
    people = cast(alfa)
    service = serve_service(alfa, people, cluster="Wandelen")
    with schema_context(alfa.schema):
        Member.objects.filter(pk=people.rita.pk).update(language="en")
        mails = sent(
            django_capture_on_commit_callbacks,
            lambda: services.service_message_send(actor=people.vera, service=service, body="Hoi"),
        )
    assert [m.to for m in mails] == [[people.rita.email]]
    assert mails[0].subject.startswith("Message from Vera")
    assert f"{HOST}/diensten/{service.pk}/#berichten" in mails[0].body
