"""A member's services as an iCalendar feed (RFC 5545), for their phone or computer calendar.

The ``icalendar`` package writes it: escaping, line folding and UTC times are its work. Each
service is one event whose UID stays the same when it moves, so a calendar updates it; a
cancelled one is sent as cancelled. The exact address only where the address rule allows it
(``selectors.service_address_visible``), otherwise the buurt."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from cooperatives.marketplace import selectors
from cooperatives.marketplace.models import Service
from cooperatives.members.models import Member

# TEXT values may not hold control characters other than line ends (RFC 5545 3.3.11).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: str) -> vText:
    return vText(_CONTROL.sub("", re.sub(r"\r\n?", "\n", value)))


def services_calendar(
    *,
    member: Member,
    services: Iterable[Service],
    name: str,
    host: str,
    link: Callable[[Service], str],
    now: dt.datetime | None = None,
) -> bytes:
    """The calendar ``name`` of ``member`` with ``services``; ``host`` makes the UIDs unique
    across cooperatives, ``link`` gives the address of a service's page."""
    calendar = Calendar()
    calendar.add("prodid", "-//Noaber//Diensten//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(name))
    stamp = now or timezone.now()
    for service in services:
        calendar.add_component(_event(member, service, host=host, url=link(service), stamp=stamp))
    return calendar.to_ical()


def _event(member: Member, service: Service, *, host: str, url: str, stamp: dt.datetime) -> Event:
    start = dt.datetime.combine(
        service.date, service.start_time, tzinfo=timezone.get_default_timezone()
    )
    hours = service.registered_hours or service.planned_hours
    request = service.request
    buurt = request.neighbourhood.name if request.neighbourhood else ""
    location = buurt
    if selectors.service_address_visible(viewer=member, service=service):
        street = " ".join(p for p in (request.street, request.house_number) if p)
        location = ", ".join(p for p in (street, request.postcode, buurt) if p)
    with_whom = (
        _("Vrijwilliger: %(name)s") % {"name": service.volunteer.name}
        if member.pk == service.requester_id
        else _("Hulpvrager: %(name)s") % {"name": service.requester.name}
    )
    event = Event()
    event.add("uid", f"dienst-{service.pk}@{host}")
    event.add("dtstamp", stamp.astimezone(dt.timezone.utc))
    event.add("dtstart", start.astimezone(dt.timezone.utc))
    event.add("dtend", (start + dt.timedelta(hours=float(hours))).astimezone(dt.timezone.utc))
    event.add("summary", _text(f"{service.cluster.name}: {request.title}"))
    if location:
        event.add("location", _text(location))
    description = "\n".join(p for p in (with_whom, request.description, url) if p)
    event.add("description", _text(description))
    event.add("url", url)
    cancelled = service.status == Service.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event
