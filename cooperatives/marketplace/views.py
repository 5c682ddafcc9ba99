"""Marketplace pages: browsing requests and offers, asking for help (also on a member's
behalf), offering help, "ik help" and accepting a volunteer, a member's own marketplace, the
coordinator board and a member's settings; after the match, my services, one service (move,
cancel, register hours, confirm, feedback), the feedback a volunteer received, and the private
calendar feed.

Views stay thin: the selectors decide what the viewer may see (a service exists only for its
two members and whoever looks after its requester: for anyone else, and for another
cooperative's id, it is a 404), the services enforce the house rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from cooperatives.carelog.services import care_request_viewed, care_service_viewed
from cooperatives.marketplace import matching, selectors, services
from cooperatives.marketplace.calendar import services_calendar
from cooperatives.marketplace.filters import PAGE_NAMES, OfferFilter, RequestFilter, ServiceFilter
from cooperatives.marketplace.forms import (
    AcceptForm,
    CancelForm,
    OfferForm,
    RequestForm,
    RespondForm,
    ServiceCancelForm,
    ServiceConfirmForm,
    ServiceDisputeForm,
    ServiceFeedbackForm,
    ServiceMessageForm,
    ServiceMoveForm,
    ServiceRegisterForm,
    ServiceResolveForm,
    SettingsForm,
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
from cooperatives.rules.selectors import rulebook_current
from shared import permissions
from shared.tenancy.current import current_cooperative
from shared.tenancy.urls import cooperative_host
from shared.views import cooperative_view, form_add_errors, found_or_404

FORM = ("GET", "POST")
POST = ("POST",)
REQUESTS_PAGE_SIZE = 25
SERVICES_PAGE_SIZE = 50
TEMPLATE_DIR = "marketplace/requests/"
# What the list of services marks as waiting for the viewer.
WAITING = frozenset(
    {"register", "confirm", "confirm_approve", "resolve", "approve", "settle", "feedback"}
)


def _describe(help_request: HelpRequest) -> HelpRequest:
    """Words for a request's compensation and parts of the day, for the templates."""
    parts = dict(DAY_PARTS)
    help_request.compensation_text = compensation_label(
        help_request.compensation, help_request.rulebook
    )
    help_request.parts_text = [parts[p] for p in help_request.preferred_parts if p in parts]
    return help_request


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    return render(request, TEMPLATE_DIR + template, context, status=status)


# --- the marketplace ---------------------------------------------------------------------------


@cooperative_view("marketplace.view")
def marketplace(request: HttpRequest, member: Member) -> HttpResponse:
    """Open requests and active offers. Never an exact address here: the buurt only."""
    asked = request.GET or None
    requests_found = RequestFilter(asked, selectors.request_list(), names=PAGE_NAMES)
    offers_found = OfferFilter(asked, selectors.offer_list(), names=PAGE_NAMES)
    rulebook = rulebook_current()
    requests = Paginator(requests_found.qs, REQUESTS_PAGE_SIZE).get_page(request.GET.get("pagina"))
    for row in requests:
        _describe(row)
    offers = Paginator(offers_found.qs, REQUESTS_PAGE_SIZE).get_page(
        request.GET.get("aanbodpagina")
    )
    slots = dict(AVAILABILITY_CHOICES)
    for offer in offers:
        offer.compensation_text = compensation_label(
            rulebook.compensation_for(offer.cluster) if rulebook else None, rulebook
        )
        offer.availability_text = [slots[a] for a in offer.availability if a in slots]
    context = {"form": requests_found.form, "page": requests, "offers": offers}
    return _page(request, "marketplace.html", context)


# --- asking for help ---------------------------------------------------------------------------


@cooperative_view("request.create", methods=FORM)
def request_create(request: HttpRequest, member: Member) -> HttpResponse:
    rulebook = rulebook_current()
    chosen = request.POST.get("cluster") or request.GET.get("cluster")
    form = RequestForm(
        request.POST or None,
        initial={"cluster": chosen},
        rulebook=rulebook,
        on_behalf=selectors.on_behalf_candidates(viewer=member)
        if selectors.may(member, "request.create_on_behalf")
        else None,
        ask_network_check=selectors.network_check_asked(rulebook=rulebook, cluster_id=chosen),
    )
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.request_create(**form.service_arguments(actor=member))
        except ValidationError as e:
            if _codes(e) == {"referred_to_partner"}:
                return _referral(request, form, rulebook)
            form_add_errors(form, e)
        else:
            messages.success(
                request, _("Uw hulpvraag staat op de markt. U krijgt bericht als iemand helpt.")
            )
            return redirect("request-detail", pk=help_request.pk)
    return _page(
        request,
        "request_form.html",
        {
            "form": form,
            "actor": member,
            "referral_hours": selectors.referral_hours_asked(rulebook=rulebook, cluster_id=chosen),
        },
        status=400 if form.errors else 200,
    )


def _codes(error: ValidationError) -> set[str]:
    groups = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return {e.code or "" for errors in groups for e in errors}


def _referral(request: HttpRequest, form: RequestForm, rulebook: Any) -> HttpResponse:
    """A klus larger than the rules let volunteers do is not refused: the member is referred to
    the partners, with how to reach them and their social rates (nothing is stored)."""
    cluster = form.cleaned_data["cluster"]
    context = {
        "form": form,
        "cluster": cluster,
        "hours": form.cleaned_data.get("expected_hours"),
        "max_hours": selectors.klus_referral_hours(
            rulebook=rulebook, compensation=rulebook.compensation_for(cluster) if rulebook else None
        ),
        "partners": selectors.partner_referral(rulebook=rulebook),
    }
    return _page(request, "referral.html", context)


# --- one request: "ik help", accepting, cancelling ---------------------------------------------


def _route(request: HttpRequest) -> str:
    """The URL name a page was asked on: why care data were shown (cooperatives.carelog)."""
    match = request.resolver_match
    return match.url_name or "" if match is not None else ""


def _visible_request(viewer: Member, pk: int) -> HelpRequest:
    return found_or_404(selectors.request_visible(viewer=viewer, pk=pk))


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
    # The page shows the request's description: a care need is logged when someone else reads it.
    care_request_viewed(viewer=viewer, request=help_request, route=_route(request))
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
        "requester_phone": selectors.request_requester_phone(viewer=viewer, request=help_request)
        if show_address
        else "",
        "can_manage": manage,
        "can_cancel": manage and help_request.status in selectors.OPEN_STATUSES,
        "can_respond": selectors.may_respond(viewer=viewer, request=help_request),
        "has_responded": selectors.has_responded(viewer=viewer, request=help_request),
        "respond_form": RespondForm(),
        "responses": responses,
        "suggestions": matching.suggest_volunteers(request=help_request, limit=10)
        if manage and is_open
        else [],
        "services": selectors.request_services(request=help_request) if show_address else [],
        "error": error,
        # The accept form that was refused: its errors are summarised at the top, with links.
        "error_form": accept_form[1] if accept_form and accept_form[1].errors else None,
    }
    return _page(request, "request_detail.html", context, status=400 if error else 200)


@cooperative_view("marketplace.view")
def request_detail(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _request_detail(request, member, _visible_request(member, pk))


@cooperative_view("request.respond", methods=POST)
def request_respond(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    help_request = _visible_request(member, pk)
    try:
        # The service trims the message to its limit.
        services.response_create(
            volunteer=member, request=help_request, message=request.POST.get("message", "")
        )
    except ValidationError as e:
        return _request_detail(request, member, help_request, error=" ".join(e.messages))
    messages.success(request, _("Dank u! De hulpvrager krijgt bericht dat u wilt helpen."))
    return redirect("request-detail", pk=help_request.pk)


@cooperative_view("marketplace.view", methods=POST)
def response_accept(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    response = found_or_404(selectors.response_visible(viewer=member, pk=pk))
    help_request = response.request
    if not selectors.may_manage_request(viewer=member, request=help_request):
        return permissions.forbidden(request)
    form = AcceptForm(request.POST, prefix=f"r{response.pk}")
    if form.is_valid():
        try:
            services.response_accept(actor=member, response=response, **form.cleaned_data)
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s helpt. De afspraak is gepland en beiden krijgen bericht.")
                % {"name": response.volunteer.name},
            )
            return redirect("request-detail", pk=help_request.pk)
    error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return _request_detail(
        request, member, help_request, accept_form=(response.pk, form), error=error
    )


@cooperative_view("marketplace.view", methods=FORM)
def request_cancel(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    help_request = _visible_request(member, pk)
    if not selectors.may_manage_request(viewer=member, request=help_request):
        return permissions.forbidden(request)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_cancel(
                actor=member, request=help_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            form_add_errors(form, e)
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


@cooperative_view("offer.create", methods=FORM)
def offer_create(request: HttpRequest, member: Member) -> HttpResponse:
    form = OfferForm(request.POST or None, rulebook=rulebook_current())
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_create(actor=member, **form.cleaned_data)
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(request, _("Dank u! Uw aanbod staat op de markt."))
            return redirect("my-marketplace")
    return _page(request, "offer_form.html", {"form": form}, status=400 if form.errors else 200)


def _managed_offer(viewer: Member, pk: int) -> Offer | None:
    """The offer when the viewer may renew or withdraw it; None when they may see it but not
    handle it; a 404 when they may not see it at all."""
    offer = found_or_404(selectors.offer_visible(viewer=viewer, pk=pk))
    return offer if selectors.may_manage_offer(viewer=viewer, offer=offer) else None


@cooperative_view("marketplace.view", methods=POST)
def offer_renew(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    offer = _managed_offer(member, pk)
    if offer is None:
        return permissions.forbidden(request)
    try:
        services.offer_renew(actor=member, offer=offer)
    except ValidationError as e:
        return _my_marketplace(request, member, error=" ".join(e.messages))
    messages.success(
        request,
        _("Uw aanbod is verlengd tot %(date)s.") % {"date": offer.renew_by.strftime("%d-%m-%Y")},
    )
    return redirect("my-marketplace")


@cooperative_view("marketplace.view", methods=FORM)
def offer_withdraw(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    offer = _managed_offer(member, pk)
    if offer is None:
        return permissions.forbidden(request)
    if request.method == "POST":
        services.offer_withdraw(actor=member, offer=offer)
        messages.success(request, _("Uw aanbod is ingetrokken."))
        return redirect("my-marketplace")
    return _page(request, "offer_withdraw.html", {"offer": offer})


# --- my marketplace, the coordinator board -----------------------------------------------------


def _my_marketplace(request: HttpRequest, member: Member, *, error: str = "") -> HttpResponse:
    context = {**selectors.my_marketplace(member=member), "error": error}
    return _page(request, "my_marketplace.html", context, status=400 if error else 200)


@cooperative_view("marketplace.view")
def my_marketplace(request: HttpRequest, member: Member) -> HttpResponse:
    return _my_marketplace(request, member)


@cooperative_view("marketplace.board")
def coordinator_board(request: HttpRequest, member: Member) -> HttpResponse:
    return _page(request, "board.html", selectors.coordinator_board(viewer=member))


# --- settings ----------------------------------------------------------------------------------


def _calendar_url(request: HttpRequest, settings_row: MemberSettings) -> str:
    return request.build_absolute_uri(
        reverse("calendar-feed", kwargs={"token": settings_row.calendar_token})
    )


@cooperative_view("self.view", methods=FORM)
def member_settings(request: HttpRequest, member: Member) -> HttpResponse:
    settings_row = services.member_settings_ensure(member=member)
    form = SettingsForm(
        request.POST or None,
        initial={
            "digest": settings_row.digest,
            "share_phone": settings_row.share_phone,
            "share_email": settings_row.share_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.digest_set(member=member, digest=form.cleaned_data["digest"])
            services.contact_sharing_set(
                actor=member,
                member=member,
                share_phone=form.cleaned_data["share_phone"],
                share_email=form.cleaned_data["share_email"],
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(request, _("Uw instellingen zijn opgeslagen."))
            return redirect("member-settings")
    return _page(
        request,
        "settings.html",
        {"form": form, "member": member, "calendar_url": _calendar_url(request, settings_row)},
        status=400 if form.errors else 200,
    )


@cooperative_view("self.view", methods=FORM)
def calendar_renew(request: HttpRequest, member: Member) -> HttpResponse:
    """Confirm first: the old calendar address stops working at once."""
    if request.method == "POST":
        services.calendar_token_renew(member=member)
        messages.success(
            request,
            _("U heeft een nieuw agenda-adres. Zet het in uw agenda; het oude werkt niet meer."),
        )
        return redirect("member-settings")
    return _page(request, "calendar_renew.html", {})


# --- my services -------------------------------------------------------------------------------

FORMS: dict[str, type[forms.Form]] = {
    "move": ServiceMoveForm,
    "register": ServiceRegisterForm,
    "confirm": ServiceConfirmForm,
    "confirm_approve": ServiceConfirmForm,
    "dispute": ServiceDisputeForm,
    "resolve": ServiceResolveForm,
    "approve": ServiceConfirmForm,
    "settle": ServiceConfirmForm,
    "feedback": ServiceFeedbackForm,
    "message": ServiceMessageForm,
}
STEPS: dict[str, Callable[..., object]] = {
    "move": services.service_move,
    "register": services.service_register_hours,
    "confirm": services.service_confirm,
    "confirm_approve": services.service_confirm_and_approve,
    "dispute": services.service_dispute,
    "resolve": services.service_dispute_resolve,
    "approve": services.service_quality_approve,
    "settle": services.service_dues_settle,
    "feedback": services.service_feedback,
    "message": services.service_message_send,
}


def _service(viewer: Member, pk: int) -> Service:
    return found_or_404(selectors.service_visible(viewer=viewer, pk=pk))


def _amount_text(kind: str, amount: Decimal) -> str:
    if kind == CompensationDue.Kind.EUROS:
        return f"€ {formats.number_format(amount, 2)}"
    return ngettext("%(n)s tijdpunt", "%(n)s tijdpunten", 1 if amount == 1 else 2) % {
        "n": floatformat(amount, -2)
    }


@cooperative_view("marketplace.view")
def service_list(request: HttpRequest, member: Member) -> HttpResponse:
    """My services; a coordinator or assistant may list all they look after (``?alle=1``)."""
    found = ServiceFilter(
        request.GET,
        selectors.services_for(member=member, in_scope=True),
        request=request,
        names={"all": "alle"},
    )
    may_see_all = selectors.may(member, "service.coordinate")
    page = Paginator(selectors.services_upcoming_first(found.qs), SERVICES_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    for service in page:
        service.todo = selectors.service_actions(actor=member, service=service) & WAITING
    feed = services.member_settings_ensure(member=member)
    feed_url = request.build_absolute_uri(reverse("calendar-feed", args=[feed.calendar_token]))
    return render(
        request,
        "marketplace/services/list.html",
        {
            "page": page,
            "viewer": member,
            "show_all": may_see_all and found.wants_all(),
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
    care_service_viewed(viewer=viewer, service=service, route=_route(request))
    actions = selectors.service_actions(actor=viewer, service=service)
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
    steps = selectors.service_steps(viewer=viewer, service=service)
    own_settings = services.member_settings_ensure(member=viewer)
    return render(
        request,
        "marketplace/services/detail.html",
        {
            "service": service,
            "viewer": viewer,
            "role": selectors.service_role(viewer=viewer, service=service),
            "next_step": steps[0],
            "later_steps": steps[1:],
            "forms": page_forms,
            "can_cancel": "cancel" in actions,
            "show_address": selectors.service_address_visible(viewer=viewer, service=service),
            "contacts": selectors.service_contacts(viewer=viewer, service=service),
            "own_settings": own_settings,
            "show_messages": selectors.service_messages_visible(viewer=viewer, service=service),
            "service_messages": selectors.service_messages(viewer=viewer, service=service),
            "disputes": selectors.service_disputes(service=service),
            "held": selectors.dues_held(service=service),
            "can_grant": selectors.may(viewer, "points.grant"),
            "rates": [_amount_text(kind, rate) for kind, (rate, _share) in rates.items()],
            "amounts": [_amount_text(kind, amount) for kind, (amount, _s) in amounts.items()],
            "dues": [
                {
                    "due": due,
                    "amount": _amount_text(due.kind, due.amount),
                    "share": _amount_text(due.kind, due.cooperative_share)
                    if due.cooperative_share
                    else "",
                }
                for due in selectors.service_dues(service=service)
            ],
        },
        status=400 if posted else 200,
    )


def _initial(action: str, service: Service) -> dict[str, Any]:
    if action == "move":
        return {"date": service.date, "start_time": service.start_time}
    if action == "register":
        return {"hours": floatformat(service.planned_hours, -1)}
    if action == "resolve":
        return {"hours": floatformat(service.registered_hours, -1)}
    return {}


@cooperative_view("marketplace.view")
def service_detail(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _service_detail(request, member, _service(member, pk))


# Where on the service page a step lands after it is done.
ANCHORS = {"message": "berichten"}


def _act(request: HttpRequest, member: Member, pk: int, action: str, done: str) -> HttpResponse:
    """One POST from the service page: who may is checked first (403, nothing changes), then
    the service decides whether it can be done now (its refusal shows on the page, 400)."""
    service = _service(member, pk)
    if not selectors.service_may(actor=member, service=service, action=action):
        return permissions.forbidden(request)
    form = FORMS[action](request.POST)
    if form.is_valid():
        try:
            STEPS[action](actor=member, service=service, **form.cleaned_data)
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(request, done)
            anchor = ANCHORS.get(action, "")
            url = reverse("service-detail", args=[service.pk])
            return redirect(f"{url}#{anchor}" if anchor else url)
    return _service_detail(request, member, service, posted=(action, form))


@cooperative_view("marketplace.view", methods=POST)
def service_move(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    done = _("De afspraak is verzet. U en de ander krijgen bericht.")
    return _act(request, member, pk, "move", done)


@cooperative_view("marketplace.view", methods=POST)
def service_register(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    done = _("De uren zijn geregistreerd. De hulpvrager bevestigt ze.")
    return _act(request, member, pk, "register", done)


@cooperative_view("marketplace.view", methods=POST)
def service_confirm(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _act(request, member, pk, "confirm", _("De uren zijn bevestigd. Dank u wel!"))


@cooperative_view("marketplace.view", methods=POST)
def service_confirm_approve(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    done = _("De uren zijn bevestigd en de punten geboekt. Dank u wel!")
    return _act(request, member, pk, "confirm_approve", done)


@cooperative_view("service.dispute", methods=POST)
def service_dispute(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    done = _(
        "De vrijwilliger en de coördinator krijgen bericht. Als de uren zijn aangepast, "
        "bevestigt u ze opnieuw; tot dan wordt niets verrekend."
    )
    return _act(request, member, pk, "dispute", done)


@cooperative_view("service.resolve", methods=POST)
def service_resolve(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    done = _("De uren zijn aangepast. De hulpvrager bevestigt ze opnieuw.")
    return _act(request, member, pk, "resolve", done)


@cooperative_view("marketplace.view", methods=POST)
def service_approve(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _act(request, member, pk, "approve", _("Dank u! De kwaliteit is goedgekeurd."))


@cooperative_view("marketplace.view", methods=POST)
def service_settle(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _act(request, member, pk, "settle", _("Wat deze dienst oplevert is geboekt."))


@cooperative_view("marketplace.view", methods=POST)
def service_feedback(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _act(request, member, pk, "feedback", _("Dank u voor uw terugkoppeling."))


@cooperative_view("service.message", methods=POST)
def service_message(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _act(request, member, pk, "message", _("Uw bericht is verstuurd."))


@cooperative_view("marketplace.view", methods=FORM)
def service_cancel(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """Cancelling is confirmed on a page of its own, with the reason the other side reads."""
    service = _service(member, pk)
    if not selectors.service_may(actor=member, service=service, action="cancel"):
        return permissions.forbidden(request)
    form = ServiceCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_cancel(actor=member, service=service, **form.cleaned_data)
        except ValidationError as e:
            form_add_errors(form, e)
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


@cooperative_view("marketplace.view")
def my_feedback(request: HttpRequest, member: Member) -> HttpResponse:
    page = Paginator(selectors.feedback_received(member=member), SERVICES_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(request, "marketplace/services/my_feedback.html", {"page": page})


# --- the calendar feed -------------------------------------------------------------------------


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's planned and registered services as iCalendar, for their phone or
    computer calendar. No login: the secret address is the key, and only in its own
    cooperative (another cooperative's schema has no such token)."""
    member = selectors.calendar_member(token=token)
    if member is None:
        raise Http404
    cooperative = current_cooperative()
    body = services_calendar(
        member=member,
        services=selectors.calendar_services(member=member),
        name=f"{cooperative.name}: " + _("mijn diensten"),
        host=cooperative_host(slug=cooperative.slug),
        link=lambda service: request.build_absolute_uri(
            reverse("service-detail", args=[service.pk])
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
