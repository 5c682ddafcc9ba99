"""Pages of the points ledger: my balance and statement (also as CSV), pending service
payments to approve, giving points, the solidarity pot, and for the board and the audit
committee the cooperative's overview, corrections and reversals.

Every booking goes through cooperatives.points.services; a refusal (a limit crossed, the pot
empty, not allowed) comes back on the page with its Dutch message and status 400, and nothing
is booked.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperatives.members.models import Member
from cooperatives.points import selectors, services
from cooperatives.points.forms import (
    CorrectionForm,
    DonationForm,
    GiftForm,
    GrantForm,
    ReverseForm,
    SnapshotForm,
)
from cooperatives.points.models import Account, Transfer
from cooperatives.rules.selectors import rulebook_current
from shared import permissions
from shared.spreadsheet import csv_decimal, csv_response, csv_text
from shared.views import cooperative_view, form_add_errors, found_or_404

PAGE_SIZE = 50
FORM = ("GET", "POST")


def _points_text(amount: Decimal) -> str:
    return ngettext("%(n)s punt", "%(n)s punten", 1 if abs(amount) == 1 else 2) % {
        "n": floatformat(amount, -2)
    }


def _messages(error: ValidationError) -> list[str]:
    return [m for errors in error.message_dict.values() for m in errors]


def _balance(member: Member) -> Decimal:
    account = selectors.account_of(member=member)
    return account.balance if account else selectors.ZERO


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, failed: bool
) -> HttpResponse:
    return render(request, f"points/{template}", context, status=400 if failed else 200)


# --- my points ---------------------------------------------------------------------------------


def _mine(request: HttpRequest, member: Member, *, errors: list[str] | None = None) -> HttpResponse:
    page = Paginator(selectors.statement(member=member), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return _render(
        request,
        "mine.html",
        {
            "balance": _balance(member),
            "page": page,
            "rows": selectors.with_counterparties(page),
            "pending": selectors.with_pending_lines(selectors.pending_for(member=member)),
            "rulebook": rulebook_current(),
            "errors": errors or [],
        },
        failed=bool(errors),
    )


@cooperative_view("points.use")
def points_mine(request: HttpRequest, member: Member) -> HttpResponse:
    return _mine(request, member)


@cooperative_view("points.use")
def points_statement_csv(request: HttpRequest, member: Member) -> HttpResponse:
    """My statement for a Dutch spreadsheet: ';' between columns, a decimal comma, and a
    byte-order mark so the spreadsheet reads the accents as UTF-8."""
    response, writer = csv_response("punten-overzicht.csv")
    writer.writerow(
        [_("Datum"), _("Soort"), _("Omschrijving"), _("Van of aan"), _("Punten"), _("Saldo")]
    )
    for posting in selectors.with_counterparties(selectors.statement(member=member)):
        writer.writerow(
            [
                timezone.localtime(posting.created_at).strftime("%d-%m-%Y %H:%M"),
                posting.transfer.get_kind_display(),
                csv_text(posting.transfer.memo),
                csv_text(posting.other),
                csv_decimal(posting.amount),
                csv_decimal(posting.balance_after),
            ]
        )
    return response


def _payment_or_404(member: Member, pk: int) -> Transfer:
    """A payment for a service ``member`` was helped with; anyone else's does not exist."""
    return found_or_404(selectors.service_payments_to_decide(member=member).filter(pk=pk).first())


@cooperative_view("points.use", methods=("POST",))
def points_approve(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    transfer = _payment_or_404(member, pk)
    try:
        services.transfer_decide(actor=member, transfer=transfer, approve=True)
    except ValidationError as e:
        return _mine(request, member, errors=_messages(e))
    messages.success(request, _("Dank u. De betaling is goedgekeurd en geboekt."))
    return redirect("points-mine")


@cooperative_view("points.use", methods=FORM)
def points_reject(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """Rejecting a payment is confirmed on a page of its own: the helper gets no points."""
    transfer = _payment_or_404(member, pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.transfer_decide(actor=member, transfer=transfer, approve=False)
        except ValidationError as e:
            errors = _messages(e)
        else:
            messages.success(request, _("De betaling is afgewezen. Er is niets geboekt."))
            return redirect("points-mine")
    return _render(
        request,
        "reject.html",
        {"transfer": selectors.with_pending_lines([transfer])[0], "errors": errors},
        failed=bool(errors),
    )


# --- giving ------------------------------------------------------------------------------------


@cooperative_view("points.use", methods=FORM)
def points_gift(request: HttpRequest, member: Member) -> HttpResponse:
    form = GiftForm(request.POST or None, giver=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = services.points_gift(
                giver=member,
                receiver=data["receiver"],
                amount=data["amount"],
                memo=data["memo"],
                key=data["idempotency_key"],
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            # From the transfer, not the form: a resubmit shows what was booked the first time.
            receiver, given = next(
                (account, amount)
                for account, amount in selectors.transfer_lines(transfer)
                if amount > 0
            )
            messages.success(
                request,
                _("U gaf %(points)s aan %(name)s.")
                % {"points": _points_text(given), "name": selectors.holder(receiver)},
            )
            return redirect("points-mine")
    return _render(
        request,
        "gift.html",
        {"form": form, "balance": _balance(member)},
        failed=bool(form.errors),
    )


@cooperative_view("points.use", methods=FORM)
def points_solidarity(request: HttpRequest, member: Member) -> HttpResponse:
    """The solidarity pot: every member may give to it; a coordinator grants from it."""
    may_grant = selectors.may(member, "points.grant")
    posted = request.POST.get("form") if request.method == "POST" else None
    donate = DonationForm(request.POST if posted == "donate" else None, prefix="donate")
    grant = GrantForm(request.POST if posted == "grant" else None, prefix="grant")
    if posted == "grant" and not may_grant:
        return permissions.forbidden(request)
    if posted == "donate" and donate.is_valid():
        try:
            services.points_donate(
                member=member,
                amount=donate.cleaned_data["amount"],
                key=donate.cleaned_data["idempotency_key"],
            )
        except ValidationError as e:
            form_add_errors(donate, e)
        else:
            messages.success(request, _("Dank u voor uw gift aan de solidariteitspot."))
            return redirect("points-solidarity")
    if posted == "grant" and grant.is_valid():
        data = grant.cleaned_data
        try:
            services.points_grant(
                actor=member,
                member=data["member"],
                amount=data["amount"],
                reason=data["reason"],
                key=data["idempotency_key"],
            )
        except ValidationError as e:
            form_add_errors(grant, e)
        else:
            messages.success(
                request,
                _("%(name)s kreeg punten uit de solidariteitspot.") % {"name": data["member"].name},
            )
            return redirect("points-solidarity")
    return _render(
        request,
        "solidarity.html",
        {
            "pot": selectors.system_balance(Account.Kind.SOLIDARITY),
            "balance": _balance(member),
            "donate": donate,
            "grant": grant if may_grant else None,
        },
        failed=bool(donate.errors or grant.errors),
    )


# --- the cooperative's ledger ------------------------------------------------------------------


@cooperative_view("points.overview", methods=FORM)
def points_overview(request: HttpRequest, member: Member) -> HttpResponse:
    """Points in circulation against what was issued, every account, pending payments, recent
    transfers and the year-end snapshots (taken here too)."""
    form = SnapshotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        taken = form.cleaned_data["year"]
        made = services.year_end_snapshot_take(year=taken)
        messages.success(
            request,
            _("De stand van %(year)s is vastgelegd (%(count)s rekeningen).")
            % {"year": taken, "count": made},
        )
        return redirect(f"{request.path}?jaar={taken}#jaarstanden")
    years = selectors.snapshot_years()
    year: int | None
    try:
        year = int(request.GET.get("jaar", ""))
    except ValueError:
        year = years[0] if years else None
    accounts = Paginator(selectors.accounts_with_holders(), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    snapshot_rows = list(selectors.snapshots(year=year)) if year in years else []
    return _render(
        request,
        "overview.html",
        {
            "totals": selectors.circulation(),
            "accounts": accounts,
            "pending": selectors.with_pending_lines(selectors.pending_all()),
            "recent": selectors.transfers_recent(),
            "may_correct": selectors.may(member, "points.correct"),
            "form": form,
            "years": years,
            "year": year,
            "snapshot_rows": snapshot_rows,
            "snapshot_total": sum((s.balance for s in snapshot_rows), selectors.ZERO),
        },
        failed=bool(form.errors),
    )


@cooperative_view("points.correct", methods=FORM)
def points_correction(request: HttpRequest, member: Member) -> HttpResponse:
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.points_correct(
                actor=member,
                account=services.account_open(member=data["member"]),
                amount=data["amount"],
                reason=data["reason"],
                key=data["idempotency_key"],
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("De correctie op de rekening van %(name)s is geboekt.")
                % {"name": data["member"].name},
            )
            return redirect("points-overview")
    return _render(request, "correction.html", {"form": form}, failed=bool(form.errors))


@cooperative_view("points.correct", methods=FORM)
def points_reverse(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """Reversing is confirmed on a page of its own: a new transfer mirrors the original,
    which stays in the ledger."""
    transfer = found_or_404(selectors.transfer_get(pk=pk))
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_reverse(
                actor=member,
                transfer=transfer,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(request, _("De overboeking is teruggedraaid."))
            return redirect("points-overview")
    return _render(
        request,
        "reverse.html",
        {
            "transfer": transfer,
            "form": form,
            "lines": [
                (selectors.holder(account), amount)
                for account, amount in selectors.transfer_lines(transfer)
            ],
        },
        failed=bool(form.errors),
    )
