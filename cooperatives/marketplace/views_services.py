"""Service pages after the match: my services, one service (move, cancel, register hours,
confirm, feedback), the feedback a volunteer received, and the private calendar feed.

A service exists only for its requester, its volunteer and the coordinators and assistants
who look after the requester: for anyone else (and for another cooperative's id) it is a 404.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cooperatives.marketplace import selectors, services
from cooperatives.marketplace.forms_services import (
    ServiceCancelForm,
    ServiceConfirmForm,
    ServiceFeedbackForm,
    ServiceMoveForm,
    ServiceRegisterForm,
)
from cooperatives.marketplace.models import CompensationDue, MemberSettings, Service
from cooperatives.marketplace.settlement import compensation_amounts
from cooperatives.models import Member
from shared import permissions

PAGE_SIZE = 50
# Cancelled services stay in the calendar feed this long after their date, so a calendar that
# already had them marks them cancelled instead of keeping a stale appointment.
CANCELLED_FEED_DAYS = 30
# What the list marks as waiting for the viewer.
WAITING = frozenset({"register", "confirm", "feedback"})
FORMS = {
    "move": ServiceMoveForm,
    "register": ServiceRegisterForm,
    "confirm": ServiceConfirmForm,
    "feedback": ServiceFeedbackForm,
}
STEPS = {
    "move": services.service_move,
    "register": services.service_register_hours,
    "confirm": services.service_confirm,
    "feedback": services.service_feedback,
}


def service_or_404(viewer: Member, pk: int) -> Service:
    """The service if the viewer is one of its two members or looks after its requester."""
    service = selectors.services_for(member=viewer, in_scope=True).filter(pk=pk).first()
    if service is None:
        raise Http404
    return service


def address_visible(viewer: Member, service: Service) -> bool:
    """The exact address: for the requester (it is theirs), for whoever looks after them, and
    for the volunteer while the service still takes place; otherwise only the buurt."""
    return (
        viewer.pk == service.requester_id
        or service.status != Service.Status.CANCELLED
        or permissions.can(viewer, "service.coordinate", about=service.requester)
    )


def amount_display(kind: str, amount: Decimal) -> str:
    if kind == CompensationDue.Kind.EUROS:
        return f"€ {formats.number_format(amount, 2)}"
    return ngettext("%(n)s tijdpunt", "%(n)s tijdpunten", 1 if amount == 1 else 2) % {
        "n": floatformat(amount, -2)
    }


def _upcoming_first(services_qs: QuerySet[Service]) -> QuerySet[Service]:
    """From today on in date order, then the past, most recent first."""
    today = timezone.localdate()
    return services_qs.annotate(
        past=Case(
            When(date__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by(
        "past", Case(When(past=0, then=F("date"))).asc(nulls_last=True), "-date", "start_time"
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- my services -------------------------------------------------------------------------------


@require_safe
@permissions.require("marketplace.view")
def service_list(request: HttpRequest) -> HttpResponse:
    viewer = permissions.current_member(request)
    may_see_all = permissions.can(viewer, "service.coordinate")
    show_all = may_see_all and request.GET.get("alle") == "1"
    page = Paginator(
        _upcoming_first(selectors.services_for(member=viewer, in_scope=show_all)), PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    for service in page:
        service.todo = services.service_actions(actor=viewer, service=service) & WAITING
    feed = services.member_settings(member=viewer)
    feed_url = request.build_absolute_uri(reverse("calendar-feed", args=[feed.calendar_token]))
    return render(
        request,
        "marketplace/services/list.html",
        {
            "page": page,
            "viewer": viewer,
            "show_all": show_all,
            "may_see_all": may_see_all,
            "webcal_url": re.sub(r"^https?://", "webcal://", feed_url),
        },
    )


# --- one service -------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    viewer: Member,
    service: Service,
    *,
    posted: tuple[str, forms.Form] | None = None,
) -> HttpResponse:
    """The service page, with a form for each thing the viewer can do now; ``posted`` is a
    form that came back with errors (the page then answers 400)."""
    actions = services.service_actions(actor=viewer, service=service)
    page_forms = {
        action: FORMS[action](initial=_initial(action, service))
        for action in actions
        if action in FORMS
    }
    if posted:
        page_forms[posted[0]] = posted[1]
    rates = compensation_amounts(service=service, hours=Decimal("1"))
    amounts = (
        compensation_amounts(service=service, hours=service.registered_hours)
        if service.registered_hours
        else {}
    )
    return render(
        request,
        "marketplace/services/detail.html",
        {
            "service": service,
            "viewer": viewer,
            "forms": page_forms,
            "can_cancel": "cancel" in actions,
            "show_address": address_visible(viewer, service),
            "rates": [amount_display(kind, rate) for kind, (rate, _share) in rates.items()],
            "amounts": [amount_display(kind, amount) for kind, (amount, _s) in amounts.items()],
            "dues": [
                {
                    "due": due,
                    "amount": amount_display(due.kind, due.amount),
                    "share": amount_display(due.kind, due.cooperative_share)
                    if due.cooperative_share
                    else "",
                }
                for due in service.dues.select_related("payer", "payee").order_by("kind")
            ],
        },
        status=400 if posted else 200,
    )


def _initial(action: str, service: Service) -> dict:
    if action == "move":
        return {"date": service.date, "start_time": service.start_time}
    if action == "register":
        return {"hours": floatformat(service.planned_hours, -1)}
    return {}


@require_safe
@permissions.require("marketplace.view")
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = permissions.current_member(request)
    return _detail(request, viewer, service_or_404(viewer, pk))


def _act(request: HttpRequest, pk: int, action: str, done: str) -> HttpResponse:
    """One POST from the service page: who may is checked first (403, nothing changes), then
    the service decides whether it can be done now (its refusal shows on the page, 400)."""
    viewer = permissions.current_member(request)
    service = service_or_404(viewer, pk)
    if not services.service_may(actor=viewer, service=service, action=action):
        return permissions.forbidden(request)
    form = FORMS[action](request.POST)
    if form.is_valid():
        try:
            STEPS[action](actor=viewer, service=service, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, done)
            return redirect("service-detail", pk=service.pk)
    return _detail(request, viewer, service, posted=(action, form))


@require_POST
@permissions.require("marketplace.view")
def service_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "move", _("De afspraak is verzet. U en de ander krijgen bericht."))


@require_POST
@permissions.require("marketplace.view")
def service_register(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, "register", _("De uren zijn geregistreerd. De hulpvrager bevestigt ze.")
    )


@require_POST
@permissions.require("marketplace.view")
def service_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "confirm", _("De uren zijn bevestigd. Dank u wel!"))


@require_POST
@permissions.require("marketplace.view")
def service_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "feedback", _("Dank u voor uw terugkoppeling."))


@require_http_methods(["GET", "POST"])
@permissions.require("marketplace.view")
def service_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancelling is confirmed on a page of its own, with the reason the other side reads."""
    viewer = permissions.current_member(request)
    service = service_or_404(viewer, pk)
    if not services.service_may(actor=viewer, service=service, action="cancel"):
        return permissions.forbidden(request)
    form = ServiceCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_cancel(actor=viewer, service=service, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(
                request, _("De afspraak is geannuleerd. U en de ander krijgen bericht.")
            )
            return redirect("service-detail", pk=service.pk)
    return render(
        request,
        "marketplace/services/cancel.html",
        {"service": service, "form": form},
        status=400 if form.errors else 200,
    )


# --- feedback a volunteer received -------------------------------------------------------------


@require_safe
@permissions.require("marketplace.view")
def my_feedback(request: HttpRequest) -> HttpResponse:
    viewer = permissions.current_member(request)
    received = (
        selectors.services_for(member=viewer)
        .filter(volunteer=viewer, feedback_at__isnull=False)
        .order_by("-feedback_at")
    )
    page = Paginator(received, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "marketplace/services/my_feedback.html", {"page": page})


# --- the calendar feed -------------------------------------------------------------------------


def _ical_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line ends escaped;
    other control characters are not allowed and dropped."""
    value = re.sub(r"\r\n?", "\n", value)
    value = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", value)
    for char in ("\\", ";", ","):
        value = value.replace(char, "\\" + char)
    return value.replace("\n", "\\n")


def _ical_fold(line: str) -> str:
    """RFC 5545 3.1: at most 75 octets per line; a longer line goes on after CRLF and a
    space, and a UTF-8 character is never split."""
    data, parts, limit = line.encode(), [], 75
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        parts.append(data[:cut])
        data, limit = data[cut:], 74  # the leading space counts
    parts.append(data)
    return b"\r\n ".join(parts).decode()


def _ical_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _ical_event(
    request: HttpRequest, member: Member, service: Service, stamp: dt.datetime
) -> list[str]:
    start = dt.datetime.combine(
        service.date, service.start_time, tzinfo=timezone.get_default_timezone()
    )
    hours = service.registered_hours or service.planned_hours
    help_request = service.request
    is_requester = member.pk == service.requester_id
    buurt = help_request.neighbourhood.name if help_request.neighbourhood else ""
    location = buurt
    if address_visible(member, service):
        street = " ".join(p for p in (help_request.street, help_request.house_number) if p)
        location = ", ".join(p for p in (street, help_request.postcode, buurt) if p)
    url = request.build_absolute_uri(reverse("service-detail", args=[service.pk]))
    with_whom = (
        _("Vrijwilliger: %(name)s") % {"name": service.volunteer.name}
        if is_requester
        else _("Hulpvrager: %(name)s") % {"name": service.requester.name}
    )
    description = "\n".join(p for p in (with_whom, help_request.description, url) if p)
    status = "CANCELLED" if service.status == Service.Status.CANCELLED else "CONFIRMED"
    return [
        "BEGIN:VEVENT",
        f"UID:dienst-{service.pk}@{request.tenant.slug}.{settings.PLATFORM_DOMAIN}",
        f"DTSTAMP:{_ical_utc(stamp)}",
        f"DTSTART:{_ical_utc(start)}",
        f"DTEND:{_ical_utc(start + dt.timedelta(hours=float(hours)))}",
        f"SUMMARY:{_ical_text(f'{service.cluster.name}: {help_request.title}')}",
        *([f"LOCATION:{_ical_text(location)}"] if location else []),
        f"DESCRIPTION:{_ical_text(description)}",
        f"URL:{url}",
        f"STATUS:{status}",
        "END:VEVENT",
    ]


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's planned and registered services as iCalendar, for their phone or
    computer calendar. No login: the secret address is the key, and only in its own
    cooperative (another cooperative's schema has no such token)."""
    row = (
        MemberSettings.objects.select_related("member")
        .prefetch_related("member__role_assignments")
        .filter(calendar_token=token)
        .first()
    )
    if row is None or not permissions.can(row.member, "marketplace.view"):
        raise Http404
    member = row.member
    since = timezone.localdate() - dt.timedelta(days=CANCELLED_FEED_DAYS)
    feed = selectors.services_for(member=member).filter(
        Q(status__in=[Service.Status.PLANNED, Service.Status.REGISTERED])
        | Q(status=Service.Status.CANCELLED, date__gte=since)
    )
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Noaber//Diensten//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ical_text(f'{request.tenant.name}: ' + _('mijn diensten'))}",
    ]
    for service in feed:
        lines += _ical_event(request, member, service, stamp)
    lines.append("END:VCALENDAR")
    body = "".join(_ical_fold(line) + "\r\n" for line in lines)
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
