"""Marketplace pages: browsing requests and offers, asking for help (also on a member's
behalf), offering help, "ik help" and accepting a volunteer, a member's own marketplace, the
coordinator board and a member's settings. Views stay thin: the selectors decide what the
viewer may see, the services enforce the house rules.

Service pages after the match: my services, one service (move, cancel, register hours,
confirm, feedback), the feedback a volunteer received, and the private calendar feed.

A service exists only for its requester, its volunteer and the coordinators and assistants
who look after the requester: for anyone else (and for another cooperative's id) it is a 404."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

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

from cooperatives.marketplace import matching, selectors, services
from cooperatives.marketplace.forms import (
    PAID,
    AcceptForm,
    CancelForm,
    DigestForm,
    MarketFilterForm,
    OfferForm,
    RequestForm,
    RespondForm,
    ServiceCancelForm,
    ServiceConfirmForm,
    ServiceFeedbackForm,
    ServiceMoveForm,
    ServiceRegisterForm,
    compensation_label,
)
from cooperatives.marketplace.models import (
    CompensationDue,
    HelpRequest,
    MemberSettings,
    Offer,
    Service,
)
from cooperatives.members.models import AVAILABILITY_CHOICES, DAY_PARTS, Member
from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup.models import Cluster
from shared import permissions

# --- from views_requests ------------------------------------------------------------

REQUESTS_PAGE_SIZE = 25
TEMPLATE_DIR = "marketplace/requests/"


def _found(obj: Any) -> Any:
    if obj is None:
        raise Http404
    return obj


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _describe(help_request: HelpRequest) -> HelpRequest:
    """Words for a request's compensation and parts of the day, for the templates."""
    parts = dict(DAY_PARTS)
    help_request.compensation_text = compensation_label(
        help_request.compensation, help_request.rulebook
    )
    help_request.parts_text = [parts[p] for p in help_request.preferred_parts if p in parts]
    return help_request


def _page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    return render(request, TEMPLATE_DIR + template, context, status=status)


# --- the marketplace ---------------------------------------------------------------------------


@require_safe
@permissions.require("marketplace.view")
def marketplace(request: HttpRequest) -> HttpResponse:
    """Open requests and active offers. Never an exact address here: the buurt only."""
    form = MarketFilterForm(request.GET or None)
    filters = form.filters()
    rulebook = rulebook_current()
    requests = Paginator(selectors.request_list(**filters), REQUESTS_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    for row in requests:
        _describe(row)
    offers = Paginator(
        selectors.offer_list(
            cluster_id=filters["cluster_id"], neighbourhood_id=filters["neighbourhood_id"]
        ),
        REQUESTS_PAGE_SIZE,
    ).get_page(request.GET.get("aanbodpagina"))
    slots = dict(AVAILABILITY_CHOICES)
    for offer in offers:
        offer.compensation_text = compensation_label(
            rulebook.compensation_for(offer.cluster) if rulebook else None, rulebook
        )
        offer.availability_text = [slots[a] for a in offer.availability if a in slots]
    return _page(request, "marketplace.html", {"form": form, "page": requests, "offers": offers})


# --- asking for help ---------------------------------------------------------------------------


def _asks_network_check(rulebook: Rulebook | None, cluster_id: str | None) -> bool:
    """Show the "family, friends and neighbours cannot help" box when the rules ask for it
    and the chosen cluster is a paid klus (before a cluster is chosen: if any is)."""
    if rulebook is None or not rulebook.klus_needs_network_check:
        return False
    clusters = Cluster.objects.filter(is_active=True)
    if cluster_id and str(cluster_id).isdigit():
        clusters = Cluster.objects.filter(pk=cluster_id) or clusters
    return any(rulebook.compensation_for(c) in PAID for c in clusters)


@require_http_methods(["GET", "POST"])
@permissions.require("request.create")
def request_create(request: HttpRequest) -> HttpResponse:
    actor = permissions.current_member(request)
    rulebook = rulebook_current()
    chosen = request.POST.get("cluster") or request.GET.get("cluster")
    form = RequestForm(
        request.POST or None,
        initial={"cluster": chosen},
        rulebook=rulebook,
        on_behalf=selectors.on_behalf_candidates(viewer=actor)
        if permissions.can(actor, "request.create_on_behalf")
        else None,
        ask_network_check=_asks_network_check(rulebook, chosen),
    )
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.request_create(**form.service_arguments(actor=actor))
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(
                request, _("Uw hulpvraag staat op de markt. U krijgt bericht als iemand helpt.")
            )
            return redirect("request-detail", pk=help_request.pk)
    return _page(
        request,
        "request_form.html",
        {"form": form, "actor": actor},
        status=400 if form.errors else 200,
    )


# --- one request: "ik help", accepting, cancelling ---------------------------------------------


def _visible_request(request: HttpRequest, pk: int) -> tuple[Member, HelpRequest]:
    viewer = permissions.current_member(request)
    return viewer, _found(selectors.request_visible(viewer=viewer, pk=pk))


def _request_detail(
    request: HttpRequest,
    viewer: Member,
    help_request: HelpRequest,
    *,
    accept_form: tuple[int, AcceptForm] | None = None,
    error: str = "",
) -> HttpResponse:
    is_open = help_request.status == HelpRequest.Status.OPEN
    manage = selectors.may_manage_request(viewer=viewer, request=help_request)
    show_address = selectors.may_see_address(viewer=viewer, request=help_request)
    hours = floatformat(help_request.expected_hours, -1)
    responses = []
    for response in selectors.responses_for(request=help_request) if manage else []:
        if accept_form and accept_form[0] == response.pk:
            form = accept_form[1]
        else:
            form = AcceptForm(prefix=f"r{response.pk}", initial={"planned_hours": hours})
        responses.append({"response": response, "form": form})
    context = {
        "req": _describe(help_request),
        "show_address": show_address,
        "can_manage": manage,
        "can_cancel": manage and help_request.status in selectors.OPEN_STATUSES,
        "can_respond": is_open
        and viewer.pk != help_request.requester_id
        and permissions.can(viewer, "request.respond"),
        "has_responded": help_request.responses.filter(volunteer=viewer).exists(),
        "respond_form": RespondForm(),
        "responses": responses,
        "suggestions": matching.suggest_volunteers(request=help_request, limit=10)
        if manage and is_open
        else [],
        "services": selectors.request_services(request=help_request) if show_address else [],
        "error": error,
    }
    return _page(request, "request_detail.html", context, status=400 if error else 200)


@require_safe
@permissions.require("marketplace.view")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, help_request = _visible_request(request, pk)
    return _request_detail(request, viewer, help_request)


@require_POST
@permissions.require("request.respond")
def request_respond(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, help_request = _visible_request(request, pk)
    try:
        # The service trims the message to its limit.
        services.response_create(
            volunteer=viewer, request=help_request, message=request.POST.get("message", "")
        )
    except ValidationError as e:
        return _request_detail(request, viewer, help_request, error=" ".join(e.messages))
    messages.success(request, _("Dank u! De hulpvrager krijgt bericht dat u wilt helpen."))
    return redirect("request-detail", pk=help_request.pk)


@require_POST
@permissions.require("marketplace.view")
def response_accept(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = permissions.current_member(request)
    response = _found(selectors.response_visible(viewer=viewer, pk=pk))
    help_request = response.request
    if not selectors.may_manage_request(viewer=viewer, request=help_request):
        return permissions.forbidden(request)
    form = AcceptForm(request.POST, prefix=f"r{response.pk}")
    if form.is_valid():
        try:
            services.response_accept(actor=viewer, response=response, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s helpt. De afspraak is gepland en beiden krijgen bericht.")
                % {"name": response.volunteer.name},
            )
            return redirect("request-detail", pk=help_request.pk)
    error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return _request_detail(
        request, viewer, help_request, accept_form=(response.pk, form), error=error
    )


@require_http_methods(["GET", "POST"])
@permissions.require("marketplace.view")
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, help_request = _visible_request(request, pk)
    if not selectors.may_manage_request(viewer=viewer, request=help_request):
        return permissions.forbidden(request)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_cancel(
                actor=viewer, request=help_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("De hulpvraag is ingetrokken."))
            return redirect("request-detail", pk=help_request.pk)
    return _page(
        request,
        "request_cancel.html",
        {"form": form, "req": help_request},
        status=400 if form.errors else 200,
    )


# --- offers ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permissions.require("offer.create")
def offer_create(request: HttpRequest) -> HttpResponse:
    actor = permissions.current_member(request)
    form = OfferForm(request.POST or None, rulebook=rulebook_current())
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_create(actor=actor, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Dank u! Uw aanbod staat op de markt."))
            return redirect("my-marketplace")
    return _page(request, "offer_form.html", {"form": form}, status=400 if form.errors else 200)


def _managed_offer(request: HttpRequest, pk: int) -> tuple[Member, Offer | None]:
    """The offer when the viewer may renew or withdraw it; (viewer, None) when they may see
    it but not handle it; a 404 when they may not see it at all."""
    viewer = permissions.current_member(request)
    offer = _found(selectors.offer_visible(viewer=viewer, pk=pk))
    return viewer, offer if selectors.may_manage_offer(viewer=viewer, offer=offer) else None


@require_POST
@permissions.require("marketplace.view")
def offer_renew(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, offer = _managed_offer(request, pk)
    if offer is None:
        return permissions.forbidden(request)
    try:
        services.offer_renew(actor=viewer, offer=offer)
    except ValidationError as e:
        return _my_marketplace(request, viewer, error=" ".join(e.messages))
    messages.success(
        request,
        _("Uw aanbod is verlengd tot %(date)s.") % {"date": offer.renew_by.strftime("%d-%m-%Y")},
    )
    return redirect("my-marketplace")


@require_http_methods(["GET", "POST"])
@permissions.require("marketplace.view")
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, offer = _managed_offer(request, pk)
    if offer is None:
        return permissions.forbidden(request)
    if request.method == "POST":
        services.offer_withdraw(actor=viewer, offer=offer)
        messages.success(request, _("Uw aanbod is ingetrokken."))
        return redirect("my-marketplace")
    return _page(request, "offer_withdraw.html", {"offer": offer})


# --- my marketplace, the coordinator board -----------------------------------------------------


def _my_marketplace(request: HttpRequest, member: Member, *, error: str = "") -> HttpResponse:
    context = {**selectors.my_marketplace(member=member), "error": error}
    return _page(request, "my_marketplace.html", context, status=400 if error else 200)


@require_safe
@permissions.require("marketplace.view")
def my_marketplace(request: HttpRequest) -> HttpResponse:
    return _my_marketplace(request, permissions.current_member(request))


@require_safe
@permissions.require("marketplace.board")
def coordinator_board(request: HttpRequest) -> HttpResponse:
    viewer = permissions.current_member(request)
    return _page(request, "board.html", selectors.coordinator_board(viewer=viewer))


# --- settings ----------------------------------------------------------------------------------


def calendar_url(request: HttpRequest, settings_row: MemberSettings) -> str:
    return request.build_absolute_uri(
        reverse("calendar-feed", kwargs={"token": settings_row.calendar_token})
    )


@require_http_methods(["GET", "POST"])
@permissions.require("self.view")
def member_settings(request: HttpRequest) -> HttpResponse:
    member = permissions.current_member(request)
    settings_row = services.member_settings(member=member)
    form = DigestForm(request.POST or None, initial={"digest": settings_row.digest})
    if request.method == "POST" and form.is_valid():
        try:
            services.digest_set(member=member, digest=form.cleaned_data["digest"])
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Uw instellingen zijn opgeslagen."))
            return redirect("member-settings")
    return _page(
        request,
        "settings.html",
        {"form": form, "calendar_url": calendar_url(request, settings_row)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permissions.require("self.view")
def calendar_renew(request: HttpRequest) -> HttpResponse:
    """Confirm first: the old calendar address stops working at once."""
    if request.method == "POST":
        services.calendar_token_renew(member=permissions.current_member(request))
        messages.success(
            request,
            _("U heeft een nieuw agenda-adres. Zet het in uw agenda; het oude werkt niet meer."),
        )
        return redirect("member-settings")
    return _page(request, "calendar_renew.html", {})


# --- from views_services ------------------------------------------------------------

SERVICES_PAGE_SIZE = 50
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


# --- my services -------------------------------------------------------------------------------


@require_safe
@permissions.require("marketplace.view")
def service_list(request: HttpRequest) -> HttpResponse:
    viewer = permissions.current_member(request)
    may_see_all = permissions.can(viewer, "service.coordinate")
    show_all = may_see_all and request.GET.get("alle") == "1"
    page = Paginator(
        _upcoming_first(selectors.services_for(member=viewer, in_scope=show_all)),
        SERVICES_PAGE_SIZE,
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


def _service_detail(
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
    rates = selectors.compensation_amounts(service=service, hours=Decimal("1"))
    amounts = (
        selectors.compensation_amounts(service=service, hours=service.registered_hours)
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
    return _service_detail(request, viewer, service_or_404(viewer, pk))


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
    return _service_detail(request, viewer, service, posted=(action, form))


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
    page = Paginator(received, SERVICES_PAGE_SIZE).get_page(request.GET.get("pagina"))
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
