"""Marketplace pages: browsing requests and offers, asking for help (also on a member's
behalf), offering help, "ik help" and accepting a volunteer, a member's own marketplace, the
coordinator board and a member's settings. Views stay thin: the selectors decide what the
viewer may see, the services enforce the house rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cooperatives.marketplace import matching, selectors, services
from cooperatives.marketplace.forms_requests import (
    PAID,
    AcceptForm,
    CancelForm,
    DigestForm,
    MarketFilterForm,
    OfferForm,
    RequestForm,
    RespondForm,
    compensation_label,
)
from cooperatives.marketplace.models import HelpRequest, MemberSettings, Offer
from cooperatives.models import AVAILABILITY_CHOICES, DAY_PARTS, Cluster, Member, Rulebook
from cooperatives.services.rules import rulebook_current
from shared import permissions

PAGE_SIZE = 25
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
    requests = Paginator(selectors.request_list(**filters), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    for row in requests:
        _describe(row)
    offers = Paginator(
        selectors.offer_list(
            cluster_id=filters["cluster_id"], neighbourhood_id=filters["neighbourhood_id"]
        ),
        PAGE_SIZE,
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


def _detail(
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
    return _detail(request, viewer, help_request)


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
        return _detail(request, viewer, help_request, error=" ".join(e.messages))
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
    return _detail(request, viewer, help_request, accept_form=(response.pk, form), error=error)


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
