"""Pages for klussen in euros: my klussen (to pay or to receive) and one klus, with the two
ways to settle it: the volunteer confirms the cash, or the requester pays online with iDEAL;
a coordinator or board member may instead let it lapse, with a reason. Klussen paid twice are
shown to those who follow up on the money, and the treasurer marks them refunded. Also the
cooperative's Stripe account (treasurer, chair) and the volunteer allowance overview.

A klus exists only for its requester, its volunteer and whoever follows up on klussen: for
anyone else (and for another cooperative's id) it is a 404. A refusal comes back on the page
with its Dutch message and status 400, and nothing changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from billing.connect import services as connect
from billing.klussen import allowance, online, selectors, services
from billing.klussen.forms import (
    AllowanceOverrideForm,
    AllowanceYearForm,
    KlusRefundForm,
    KlusWaiveForm,
)
from billing.klussen.models import KlusPayment
from billing.outbox.models import OutboxCall
from billing.outbox.services import STRIPE_AWAY
from cooperatives.members.models import Member
from cooperatives.rules.selectors import rulebook_current
from shared import permissions


def _messages(error: ValidationError) -> list[str]:
    return [m for errors in error.message_dict.values() for m in errors]


def _add_errors(form: Any, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _online_possible(request: HttpRequest) -> bool:
    return connect.connect_can_take_payments(cooperative=request.cooperative)


def _with_actions(viewer: Member, payments: Any, online_possible: bool) -> list[KlusPayment]:
    rows = list(payments)
    for payment in rows:
        payment.actions = services.klus_actions(
            actor=viewer, payment=payment, online_possible=online_possible
        )
    return rows


def _payment_or_404(viewer: Member, pk: int) -> KlusPayment:
    payment = selectors.klus_payment_get(member=viewer, pk=pk)
    if payment is None:
        raise Http404
    return payment


# --- my klussen --------------------------------------------------------------------------------


@require_safe
@permissions.require("klus.settle")
def klus_list(request: HttpRequest) -> HttpResponse:
    viewer = permissions.current_member(request)
    possible = _online_possible(request)
    own = selectors.klus_payments_visible_to(member=viewer)
    to_pay = own.filter(requester=viewer)
    to_receive = own.filter(volunteer=viewer)
    overview = permissions.can(viewer, "klus.overview")
    return render(
        request,
        "klussen/list.html",
        {
            "double_payments": _double_rows(
                selectors.klus_double_payments_to_refund(member=viewer)[:100]
            ),
            "to_pay": _with_actions(viewer, to_pay[:100], possible),
            "to_receive": _with_actions(viewer, to_receive[:100], possible),
            "all_open": _with_actions(viewer, selectors.klus_payments_open(member=viewer), possible)
            if overview
            else None,
            "viewer": viewer,
            "online_possible": possible,
            "may_manage": permissions.can(viewer, "billing.manage"),
            "may_see_allowance": overview,
        },
    )


def _double_rows(
    doubles: Any, *, may_refund: bool = False, refund_form: KlusRefundForm | None = None
) -> list[Any]:
    """Double payments with the treasurer's sentence, and for whoever may mark them refunded
    a form on each one still open (the one just posted keeps its input and errors)."""
    rows = list(doubles)
    for double in rows:
        double.text = online.double_payment_text(double)
        double.refund_form = None
        if may_refund and double.refunded_at is None:
            posted = refund_form is not None and refund_form.initial.get("double_payment") == (
                double.pk
            )
            double.refund_form = refund_form if posted else KlusRefundForm.for_double(double.pk)
    return rows


def _detail(
    request: HttpRequest,
    payment: KlusPayment,
    *,
    errors: list[str] | None = None,
    status: int = 200,
    waive_form: KlusWaiveForm | None = None,
    refund_form: KlusRefundForm | None = None,
) -> HttpResponse:
    viewer = permissions.current_member(request)
    payment.actions = services.klus_actions(
        actor=viewer, payment=payment, online_possible=_online_possible(request)
    )
    # Those who follow up on the money read what to do; the requester and the volunteer only
    # that it is known and will be sorted out.
    follows_up = permissions.can(viewer, "klus.overview")
    may_refund = services.klus_may_mark_refunded(actor=viewer)
    doubles = _double_rows(
        selectors.klus_double_payments_of(payment=payment),
        may_refund=may_refund,
        refund_form=refund_form,
    )
    failed = errors or (waive_form and waive_form.errors) or (refund_form and refund_form.errors)
    return render(
        request,
        "klussen/detail.html",
        {
            "payment": payment,
            "viewer": viewer,
            "errors": errors or [],
            "waive_form": (waive_form or KlusWaiveForm()) if "waive" in payment.actions else None,
            "double_payments": doubles,
            "all_refunded": all(d.refunded_at for d in doubles),
            "follows_up": follows_up,
            "returned_paid": request.GET.get("betaald") == "1",
            "returned_cancelled": request.GET.get("geannuleerd") == "1",
        },
        status=400 if failed and status == 200 else status,
    )


@require_safe
@permissions.require("klus.settle")
def klus_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _payment_or_404(permissions.current_member(request), pk))


@require_POST
@permissions.require("klus.settle")
def klus_cash(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = permissions.current_member(request)
    payment = _payment_or_404(viewer, pk)
    try:
        services.klus_cash_confirm(actor=viewer, payment=payment)
    except ValidationError as e:
        return _detail(request, payment, errors=_messages(e))
    messages.success(request, _("Dank u. De klus staat op betaald (contant)."))
    return redirect("klussen:detail", pk=payment.pk)


@require_POST
@permissions.require("klus.settle")
def klus_pay_online(request: HttpRequest, pk: int) -> HttpResponse:
    """To Stripe's payment page (303: the browser follows with a GET)."""
    viewer = permissions.current_member(request)
    payment = _payment_or_404(viewer, pk)
    try:
        call = online.klus_checkout_start(
            actor=viewer, payment=payment, cooperative=request.cooperative
        )
    except ValidationError as e:
        return _detail(request, payment, errors=_messages(e))
    if call.status == OutboxCall.Status.DONE:
        return HttpResponseRedirect(call.result["url"], status=303)
    if call.status == OutboxCall.Status.PENDING:
        return _detail(request, payment, errors=[STRIPE_AWAY], status=202)
    return _detail(
        request,
        payment,
        errors=[_("Stripe kon de betaling niet starten. Betaal contant of vraag de coördinator.")],
    )


@require_POST
@permissions.require("klus.overview")
def klus_waive(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator or board member lets the klus lapse, with a reason (the service says who
    may: not the audit committee)."""
    viewer = permissions.current_member(request)
    payment = _payment_or_404(viewer, pk)
    form = KlusWaiveForm(request.POST)
    if form.is_valid():
        try:
            services.klus_waive(actor=viewer, payment=payment, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            if "reason" in e.message_dict:
                _add_errors(form, e)
                return _detail(request, payment, waive_form=form)
            return _detail(request, payment, errors=_messages(e), waive_form=form)
        messages.success(
            request,
            _("De klus is vervallen. De vrijwilliger en de hulpvrager krijgen een e-mail."),
        )
        return redirect("klussen:detail", pk=payment.pk)
    return _detail(request, payment, waive_form=form)


@require_POST
@permissions.require("billing.manage")
def klus_refunded(request: HttpRequest, pk: int) -> HttpResponse:
    """The treasurer (chair, administrator) marks one double payment of the klus refunded,
    after paying it back in Stripe's dashboard or in cash; an optional note. Pressing again
    changes nothing and says so."""
    viewer = permissions.current_member(request)
    payment = _payment_or_404(viewer, pk)
    # First which double payment; its note is checked on that one's own form below, so an
    # error shows next to the right note.
    chosen = KlusRefundForm(request.POST)
    chosen.is_valid()
    double_id = chosen.cleaned_data.get("double_payment")
    if double_id is None:
        return _detail(request, payment, errors=chosen.errors.get("double_payment", []))
    double = selectors.klus_double_payment_get(payment=payment, pk=double_id)
    if double is None:
        raise Http404
    form = KlusRefundForm.for_double(double.pk, request.POST)
    if not form.is_valid():
        return _detail(request, payment, refund_form=form)
    try:
        double, changed = services.klus_double_payment_mark_refunded(
            actor=viewer, double=double, note=form.cleaned_data["note"]
        )
    except ValidationError as e:
        return _detail(request, payment, errors=_messages(e), refund_form=form)
    if changed:
        messages.success(request, _("Vastgelegd: de dubbele betaling is terugbetaald."))
    else:
        messages.info(request, _already_refunded(double))
    return redirect("klussen:detail", pk=payment.pk)


def _already_refunded(double: Any) -> str:
    return _(
        "Deze dubbele betaling stond al op terugbetaald (op %(date)s door %(name)s). Er is "
        "niets veranderd."
    ) % {
        "date": timezone.localtime(double.refunded_at).strftime("%d-%m-%Y"),
        "name": double.refunded_by.name if double.refunded_by else _("onbekend"),
    }


# --- the cooperative's Stripe account ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permissions.require("billing.manage")
def stripe_account(request: HttpRequest) -> HttpResponse:
    """The treasurer or chair connects the cooperative's own Stripe account, through Stripe's
    onboarding pages; back from there, the page reads the account's state at once."""
    viewer = permissions.current_member(request)
    cooperative = request.cooperative
    errors: list[str] = []
    if request.method == "POST":
        try:
            url = connect.connect_onboarding_start(actor=viewer, cooperative=cooperative)
        except ValidationError as e:
            errors = _messages(e)
        else:
            if url:
                return HttpResponseRedirect(url, status=303)
            errors = [STRIPE_AWAY]
    elif request.GET.get("terug") == "1":
        connect.connect_account_refresh(cooperative=cooperative)
    return render(
        request,
        "klussen/stripe_account.html",
        {"account": connect.connect_account_of(cooperative=cooperative), "errors": errors},
        status=400 if errors else 200,
    )


# --- the volunteer allowance -------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("jaar", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _allowance_page(
    request: HttpRequest,
    *,
    year: int | None = None,
    limits_form: AllowanceYearForm | None = None,
    override_form: AllowanceOverrideForm | None = None,
) -> HttpResponse:
    viewer = permissions.current_member(request)
    year = year or _year(request)
    may_configure = permissions.can(viewer, "allowance.configure")
    may_override = permissions.can(viewer, "allowance.override")
    limits = selectors.allowance_year(year=year)
    rulebook = rulebook_current()
    rate = rulebook.euro_rate_per_hour if rulebook else None
    failed = bool((limits_form and limits_form.errors) or (override_form and override_form.errors))
    return render(
        request,
        "klussen/allowance.html",
        {
            "year": year,
            "limits": limits,
            "rows": selectors.allowance_rows(year=year),
            "years": selectors.allowance_years(),
            "warn_level": selectors.WARN_LEVEL,
            # The rules' own rate above the per-hour limit: every klus would be over it.
            "rate": rate,
            "rate_too_high": bool(rate and limits and rate > limits.per_hour),
            "limits_form": (limits_form or AllowanceYearForm(initial={"year": year}))
            if may_configure
            else None,
            "override_form": (override_form or AllowanceOverrideForm(initial={"year": year}))
            if may_override
            else None,
        },
        status=400 if failed else 200,
    )


@require_safe
@permissions.require("klus.overview")
def allowance_overview(request: HttpRequest) -> HttpResponse:
    return _allowance_page(request)


@require_POST
@permissions.require("allowance.configure")
def allowance_limits(request: HttpRequest) -> HttpResponse:
    form = AllowanceYearForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            allowance.allowance_year_set(
                actor=permissions.current_member(request),
                year=data["year"],
                per_hour=data["per_hour"],
                per_year=data["per_year"],
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(
                request,
                _("De grenzen voor %(year)s zijn vastgesteld.") % {"year": data["year"]},
            )
            return redirect(f"{reverse('klussen:allowance')}?jaar={data['year']}")
    return _allowance_page(request, limits_form=form)


@require_POST
@permissions.require("allowance.override")
def allowance_override(request: HttpRequest) -> HttpResponse:
    form = AllowanceOverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            allowance.allowance_override_create(
                actor=permissions.current_member(request),
                volunteer=data["volunteer"],
                year=data["year"],
                reason=data["reason"],
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s mag in %(year)s meer betaalde klussen doen.")
                % {"name": data["volunteer"].name, "year": data["year"]},
            )
            return redirect(f"{reverse('klussen:allowance')}?jaar={data['year']}")
    return _allowance_page(
        request, year=form.cleaned_data.get("year") if form.is_bound else None, override_form=form
    )
