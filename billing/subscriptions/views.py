"""/abonnement/ on a cooperative's subdomain: the subscription's status in plain Dutch, the
plans that fit, Stripe Checkout to subscribe and Stripe's portal for payment details and
invoices. The board and the audit committee may look (billing.view); only the chair, the
treasurer and an administrator act (billing.manage). These pages stay usable when the
cooperative is read-only: paying is the way out of it."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from billing.outbox.services import STRIPE_AWAY
from billing.subscriptions.forms import PlanForm
from billing.subscriptions.selectors import subscription_overview
from billing.subscriptions.services import (
    checkout_return_sync,
    portal_start,
    subscription_choose,
)
from cooperatives.settlement import Member
from shared import permissions
from shared.permissions import Actor
from shared.tenancy.current import current_cooperative
from shared.views import cooperative_view


def _return_url(request: HttpRequest) -> str:
    """Back to /abonnement/ on the host the treasurer is on."""
    return request.build_absolute_uri(reverse("billing:subscription"))


def _may_manage(member: Member) -> bool:
    # Member is an Actor; the type checker does not see its reverse relation
    # ``assisted_neighbourhoods`` (declared on Neighbourhood), hence the cast.
    return permissions.can(cast(Actor, member), "billing.manage")


def _page(
    request: HttpRequest, *, member: Member, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "overview": subscription_overview(cooperative=current_cooperative()),
        "may_manage": _may_manage(member),
        # Where the board stops, it is offered the cooperative's data to take along.
        "may_export": permissions.can(cast(Actor, member), "cooperative.export"),
        "errors": errors or [],
    }
    return render(request, "subscriptions/subscription.html", context, status=status)


class SeeOther(HttpResponseRedirect):
    """303: after a POST the browser goes on with a GET (to Stripe or back here)."""

    status_code = 303
    allowed_schemes = ["http", "https"]


@cooperative_view("billing.view")
def subscription_page(request: HttpRequest, member: Member) -> HttpResponse:
    if request.GET.get("betaald"):
        if _may_manage(member):
            checkout_return_sync(
                cooperative=current_cooperative(), session_id=request.GET.get("sessie", "")
            )
        messages.success(
            request,
            _(
                "Dank u wel. Stripe bevestigt de betaling; het kan een minuut duren voor u dat "
                "hier ziet."
            ),
        )
        return redirect("billing:subscription")
    if request.GET.get("afgebroken"):
        messages.info(request, _("U heeft het afrekenen afgebroken. Er is niets betaald."))
        return redirect("billing:subscription")
    return _page(request, member=member)


@cooperative_view("billing.manage", methods=("POST",))
def subscription_choose_view(request: HttpRequest, member: Member) -> HttpResponse:
    form = PlanForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for es in form.errors.values() for e in es]
        return _page(request, member=member, errors=errors, status=400)
    try:
        outcome = subscription_choose(
            cooperative=current_cooperative(),
            plan=form.cleaned_data["plan"],
            actor_id=member.pk,
            return_url=_return_url(request),
        )
    except ValidationError as error:
        return _page(request, member=member, errors=error.messages, status=400)
    if outcome.pending:
        return _page(request, member=member, errors=[str(STRIPE_AWAY)], status=503)
    if outcome.changed:
        messages.success(request, _("De abonnementsvorm is gewijzigd."))
        return SeeOther(reverse("billing:subscription"))
    return SeeOther(outcome.url)


@cooperative_view("billing.manage", methods=("POST",), reauth=("POST",))
def subscription_portal(request: HttpRequest, member: Member) -> HttpResponse:
    try:
        url = portal_start(cooperative=current_cooperative(), return_url=_return_url(request))
    except ValidationError as error:
        return _page(request, member=member, errors=error.messages, status=400)
    if not url:
        return _page(request, member=member, errors=[str(STRIPE_AWAY)], status=503)
    return SeeOther(url)
