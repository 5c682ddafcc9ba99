"""Background work in the marketplace: digests, reminders, expiry and the coordinators'
summary. Every kind of notice goes out once however often it runs, in the cooperative whose
data it is; the periodic tasks fan out over the open cooperatives and skip the others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import dateformat, timezone, translation
from django_tenants.utils import schema_context

from cooperatives.marketplace import services
from cooperatives.marketplace.models import (
    HelpRequest,
    HelpResponse,
    MemberSettings,
    Offer,
    Reach,
    Service,
)
from cooperatives.marketplace.tasks import (
    marketplace_daily,
    marketplace_daily_in_schema,
    marketplace_hourly,
)
from cooperatives.members.models import Member
from cooperatives.setup.models import Cluster
from shared.audit.models import AuditEntry
from tenants.models import Cooperative
from tests.factories import HelpRequestFactory, MemberFactory, NeighbourhoodFactory, ServiceFactory

TEN = dt.time(10, 0)


def today() -> dt.date:
    return timezone.localdate()


def day_name(day: dt.date, fmt: str = "l j F") -> str:
    with translation.override("nl"):
        return dateformat.format(day, fmt)


def outbox() -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def run_in(coop, work, **kw):
    with schema_context(coop.schema):
        return work(**kw)


# --- the day before a service ------------------------------------------------------------------


def test_day_before_reminder_goes_to_both_sides_once_in_each_cooperative(alfa, beta):
    tomorrow = today() + dt.timedelta(days=1)
    people = {}
    for coop, cluster, title in (
        (alfa, "Wandelen", "Wandeling in het park"),
        (beta, "(Auto)vervoer", "Rit naar het ziekenhuis"),
    ):
        requester = MemberFactory(schema=coop.schema, name=f"Hulpvrager {coop.schema}")
        volunteer = MemberFactory(
            schema=coop.schema, name=f"Vrijwilliger {coop.schema}", roles=["volunteer"]
        )
        service = ServiceFactory(
            schema=coop.schema,
            request=HelpRequestFactory(
                schema=coop.schema,
                requester=requester,
                title=title,
                cluster=cluster,
                street="Lindelaan",
                house_number="7",
            ),
            volunteer=volunteer,
            date=tomorrow,
            start=TEN,
        )
        people[coop.schema] = (requester, volunteer, service)

    for _ in range(2):
        for coop in (alfa, beta):
            run_in(coop, services.service_reminders_send)

    when = f"{day_name(tomorrow)} om 10:00"
    expected = []
    for coop in (alfa, beta):
        requester, volunteer, _service = people[coop.schema]
        expected += [
            (requester.email, f"Herinnering: morgen ({when}) komt er iemand helpen"),
            (volunteer.email, f"Herinnering: morgen ({when}) helpt u iemand"),
        ]
    assert outbox() == sorted(expected)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    alfa_requester, alfa_volunteer, alfa_service = people[alfa.schema]
    assert (
        'komt Vrijwilliger coop_alfa u helpen bij "Wandeling in het park". De afspraak duurt '
        "ongeveer 1,5 uur." in by_address[alfa_requester.email]
    )
    # Only the matched volunteer reads the address.
    assert "Adres: Lindelaan 7\n" in by_address[alfa_volunteer.email]
    assert "Lindelaan" not in by_address[alfa_requester.email]
    for address in (alfa_requester.email, alfa_volunteer.email):
        assert (
            f"\n    https://alfa.noaber.test/diensten/{alfa_service.pk}/\n" in by_address[address]
        )
    for address in (alfa_requester.email, alfa_volunteer.email):
        assert "ziekenhuis" not in by_address[address]
        assert "beta" not in by_address[address]
    for member in people[beta.schema][:2]:
        assert "Wandeling" not in by_address[member.email]
        assert (
            f"https://beta.noaber.test/diensten/{people[beta.schema][2].pk}/"
            in by_address[member.email]
        )
    with schema_context(alfa.schema):
        assert list(Service.objects.values_list("reminder_sent_for", flat=True)) == [tomorrow]


def test_a_moved_service_gets_a_new_reminder_for_its_new_date(alfa, beta):
    tomorrow, later = today() + dt.timedelta(days=1), today() + dt.timedelta(days=2)
    requester = MemberFactory(schema=alfa.schema, name="Hanna")
    volunteer = MemberFactory(schema=alfa.schema, name="Victor", roles=["volunteer"])
    service = ServiceFactory(
        schema=alfa.schema,
        request=HelpRequestFactory(
            schema=alfa.schema, requester=requester, title="Wandelen", cluster="Wandelen"
        ),
        volunteer=volunteer,
        date=tomorrow,
        start=TEN,
    )
    run_in(alfa, services.service_reminders_send)
    assert len(mail.outbox) == 2

    with schema_context(alfa.schema):
        services.service_move(
            actor=requester,
            service=service,
            date=later,
            start_time=dt.time(14, 30),
            reason="Tandarts",
        )
    run_in(alfa, services.service_reminders_send)
    assert len(mail.outbox) == 2  # the new date is not tomorrow yet

    a_day_later = timezone.now() + dt.timedelta(days=1)
    for _ in range(2):
        run_in(alfa, services.service_reminders_send, now=a_day_later)
    new = sorted((m.to[0], m.subject) for m in mail.outbox[2:])
    when = f"{day_name(later)} om 14:30"
    assert new == sorted(
        [
            (requester.email, f"Herinnering: morgen ({when}) komt er iemand helpen"),
            (volunteer.email, f"Herinnering: morgen ({when}) helpt u iemand"),
        ]
    )
    with schema_context(alfa.schema):
        assert Service.objects.get(pk=service.pk).reminder_sent_for == later


def test_a_cancelled_service_gets_no_reminder(alfa, beta):
    requester = MemberFactory(schema=alfa.schema)
    volunteer = MemberFactory(schema=alfa.schema, roles=["volunteer"])
    service = ServiceFactory(
        schema=alfa.schema,
        request=HelpRequestFactory(
            schema=alfa.schema, requester=requester, title="Boodschappen", cluster="Boodschappen"
        ),
        volunteer=volunteer,
        date=today() + dt.timedelta(days=1),
        start=TEN,
    )
    with schema_context(alfa.schema):
        services.service_cancel(actor=volunteer, service=service, reason="Ziek")
    run_in(alfa, services.service_reminders_send)
    assert mail.outbox == []
    with schema_context(alfa.schema):
        assert Service.objects.get(pk=service.pk).reminder_sent_for is None


# --- feedback ----------------------------------------------------------------------------------


def test_feedback_reminder_goes_to_the_requester_once_two_days_before_the_deadline(alfa, beta):
    due_soon, not_yet, given = (
        MemberFactory(schema=alfa.schema, name=f"Vrager {n}") for n in "ABC"
    )
    volunteer = MemberFactory(schema=alfa.schema, name="Vera", roles=["volunteer"])
    s_soon = ServiceFactory(
        schema=alfa.schema,
        request=HelpRequestFactory(
            schema=alfa.schema,
            requester=due_soon,
            title="Afval wegbrengen",
            cluster="Afval wegbrengen",
        ),
        volunteer=volunteer,
        date=today(),
        start=TEN,
        state="confirmed",
        hours="1",
    )
    s_later = ServiceFactory(
        schema=alfa.schema,
        request=HelpRequestFactory(
            schema=alfa.schema, requester=not_yet, title="Wandelen", cluster="Wandelen"
        ),
        volunteer=volunteer,
        date=today(),
        start=TEN,
        state="confirmed",
        hours="1",
    )
    s_given = ServiceFactory(
        schema=alfa.schema,
        request=HelpRequestFactory(
            schema=alfa.schema, requester=given, title="Boodschappen", cluster="Boodschappen"
        ),
        volunteer=volunteer,
        date=today(),
        start=TEN,
        state="confirmed",
        hours="1",
    )
    beta_requester = MemberFactory(schema=beta.schema, name="Bea")
    beta_volunteer = MemberFactory(schema=beta.schema, roles=["volunteer"])
    s_beta = ServiceFactory(
        schema=beta.schema,
        request=HelpRequestFactory(
            schema=beta.schema,
            requester=beta_requester,
            title="Administratie",
            cluster="Administratie",
        ),
        volunteer=beta_volunteer,
        date=today(),
        start=TEN,
        state="confirmed",
        hours="1",
    )
    long_ago = timezone.now() - dt.timedelta(days=5)
    with schema_context(alfa.schema):
        assert Service.objects.get(pk=s_later.pk).feedback_due == today() + dt.timedelta(days=7)
        services.service_feedback(actor=given, service=s_given, rating=5)
        Service.objects.filter(pk__in=[s_soon.pk, s_given.pk]).update(
            feedback_due=today() + dt.timedelta(days=2), confirmed_at=long_ago
        )
        Service.objects.filter(pk=s_later.pk).update(confirmed_at=long_ago)
    with schema_context(beta.schema):
        # WIJ's rules set no feedback days; a due date set by hand is still honoured.
        Service.objects.filter(pk=s_beta.pk).update(
            feedback_due=today() + dt.timedelta(days=1), confirmed_at=long_ago
        )

    for _ in range(2):
        for coop in (alfa, beta):
            run_in(coop, services.feedback_reminders_send)

    assert outbox() == sorted(
        [
            (due_soon.email, 'Hoe ging het? Uw terugkoppeling over "Afval wegbrengen"'),
            (beta_requester.email, 'Hoe ging het? Uw terugkoppeling over "Administratie"'),
        ]
    )
    body = next(m.body for m in mail.outbox if m.to == [due_soon.email])
    assert f"vóór {day_name(today() + dt.timedelta(days=2))} laten weten" in body
    assert f"https://alfa.noaber.test/diensten/{s_soon.pk}/" in body
    with schema_context(alfa.schema):
        marked = dict(Service.objects.values_list("pk", "feedback_reminder_sent_at"))
    assert marked[s_soon.pk] is not None
    assert marked[s_later.pk] is None
    assert marked[s_given.pk] is None


def test_no_feedback_reminder_on_the_day_of_confirming(alfa, beta):
    requester = MemberFactory(schema=alfa.schema)
    service = ServiceFactory(
        schema=alfa.schema,
        request=HelpRequestFactory(
            schema=alfa.schema, requester=requester, title="Wandelen", cluster="Wandelen"
        ),
        volunteer=MemberFactory(schema=alfa.schema, roles=["volunteer"]),
        date=today(),
        start=TEN,
        state="confirmed",
        hours="1",
    )
    with schema_context(alfa.schema):
        Service.objects.filter(pk=service.pk).update(feedback_due=today() + dt.timedelta(days=1))
    run_in(alfa, services.feedback_reminders_send)
    assert mail.outbox == []


# --- requests without a match ------------------------------------------------------------------


def test_request_without_a_match_is_reminded_once_then_expires_and_nothing_is_deleted(alfa, beta):
    requester = MemberFactory(schema=alfa.schema, name="Roos")
    recent_requester = MemberFactory(schema=alfa.schema, name="Rik")
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    volunteer = MemberFactory(schema=alfa.schema, name="Vince", roles=["volunteer"])
    old = HelpRequestFactory(
        schema=alfa.schema,
        requester=requester,
        title="Hulp bij de boodschappen",
        cluster="Boodschappen",
    )
    recent = HelpRequestFactory(
        schema=alfa.schema, requester=recent_requester, title="Samen wandelen", cluster="Wandelen"
    )
    with schema_context(alfa.schema):
        services.response_create(volunteer=volunteer, request=old)
        HelpRequest.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=8)
        )
        HelpRequest.objects.filter(pk=recent.pk).update(
            created_at=timezone.now() - dt.timedelta(days=3)
        )
    beta_requester = MemberFactory(schema=beta.schema, name="Bram")
    beta_old = HelpRequestFactory(
        schema=beta.schema,
        requester=beta_requester,
        title="Hulp met de belastingaangifte",
        cluster="Administratie",
    )
    with schema_context(beta.schema):
        HelpRequest.objects.filter(pk=beta_old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=8)
        )

    for _ in range(2):
        for coop in (alfa, beta):
            with schema_context(coop.schema):
                services.coordinator_summaries_send(run=services.requests_remind())

    assert outbox() == sorted(
        [
            (
                requester.email,
                'Uw hulpvraag "Hulp bij de boodschappen" heeft nog geen vrijwilliger',
            ),
            (
                beta_requester.email,
                'Uw hulpvraag "Hulp met de belastingaangifte" heeft nog geen vrijwilliger',
            ),
            (coordinator.email, "Wat er vandaag te doen is bij Wijkcoöperatie Alfa"),
        ]
    )
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert (
        '"Hulp bij de boodschappen" heeft na 7 dagen nog geen vrijwilliger.'
        in bodies[requester.email]
    )
    assert "Er wacht 1 vrijwilliger op uw keuze." in bodies[requester.email]
    assert f"https://alfa.noaber.test/hulpvragen/{old.pk}/" in bodies[requester.email]
    assert "https://alfa.noaber.test/coordinatie/" in bodies[coordinator.email]
    assert "na 30 dagen nog geen vrijwilliger, dan sluiten we hem" in bodies[requester.email]
    assert "- Hulp bij de boodschappen (Roos), gevraagd op" in bodies[coordinator.email]
    assert "Samen wandelen" not in bodies[coordinator.email]
    assert "belastingaangifte" not in bodies[coordinator.email]

    mail.outbox.clear()
    with schema_context(alfa.schema):
        counts = (HelpRequest.objects.count(), HelpResponse.objects.count())
        HelpRequest.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=31)
        )
        for _ in range(2):
            services.requests_expire()
        expired = HelpRequest.objects.get(pk=old.pk)
        assert expired.status == HelpRequest.Status.EXPIRED
        assert expired.closed_at is not None
        assert HelpRequest.objects.get(pk=recent.pk).status == HelpRequest.Status.OPEN
        assert (HelpRequest.objects.count(), HelpResponse.objects.count()) == counts
        assert HelpResponse.objects.get(request=old).status == HelpResponse.Status.WAITING
        entry = AuditEntry.objects.get(action="request.expire")
        assert (entry.actor_id, entry.target_id) == (None, str(old.pk))
    assert outbox() == [(requester.email, 'Uw hulpvraag "Hulp bij de boodschappen" is gesloten')]
    assert "https://alfa.noaber.test/hulpvragen/nieuw/" in mail.outbox[0].body
    with schema_context(beta.schema):
        assert HelpRequest.objects.get(pk=beta_old.pk).status == HelpRequest.Status.OPEN


def test_matched_and_reopened_requests_are_not_reminded_or_expired(alfa, beta):
    matched_requester, reopened_requester = (
        MemberFactory(schema=alfa.schema),
        MemberFactory(schema=alfa.schema),
    )
    volunteer = MemberFactory(schema=alfa.schema, roles=["volunteer"])
    matched = HelpRequestFactory(
        schema=alfa.schema,
        requester=matched_requester,
        title="Tuin bijhouden",
        cluster="Tuin",
        network_checked=True,
    )
    ServiceFactory(
        schema=alfa.schema,
        request=matched,
        volunteer=volunteer,
        date=today() + dt.timedelta(days=3),
        start=TEN,
    )
    reopened = HelpRequestFactory(
        schema=alfa.schema, requester=reopened_requester, title="Wandelen", cluster="Wandelen"
    )
    service = ServiceFactory(
        schema=alfa.schema,
        request=reopened,
        volunteer=volunteer,
        date=today() + dt.timedelta(days=3),
        start=TEN,
    )
    with schema_context(alfa.schema):
        # Cancelled today: open again, and its waiting starts now, not when it was made.
        services.service_cancel(actor=volunteer, service=service, reason="Verhuisd")
        HelpRequest.objects.update(created_at=timezone.now() - dt.timedelta(days=40))
        services.requests_expire()
        services.requests_remind()
        statuses = dict(HelpRequest.objects.values_list("pk", "status"))
    assert statuses == {matched.pk: "matched", reopened.pk: "open"}
    assert mail.outbox == []


# --- offers ------------------------------------------------------------------------------------


def test_offer_is_asked_for_renewal_once_then_expires_and_is_kept(alfa, beta):
    volunteer = MemberFactory(schema=alfa.schema, name="Wim", roles=["volunteer"])
    other = MemberFactory(schema=alfa.schema, name="Wendy", roles=["volunteer"])
    with schema_context(alfa.schema):
        offer = services.offer_create(
            actor=volunteer, cluster=Cluster.objects.get(name="Tuin"), description="Snoeien"
        )
        assert offer.renew_by == today() + dt.timedelta(days=90)
        later = services.offer_create(
            actor=other, cluster=Cluster.objects.get(name="Wandelen"), description="Wandelen"
        )
        Offer.objects.filter(pk=offer.pk).update(renew_by=today() + dt.timedelta(days=5))
        Offer.objects.filter(pk=later.pk).update(renew_by=today() + dt.timedelta(days=10))
    beta_volunteer = MemberFactory(schema=beta.schema, roles=["volunteer"])
    with schema_context(beta.schema):
        beta_offer = services.offer_create(
            actor=beta_volunteer,
            cluster=Cluster.objects.get(name="Administratie"),
            description="Formulieren",
        )
        Offer.objects.filter(pk=beta_offer.pk).update(renew_by=today() - dt.timedelta(days=1))

    for _ in range(2):
        run_in(alfa, services.offers_ask_renewal)
    assert outbox() == [(volunteer.email, 'Wilt u uw aanbod "Tuin" verlengen?')]
    assert day_name(today() + dt.timedelta(days=5), "l j F Y") in mail.outbox[0].body
    assert "https://alfa.noaber.test/mijn-markt/" in mail.outbox[0].body

    mail.outbox.clear()
    with schema_context(alfa.schema):
        Offer.objects.filter(pk=offer.pk).update(renew_by=today() - dt.timedelta(days=1))
        for _ in range(2):
            services.offers_expire()
            services.offers_ask_renewal()
        statuses = dict(Offer.objects.values_list("pk", "status"))
        assert statuses == {offer.pk: "expired", later.pk: "active"}
    assert outbox() == [(volunteer.email, 'Uw aanbod "Tuin" is verlopen')]
    with schema_context(beta.schema):
        assert Offer.objects.get(pk=beta_offer.pk).status == Offer.Status.ACTIVE  # A's run only


# --- digests -----------------------------------------------------------------------------------


def test_digest_selects_new_requests_in_the_buurt_its_neighbours_and_the_clusters(alfa, beta):
    noord, zuid, west = (
        NeighbourhoodFactory(schema=alfa.schema, name=n) for n in ("Noord", "Zuid", "West")
    )
    with schema_context(alfa.schema):
        noord.adjacent.add(zuid)
    volunteer = MemberFactory(
        schema=alfa.schema, name="Vera", roles=["volunteer"], neighbourhood=noord
    )
    with schema_context(alfa.schema):
        volunteer.help_clusters.set([Cluster.objects.get(name="Wandelen")])
        services.offer_create(
            actor=volunteer,
            cluster=Cluster.objects.get(name="Tuin"),
            description="Tuinieren",
            reach=Reach.COOPERATIVE,
        )
        settings_row = services.digest_set(member=volunteer, digest="daily")
        MemberSettings.objects.filter(pk=settings_row.pk).update(
            last_digest_at=timezone.now() - dt.timedelta(days=1)
        )

    def asked(title: str, cluster: str, buurt, **kw) -> HelpRequest:
        return HelpRequestFactory(
            schema=alfa.schema,
            requester=MemberFactory(schema=alfa.schema, neighbourhood=buurt),
            title=title,
            cluster=cluster,
            **kw,
        )

    wanted = [
        asked("Wandelen in Noord", "Wandelen", noord),
        asked("Wandelen in Zuid", "Wandelen", zuid),
    ]
    asked("Wandelen in West", "Wandelen", west)
    asked("Boodschappen in Noord", "Boodschappen", noord)
    wanted.append(asked("Tuin in West", "Tuin", west, network_checked=True))
    before = asked("Wandelen in Noord van eergisteren", "Wandelen", noord)
    answered = asked("Wandelen in Noord, al gereageerd", "Wandelen", noord)
    with schema_context(alfa.schema):
        HelpRequest.objects.filter(pk=before.pk).update(
            created_at=timezone.now() - dt.timedelta(days=2)
        )
        services.response_create(volunteer=volunteer, request=answered)
    beta_volunteer = MemberFactory(schema=beta.schema, name="Bas", roles=["volunteer"])
    HelpRequestFactory(
        schema=beta.schema,
        requester=MemberFactory(schema=beta.schema),
        title="Rit naar de markt",
        cluster="(Auto)vervoer",
    )

    now = timezone.now()
    for _ in range(2):
        for coop in (alfa, beta):
            run_in(coop, services.digests_send, now=now)

    assert outbox() == sorted(
        [
            (volunteer.email, "3 nieuwe hulpvragen bij u in de buurt"),
            (beta_volunteer.email, "1 nieuwe hulpvraag bij u in de buurt"),
        ]
    )
    body = next(m.body for m in mail.outbox if m.to == [volunteer.email])
    listed = [line[2:].split(" (")[0] for line in body.splitlines() if line.startswith("- ")]
    assert listed == ["Wandelen in Noord", "Wandelen in Zuid", "Tuin in West"]
    assert "de afgelopen dag" in body
    assert "- Wandelen in Zuid (Wandelen, Zuid)" in body
    links = [line.strip() for line in body.splitlines() if "/hulpvragen/" in line]
    assert links == [f"https://alfa.noaber.test/hulpvragen/{r.pk}/" for r in wanted]
    assert "https://alfa.noaber.test/instellingen/" in body
    beta_body = next(m.body for m in mail.outbox if m.to == [beta_volunteer.email])
    assert "- Rit naar de markt ((Auto)vervoer)" in beta_body
    assert "Wandelen" not in beta_body
    with schema_context(alfa.schema):
        assert MemberSettings.objects.get(member=volunteer).last_digest_at == now


def test_digest_follows_each_members_choice_daily_weekly_or_none(alfa, beta):
    HelpRequestFactory(
        schema=alfa.schema,
        requester=MemberFactory(schema=alfa.schema),
        title="Praatje bij de koffie",
        cluster="Thuisbezoek en praatje",
    )
    daily = MemberFactory(schema=alfa.schema, name="Dagelijks", roles=["volunteer"])
    weekly = MemberFactory(schema=alfa.schema, name="Wekelijks", roles=["volunteer"])
    fresh = MemberFactory(schema=alfa.schema, name="Nieuw", roles=["neighbourhood_assistant"])
    none = MemberFactory(schema=alfa.schema, name="Nooit", roles=["volunteer"])
    no_email = MemberFactory(schema=alfa.schema, name="Zonder mail", roles=["volunteer"])
    plain = MemberFactory(schema=alfa.schema, name="Gewoon lid")
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    with schema_context(alfa.schema):
        for member, choice in (
            (daily, "daily"),
            (weekly, "weekly"),
            (none, "none"),
            (plain, "daily"),
        ):
            row = services.digest_set(member=member, digest=choice)
            MemberSettings.objects.filter(pk=row.pk).update(last_digest_at=two_days_ago)
        Member.objects.filter(pk=no_email.pk).update(email="")

    now = timezone.now()
    for _ in range(2):
        run_in(alfa, services.digests_send, now=now)
    subject = "1 nieuwe hulpvraag bij u in de buurt"
    assert outbox() == sorted([(daily.email, subject), (fresh.email, subject)])
    assert "de afgelopen week" in next(m.body for m in mail.outbox if m.to == [fresh.email])
    with schema_context(alfa.schema):
        made = MemberSettings.objects.get(member=fresh)
        assert (made.digest, made.last_digest_at) == ("weekly", now)
        assert not MemberSettings.objects.filter(member=no_email).exists()
        MemberSettings.objects.filter(member=weekly).update(
            last_digest_at=timezone.now() - dt.timedelta(days=8)
        )

    mail.outbox.clear()
    for _ in range(2):
        run_in(alfa, services.digests_send, now=now)
    assert outbox() == [(weekly.email, subject)]

    # The next day the daily member is due again, but nothing is new: no email.
    mail.outbox.clear()
    run_in(alfa, services.digests_send, now=now + dt.timedelta(days=1))
    assert mail.outbox == []
    with schema_context(alfa.schema):
        assert MemberSettings.objects.get(member=daily).last_digest_at == now + dt.timedelta(days=1)


# --- the coordinators' summary -----------------------------------------------------------------


def test_members_without_email_are_listed_for_the_coordinators_of_their_buurt(alfa, beta):
    noord, zuid = (
        NeighbourhoodFactory(schema=alfa.schema, name="Noord"),
        NeighbourhoodFactory(schema=alfa.schema, name="Zuid"),
    )
    coordinator = MemberFactory(schema=alfa.schema, name="Cora", roles=["coordinator"])
    assistant_noord = MemberFactory(
        schema=alfa.schema, name="Anton", roles=["neighbourhood_assistant"], assists=[noord]
    )
    assistant_zuid = MemberFactory(
        schema=alfa.schema, name="Zoë", roles=["neighbourhood_assistant"], assists=[zuid]
    )
    offline = MemberFactory(
        schema=alfa.schema,
        name="Riet Zonder Mail",
        neighbourhood=noord,
        login=False,
        phone="030-1234567",
    )
    with schema_context(alfa.schema):
        Member.objects.filter(pk=offline.pk).update(email="")
        offline.refresh_from_db()
    volunteer = MemberFactory(schema=alfa.schema, name="Vik", roles=["volunteer"])
    request = HelpRequestFactory(
        schema=alfa.schema,
        requester=offline,
        title="Naar de huisarts lopen",
        cluster="Wandelen",
        actor=coordinator,
    )
    ServiceFactory(
        schema=alfa.schema,
        request=request,
        volunteer=volunteer,
        date=today() + dt.timedelta(days=1),
        start=TEN,
    )

    for _ in range(2):
        with schema_context(alfa.schema):
            services.coordinator_summaries_send(run=services.service_reminders_send())

    summary = "Wat er vandaag te doen is bij Wijkcoöperatie Alfa"
    assert outbox() == sorted(
        [
            (
                volunteer.email,
                f"Herinnering: morgen ({day_name(today() + dt.timedelta(days=1))} "
                "om 10:00) helpt u iemand",
            ),
            (coordinator.email, summary),
            (assistant_noord.email, summary),
        ]
    )
    body = next(m.body for m in mail.outbox if m.to == [coordinator.email])
    assert (
        "- Riet Zonder Mail, 030-1234567: herinnering: morgen komt er een vrijwilliger "
        '("Naar de huisarts lopen")' in body
    )
    assert assistant_zuid.email not in {m.to[0] for m in mail.outbox}


# --- the periodic tasks ------------------------------------------------------------------------


@pytest.fixture
def tomorrow_in_both(alfa, beta):
    """A service tomorrow in each cooperative: {schema: (requester, volunteer, service)}."""
    made = {}
    for coop, title, cluster in (
        (alfa, "Wandeling met Alfa", "Wandelen"),
        (beta, "Rit met Beta", "(Auto)vervoer"),
    ):
        requester = MemberFactory(schema=coop.schema)
        volunteer = MemberFactory(schema=coop.schema, roles=["volunteer"])
        service = ServiceFactory(
            schema=coop.schema,
            request=HelpRequestFactory(
                schema=coop.schema, requester=requester, title=title, cluster=cluster
            ),
            volunteer=volunteer,
            date=today() + dt.timedelta(days=1),
            start=TEN,
        )
        made[coop.schema] = (requester, volunteer, service)
    return made


def test_daily_task_fans_out_to_every_open_cooperative_in_its_own_schema(
    alfa, beta, tomorrow_in_both, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True) as queued:
            result = marketplace_daily.delay().get()
        assert result == {"queued": ["coop_alfa", "coop_beta"]}
        assert len(queued) == 2  # queued after the commit, one per cooperative

    assert len(mail.outbox) == 4
    for schema, own, other in (("coop_alfa", "Alfa", "Beta"), ("coop_beta", "Beta", "Alfa")):
        requester, volunteer, service = tomorrow_in_both[schema]
        mine = [m for m in mail.outbox if m.to[0] in (requester.email, volunteer.email)]
        assert len(mine) == 2
        for message in mine:
            assert f"met {own}" in message.body
            assert f"met {other}" not in message.body
        with schema_context(schema):
            assert Service.objects.get(pk=service.pk).reminder_sent_for == service.date


def test_fan_out_skips_a_suspended_cooperative(
    alfa, beta, tomorrow_in_both, django_capture_on_commit_callbacks
):
    Cooperative.objects.filter(pk=beta.cooperative.pk).update(status="suspended")
    with django_capture_on_commit_callbacks(execute=True):
        assert marketplace_hourly.delay().get() == {"queued": ["coop_alfa"]}
    alfa_people = {m.email for m in tomorrow_in_both["coop_alfa"][:2]}
    assert {m.to[0] for m in mail.outbox} == alfa_people
    # Queued before the suspension, the task still leaves the cooperative alone.
    with schema_context(beta.schema):
        assert marketplace_daily_in_schema.delay().get() == {
            "schema": "coop_beta",
            "skipped": True,
        }
        assert Service.objects.get().reminder_sent_for is None
    assert len(mail.outbox) == 2


def test_per_schema_task_reports_what_it_sent(alfa, beta, tomorrow_in_both):
    with schema_context(alfa.schema):
        first = marketplace_daily_in_schema.delay().get()
        again = marketplace_daily_in_schema.delay().get()
    assert first == {
        "schema": "coop_alfa",
        "sent": {"service_reminder_requester": 1, "service_reminder_volunteer": 1},
    }
    assert again == {"schema": "coop_alfa", "sent": {}}


def test_per_schema_task_does_nothing_in_the_public_schema(alfa, beta):
    assert marketplace_daily_in_schema.delay().get() == {"schema": "public", "skipped": True}
