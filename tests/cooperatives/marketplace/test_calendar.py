"""The private calendar feed (agenda/<token>.ics): RFC 5545 iCalendar with the member's planned
and registered services, recently cancelled ones marked cancelled, the exact address only for
the service's own members, and a secret address that works only in its own cooperative and
stops working once renewed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace import services
from cooperatives.marketplace.models import Service
from cooperatives.members.models import Member
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory, NeighbourhoodFactory, ServiceFactory, date_passed

TODAY = timezone.localdate


TEXT_ESCAPES = {"\\\\": "\\", "\\;": ";", "\\,": ",", "\\n": "\n", "\\N": "\n"}


def parse_ics(raw: bytes) -> list[dict]:
    """A strict little reader: CRLF after every line, no line over 75 octets, continuation
    lines start with one space, BEGIN/END nest properly. Returns the VEVENTs as
    {name: unescaped value}; TEXT escapes must be valid (no bare ; , or \\ in a value)."""
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical), "a line longer than 75 octets"
    for line in physical:
        line.decode("utf-8")  # folding never splits a character
    logical: list[bytes] = []
    for line in physical:
        if line.startswith(b" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack, events, calendar = [], [], {}
    for line in (part.decode("utf-8") for part in logical):
        name, _sep, value = line.partition(":")
        assert _sep, f"no value in {line!r}"
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
            continue
        if name == "END":
            assert stack.pop() == value
            continue
        target = events[-1] if stack[-1] == "VEVENT" else calendar
        assert name not in target, f"{name} twice"
        target[name] = unescape(value)
    assert stack == []
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return events


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            pair = value[i : i + 2]
            assert pair in TEXT_ESCAPES, f"bad escape {pair!r}"
            out.append(TEXT_ESCAPES[pair])
            i += 2
        else:
            assert value[i] not in ";,", f"unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


def feed_url(coop, member: Member) -> str:
    with schema_context(coop.schema):
        return f"/agenda/{services.member_settings_ensure(member=member).calendar_token}.ics"


def fetch(coop, member: Member) -> list[dict]:
    response = client_for(coop.host).get(feed_url(coop, member))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return parse_ics(response.content)


def by_uid(events: list[dict]) -> dict[str, dict]:
    return {e["UID"]: e for e in events}


def test_the_feed_is_valid_icalendar_with_times_in_utc_and_text_escaped(alfa, beta):
    description = "Kraan lekt; keuken.\nSleutel ligt bij de buren, nr. 14 \\ achterom. " + (
        "Graag voorzichtig met de tegels én het aanrecht. " * 3
    )
    service = ServiceFactory(
        schema=alfa.schema,
        cluster="Reparaties",
        title="Kraan, kapot; echt\\ nu",
        description=description,
        date=dt.date(2099, 7, 1),
        start=dt.time(14, 30),
    )
    raw = client_for(alfa.host).get(feed_url(alfa, service.requester)).content
    assert b"\r\n " in raw  # the long description is folded
    (event,) = fetch(alfa, service.requester)
    assert event["UID"] == f"dienst-{service.pk}@alfa.noaber.test"
    assert event["SUMMARY"] == "Reparaties: Kraan, kapot; echt\\ nu"
    assert event["DTSTART"] == "20990701T123000Z"  # 14:30 summer time in Amsterdam
    assert event["DTEND"] == "20990701T140000Z"  # 1,5 hours later
    assert event["STATUS"] == "CONFIRMED"
    assert event["LOCATION"] == "Ooststraat 12, 3581AB"
    assert event["DESCRIPTION"] == (
        "Vrijwilliger: Vera Vrijwilliger\n"
        + description.strip()
        + f"\nhttp://alfa.noaber.test/diensten/{service.pk}/"
    )
    assert event["DTSTAMP"].endswith("Z")

    # In winter Amsterdam is one hour ahead of UTC; the event keeps its UID when moved.
    with schema_context(alfa.schema):
        services.service_move(
            actor=service.volunteer,
            service=service,
            date=dt.date(2099, 1, 15),
            start_time=dt.time(10, 0),
            reason="Later",
        )
    (moved,) = fetch(alfa, service.volunteer)
    assert (moved["UID"], moved["DTSTART"], moved["DTEND"]) == (
        event["UID"],
        "20990115T090000Z",
        "20990115T103000Z",
    )
    assert moved["DESCRIPTION"].startswith("Hulpvrager: Rita Hulpvrager\n")


def test_the_feed_holds_planned_registered_and_recently_cancelled_services(alfa, beta):
    buurt = NeighbourhoodFactory(schema=alfa.schema, name="Oost", postcodes=["3581"])
    volunteer = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])

    def plan(title: str) -> Service:
        requester = MemberFactory(
            schema=alfa.schema, street="Ooststraat", house_number="12", postcode="3581AB"
        )
        return ServiceFactory(
            schema=alfa.schema,
            cluster="Wandelen",
            title=title,
            volunteer=volunteer,
            requester=requester,
        )

    planned, registered, cancelled, old_cancel, confirmed = (
        plan(t) for t in ("Gepland", "Geregistreerd", "Geannuleerd", "Lang geleden", "Klaar")
    )
    with schema_context(alfa.schema):
        for service in (registered, confirmed):
            date_passed(alfa, service)
            services.service_register_hours(actor=volunteer, service=service, hours="1")
        services.service_confirm(actor=confirmed.requester, service=confirmed)
        for service in (cancelled, old_cancel):
            services.service_cancel(actor=volunteer, service=service, reason="Ziek")
    date_passed(alfa, old_cancel, days=31)

    events = by_uid(fetch(alfa, volunteer))
    uid = "dienst-{}@alfa.noaber.test".format
    assert set(events) == {uid(planned.pk), uid(registered.pk), uid(cancelled.pk)}
    assert events[uid(planned.pk)]["SUMMARY"] == "Wandelen: Gepland"
    assert events[uid(planned.pk)]["LOCATION"] == "Ooststraat 12, 3581AB, Oost"
    assert events[uid(registered.pk)]["STATUS"] == "CONFIRMED"
    # A registered service lasts the hours registered (1), not the 1,5 planned.
    start = dt.datetime.combine(
        TODAY() - dt.timedelta(days=1), dt.time(14, 30), tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    assert events[uid(registered.pk)]["DTEND"] == (start + dt.timedelta(hours=1)).astimezone(
        dt.UTC
    ).strftime("%Y%m%dT%H%M%SZ")
    # A cancelled service: marked cancelled, and the volunteer sees only the buurt now.
    assert events[uid(cancelled.pk)]["STATUS"] == "CANCELLED"
    assert events[uid(cancelled.pk)]["LOCATION"] == "Oost"
    # The requester keeps their own address on it.
    (own,) = fetch(alfa, cancelled.requester)
    assert (own["STATUS"], own["LOCATION"]) == ("CANCELLED", f"Ooststraat 12, 3581AB, {buurt}")


def test_an_unknown_or_renewed_token_or_another_cooperative_gets_404(alfa, beta):
    service = ServiceFactory(schema=alfa.schema, cluster="Wandelen")
    url = feed_url(alfa, service.volunteer)
    assert client_for(alfa.host).get(url).status_code == 200
    assert client_for(beta.host).get(url).status_code == 404  # A's secret on B's host
    assert client_for(alfa.host).get("/agenda/geen-echt-adres.ics").status_code == 404

    with schema_context(alfa.schema):
        services.calendar_token_renew(member=service.volunteer)
    assert client_for(alfa.host).get(url).status_code == 404
    new_url = feed_url(alfa, service.volunteer)
    assert new_url != url
    assert len(parse_ics(client_for(alfa.host).get(new_url).content)) == 1

    # A member who left has no calendar any more.
    with schema_context(alfa.schema):
        Member.objects.filter(pk=service.volunteer.pk).update(status=Member.Status.LEFT)
    assert client_for(alfa.host).get(new_url).status_code == 404


def test_my_services_offers_the_feed_to_add_to_a_calendar(alfa, beta):
    member = MemberFactory(schema=beta.schema)
    url = feed_url(beta, member)
    listing = logged_in_client(beta, member=member).get("/diensten/").content.decode()
    assert f'href="webcal://beta.noaber.test{url}"' in listing
    assert 'href="/instellingen/"' in listing  # copy or renew the address there
    assert client_for(beta.host).get(url).status_code == 200
