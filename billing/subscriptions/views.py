"""/abonnement/ on a cooperative's subdomain: the subscription's status in plain Dutch, the
plans that fit, Stripe Checkout to subscribe and Stripe's portal for payment details and
invoices. The board and the audit committee may look (billing.view); only the chair, the
treasurer and an administrator act (billing.manage). These pages stay usable when the
cooperative is read-only: paying is the way out of it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from billing.outbox.services import STRIPE_AWAY
from billing.subscriptions.forms import PlanForm
from billing.subscriptions.services import (
    checkout_return_sync,
    portal_start,
    subscription_choose,
    subscription_overview,
)
from shared import permissions


def _return_url(request: HttpRequest) -> str:
    """Back to /abonnement/ on the host the treasurer is on."""
    return request.build_absolute_uri(reverse("billing:subscription"))


def _page(
    request: HttpRequest, *, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    member = permissions.current_member(request)
    context: dict[str, Any] = {
        "overview": subscription_overview(cooperative=request.cooperative),
        "may_manage": permissions.can(member, "billing.manage"),
        "errors": errors or [],
    }
    return render(request, "subscriptions/subscription.html", context, status=status)


class SeeOther(HttpResponseRedirect):
    """303: after a POST the browser goes on with a GET (to Stripe or back here)."""

    status_code = 303
    allowed_schemes = ["http", "https"]


@require_safe
@permissions.require("billing.view")
def subscription_page(request: HttpRequest) -> HttpResponse:
    if request.GET.get("betaald"):
        if permissions.can(permissions.current_member(request), "billing.manage"):
            checkout_return_sync(
                cooperative=request.cooperative, session_id=request.GET.get("sessie", "")
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
    return _page(request)


@require_POST
@permissions.require("billing.manage")
def subscription_choose_view(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _page(request, errors=[e for es in form.errors.values() for e in es], status=400)
    try:
        outcome = subscription_choose(
            cooperative=request.cooperative,
            plan=form.cleaned_data["plan"],
            actor_id=permissions.current_member(request).pk,
            return_url=_return_url(request),
        )
    except ValidationError as error:
        return _page(request, errors=_messages(error), status=400)
    if outcome.pending:
        return _page(request, errors=[str(STRIPE_AWAY)], status=503)
    if outcome.changed:
        messages.success(request, _("De abonnementsvorm is gewijzigd."))
        return SeeOther(reverse("billing:subscription"))
    return SeeOther(outcome.url)


@require_POST
@permissions.require("billing.manage")
def subscription_portal(request: HttpRequest) -> HttpResponse:
    try:
        url = portal_start(cooperative=request.cooperative, return_url=_return_url(request))
    except ValidationError as error:
        return _page(request, errors=_messages(error), status=400)
    if not url:
        return _page(request, errors=[str(STRIPE_AWAY)], status=503)
    return SeeOther(url)


def _messages(error: ValidationError) -> list[str]:
    return [m for errors in error.message_dict.values() for m in errors]
