"""Pages for klussen in euros: my klussen (to pay or to receive) and one klus, with the two
ways to settle it: the volunteer confirms the cash, or the requester pays online with iDEAL;
a coordinator or board member may instead let it lapse, with a reason. Klussen paid twice are
shown to those who follow up on the money, and the treasurer marks them refunded. Also the
cooperative's Stripe account (treasurer, chair) and the volunteer allowance overview.

A klus exists only for its requester, its volunteer and whoever follows up on klussen: for
anyone else (and for another cooperative's id) it is a 404. A refusal comes back on the page
with its Dutch message and status 400, and nothing changes."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.connect import selectors as connect_selectors
from billing.connect import services as connect
from billing.klussen import selectors, services
from billing.klussen.forms import (
    AllowanceOverrideForm,
    AllowanceYearForm,
    KlusRefundForm,
    KlusWaiveForm,
)
from billing.klussen.models import KlusDoublePayment, KlusPayment
from billing.outbox.models import OutboxCall
from billing.outbox.services import STRIPE_AWAY
from cooperatives.settlement import Member, rulebook_current
from shared import permissions
from shared.tenancy.current import current_cooperative
from shared.views import cooperative_view, form_add_errors, found_or_404


def _online_possible() -> bool:
    return connect_selectors.connect_can_take_payments(cooperative=current_cooperative())


def _with_actions(
    viewer: Member, payments: Iterable[KlusPayment], online_possible: bool
) -> list[KlusPayment]:
    """The payments, each with what ``viewer`` can do with it now (for the buttons)."""
    rows = list(payments)
    for payment in rows:
        payment.actions = selectors.klus_actions(  # type: ignore[attr-defined]
            actor=viewer, payment=payment, online_possible=online_possible
        )
    return rows


# --- my klussen --------------------------------------------------------------------------------


@cooperative_view("klus.settle")
def klus_list(request: HttpRequest, member: Member) -> HttpResponse:
    possible = _online_possible()
    own = selectors.klus_payments_visible_to(member=member)
    to_pay = own.filter(requester=member)
    to_receive = own.filter(volunteer=member)
    overview = permissions.can(selectors.as_actor(member=member), "klus.overview")
    return render(
        request,
        "klussen/list.html",
        {
            "double_payments": _double_rows(
                selectors.klus_double_payments_to_refund(member=member)[:100]
            ),
            "to_pay": _with_actions(member, to_pay[:100], possible),
            "to_receive": _with_actions(member, to_receive[:100], possible),
            "all_open": _with_actions(member, selectors.klus_payments_open(member=member), possible)
            if overview
            else None,
            "viewer": member,
            "online_possible": possible,
            "may_manage": permissions.can(selectors.as_actor(member=member), "billing.manage"),
            "may_see_allowance": overview,
        },
    )


def _double_rows(
    doubles: Iterable[KlusDoublePayment],
    *,
    may_refund: bool = False,
    refund_form: KlusRefundForm | None = None,
) -> list[KlusDoublePayment]:
    """Double payments with the treasurer's sentence, and for whoever may mark them refunded
    a form on each one still open (the one just posted keeps its input and errors)."""
    rows = list(doubles)
    for double in rows:
        form = None
        if may_refund and double.refunded_at is None:
            posted = refund_form is not None and refund_form.initial.get("double_payment") == (
                double.pk
            )
            form = refund_form if posted else KlusRefundForm.for_double(double.pk)
        double.text = selectors.klus_double_payment_text(double=double)  # type: ignore[attr-defined]
        double.refund_form = form  # type: ignore[attr-defined]
    return rows


def _detail(
    request: HttpRequest,
    payment: KlusPayment,
    *,
    member: Member,
    errors: list[str] | None = None,
    status: int = 200,
    waive_form: KlusWaiveForm | None = None,
    refund_form: KlusRefundForm | None = None,
) -> HttpResponse:
    actions = selectors.klus_actions(
        actor=member, payment=payment, online_possible=_online_possible()
    )
    payment.actions = actions  # type: ignore[attr-defined]
    # Those who follow up on the money read what to do; the requester and the volunteer only
    # that it is known and will be sorted out.
    follows_up = permissions.can(selectors.as_actor(member=member), "klus.overview")
    may_refund = selectors.klus_may_mark_refunded(actor=member)
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
            "viewer": member,
            "errors": errors or [],
            "waive_form": (waive_form or KlusWaiveForm()) if "waive" in actions else None,
            "double_payments": doubles,
            "all_refunded": all(d.refunded_at for d in doubles),
            "follows_up": follows_up,
            "returned_paid": request.GET.get("betaald") == "1",
            "returned_cancelled": request.GET.get("geannuleerd") == "1",
        },
        status=400 if failed and status == 200 else status,
    )


def _payment(member: Member, pk: int) -> KlusPayment:
    return found_or_404(selectors.klus_payment_get(member=member, pk=pk))


@cooperative_view("klus.settle")
def klus_detail(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _detail(request, _payment(member, pk), member=member)


@cooperative_view("klus.settle", methods=("POST",))
def klus_cash(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    payment = _payment(member, pk)
    try:
        services.klus_cash_confirm(actor=member, payment=payment)
    except ValidationError as e:
        return _detail(request, payment, member=member, errors=e.messages)
    messages.success(request, _("Dank u. De klus staat op betaald (contant)."))
    return redirect("klussen:detail", pk=payment.pk)


@cooperative_view("klus.settle", methods=("POST",))
def klus_pay_online(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """To Stripe's payment page (303: the browser follows with a GET)."""
    payment = _payment(member, pk)
    try:
        call = services.klus_checkout_start(
            actor=member, payment=payment, cooperative=current_cooperative()
        )
    except ValidationError as e:
        return _detail(request, payment, member=member, errors=e.messages)
    if call.status == OutboxCall.Status.DONE:
        return HttpResponseRedirect((call.result or {})["url"], status=303)
    if call.status == OutboxCall.Status.PENDING:
        return _detail(request, payment, member=member, errors=[str(STRIPE_AWAY)], status=202)
    return _detail(
        request,
        payment,
        member=member,
        errors=[_("Stripe kon de betaling niet starten. Betaal contant of vraag de coördinator.")],
    )


@cooperative_view("klus.overview", methods=("POST",))
def klus_waive(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """A coordinator or board member lets the klus lapse, with a reason (the service says who
    may: not the audit committee)."""
    payment = _payment(member, pk)
    form = KlusWaiveForm(request.POST)
    if form.is_valid():
        try:
            services.klus_waive(actor=member, payment=payment, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            if "reason" in e.message_dict:
                form_add_errors(form, e)
                return _detail(request, payment, member=member, waive_form=form)
            return _detail(request, payment, member=member, errors=e.messages, waive_form=form)
        messages.success(
            request,
            _("De klus is vervallen. De vrijwilliger en de hulpvrager krijgen een e-mail."),
        )
        return redirect("klussen:detail", pk=payment.pk)
    return _detail(request, payment, member=member, waive_form=form)


@cooperative_view("billing.manage", methods=("POST",))
def klus_refunded(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """The treasurer (chair, administrator) marks one double payment of the klus refunded,
    after paying it back in Stripe's dashboard or in cash; an optional note. Pressing again
    changes nothing and says so."""
    payment = _payment(member, pk)
    # First which double payment; its note is checked on that one's own form below, so an
    # error shows next to the right note.
    chosen = KlusRefundForm(request.POST)
    chosen.is_valid()
    double_id = chosen.cleaned_data.get("double_payment")
    if double_id is None:
        errors = [str(e) for e in chosen.errors.get("double_payment", [])]
        return _detail(request, payment, member=member, errors=errors)
    double = found_or_404(selectors.klus_double_payment_get(payment=payment, pk=double_id))
    form = KlusRefundForm.for_double(double.pk, request.POST)
    if not form.is_valid():
        return _detail(request, payment, member=member, refund_form=form)
    try:
        double, changed = services.klus_double_payment_mark_refunded(
            actor=member, double=double, note=form.cleaned_data["note"]
        )
    except ValidationError as e:
        return _detail(request, payment, member=member, errors=e.messages, refund_form=form)
    if changed:
        messages.success(request, _("Vastgelegd: de dubbele betaling is terugbetaald."))
    else:
        messages.info(request, _already_refunded(double))
    return redirect("klussen:detail", pk=payment.pk)


def _already_refunded(double: KlusDoublePayment) -> str:
    return _(
        "Deze dubbele betaling stond al op terugbetaald (op %(date)s door %(name)s). Er is "
        "niets veranderd."
    ) % {
        "date": timezone.localtime(double.refunded_at).strftime("%d-%m-%Y"),
        "name": double.refunded_by.name if double.refunded_by else _("onbekend"),
    }


# --- the cooperative's Stripe account ----------------------------------------------------------


@cooperative_view("billing.manage", methods=("GET", "POST"), reauth=("POST",))
def stripe_account(request: HttpRequest, member: Member) -> HttpResponse:
    """The treasurer or chair connects the cooperative's own Stripe account, through Stripe's
    onboarding pages; back from there, the page reads the account's state at once."""
    cooperative = current_cooperative()
    errors: list[str] = []
    if request.method == "POST":
        try:
            url = connect.connect_onboarding_start(actor=member, cooperative=cooperative)
        except ValidationError as e:
            errors = e.messages
        else:
            if url:
                return HttpResponseRedirect(url, status=303)
            errors = [str(STRIPE_AWAY)]
    elif request.GET.get("terug") == "1":
        connect.connect_account_refresh(cooperative=cooperative)
    return render(
        request,
        "klussen/stripe_account.html",
        {
            "account": connect_selectors.connect_account_get(cooperative=cooperative),
            "errors": errors,
        },
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
    member: Member,
    year: int | None = None,
    limits_form: AllowanceYearForm | None = None,
    override_form: AllowanceOverrideForm | None = None,
) -> HttpResponse:
    year = year or _year(request)
    may_configure = permissions.can(selectors.as_actor(member=member), "allowance.configure")
    may_override = permissions.can(selectors.as_actor(member=member), "allowance.override")
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


@cooperative_view("klus.overview")
def allowance_overview(request: HttpRequest, member: Member) -> HttpResponse:
    return _allowance_page(request, member=member)


@cooperative_view("allowance.configure", methods=("POST",))
def allowance_limits(request: HttpRequest, member: Member) -> HttpResponse:
    form = AllowanceYearForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.allowance_year_set(
                actor=member,
                year=data["year"],
                per_hour=data["per_hour"],
                per_year=data["per_year"],
                decision=data["decision"],
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("De grenzen voor %(year)s zijn vastgesteld.") % {"year": data["year"]},
            )
            return redirect(f"{reverse('klussen:allowance')}?jaar={data['year']}")
    return _allowance_page(request, member=member, limits_form=form)


@cooperative_view("allowance.override", methods=("POST",))
def allowance_override(request: HttpRequest, member: Member) -> HttpResponse:
    form = AllowanceOverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.allowance_override_create(
                actor=member,
                volunteer=data["volunteer"],
                year=data["year"],
                reason=data["reason"],
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s mag in %(year)s meer betaalde klussen doen.")
                % {"name": data["volunteer"].name, "year": data["year"]},
            )
            return redirect(f"{reverse('klussen:allowance')}?jaar={data['year']}")
    return _allowance_page(
        request,
        member=member,
        year=form.cleaned_data.get("year") if form.is_bound else None,
        override_form=form,
    )
