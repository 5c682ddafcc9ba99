"""Pages of the monthly statements (maandoverzichten): the list of months and one month's
statement, also as CSV (for a Dutch spreadsheet) and PDF (to print or file).

Only the board, the audit committee and administrators (``statement.view``) see them: the
statement names requesters and volunteers, which the treasurer needs to collect and pay. It
never shows what the help was about beyond its cluster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from billing.statements import selectors as statements
from billing.statements.pdf import statement_pdf
from billing.statements.selectors import RefundLine, Statement, StatementLine
from billing.subscriptions.models import Subscription
from cooperatives.settlement import Member
from shared.spreadsheet import csv_decimal, csv_response, csv_text
from shared.views import cooperative_view

MonthView = Callable[[HttpRequest, int, int, Member], HttpResponse]


class NoSuchMonth(Exception):
    """The address names a month without a statement."""


def _statement(*, year: int, month: int) -> Statement:
    if not statements.statement_month_exists(year=year, month=month):
        raise NoSuchMonth
    return statements.statement_month(year=year, month=month)


def month_view(view: MonthView) -> Callable[..., HttpResponse]:
    """A month that does not exist (13, the year 1800, a month still to come) gets a Dutch
    page with status 404 that leads back to the list, never an error."""

    @wraps(view)
    def wrapped(request: HttpRequest, year: int, month: int, member: Member) -> HttpResponse:
        try:
            return view(request, year, month, member)
        except NoSuchMonth:
            return render(
                request,
                "statements/statement_missing.html",
                {"year": year, "month": month},
                status=404,
            )

    return wrapped


@cooperative_view("statement.view")
def statement_index(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "statements/statement_index.html",
        {"months": statements.statement_months(), "owed_total": statements.statement_owed_total()},
    )


@cooperative_view("statement.view")
@month_view
def statement_detail(request: HttpRequest, year: int, month: int, member: Member) -> HttpResponse:
    statement = _statement(year=year, month=month)
    previous, following = statements.month_neighbours(year=year, month=month)
    return render(
        request,
        "statements/statement.html",
        {
            "statement": statement,
            "totals": statement.totals,
            "subscription": statement.subscription,
            "no_subscription": Subscription.Status.word(Subscription.Status.NONE),
            "previous": previous,
            "following": following,
            "previous_label": statements.month_label(year=previous[0], month=previous[1])
            if previous
            else "",
            "following_label": statements.month_label(year=following[0], month=following[1])
            if following
            else "",
        },
    )


# --- CSV ---------------------------------------------------------------------------------------


def _day(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _csv_row(line: StatementLine) -> list[str]:
    return [
        _day(line.performed_on),
        str(line.service_id),
        csv_text(line.cluster),
        csv_text(line.volunteer),
        csv_text(line.requester),
        csv_decimal(line.hours),
        csv_decimal(line.rate_per_hour),
        csv_decimal(line.amount),
        csv_decimal(line.cooperative_share),
        csv_decimal(line.volunteer_amount),
        csv_decimal(line.platform_fee),
        line.method_label,
        line.status_label,
        _day(line.paid_on),
    ]


def _csv_header() -> list[str]:
    return [
        _("Datum"),
        _("Dienst"),
        _("Cluster"),
        _("Vrijwilliger"),
        _("Hulpvrager"),
        _("Uren"),
        _("Tarief per uur"),
        _("Bedrag"),
        _("Deel coöperatie"),
        _("Vrijwilliger krijgt"),
        _("Platformkosten"),
        _("Betaalwijze"),
        _("Status"),
        _("Betaald op"),
    ]


@cooperative_view("statement.view")
@month_view
def statement_csv(request: HttpRequest, year: int, month: int, member: Member) -> HttpResponse:
    """One row per klus and a totals row, for a Dutch spreadsheet: ';' between columns, a
    decimal comma, and a byte-order mark so the accents are read as UTF-8."""
    statement = _statement(year=year, month=month)
    t = statement.totals
    response, writer = csv_response(f"{statement.file_stem}.csv")
    writer.writerow(_csv_header())
    for line in statement.lines:
        writer.writerow(_csv_row(line))
    writer.writerow(
        [
            ngettext(
                "Totaal: %(n)s klus (zonder vervallen)",
                "Totaal: %(n)s klussen (zonder vervallen)",
                t.klussen,
            )
            % {"n": t.klussen},
            "",
            "",
            "",
            "",
            csv_decimal(t.hours),
            "",
            csv_decimal(t.charged),
            csv_decimal(t.cooperative_shares),
            csv_decimal(t.volunteer_amounts),
            csv_decimal(t.platform_fees),
            "",
            "",
            "",
        ]
    )
    writer.writerow([])
    for label, value in (
        (_("Contant betaald"), t.paid_cash),
        (_("Online betaald"), t.paid_online),
        (_("Nog te betalen"), t.owed),
        (_("Nog te betalen uit eerdere maanden"), statement.earlier_owed_total),
        (_("Terug te betalen (twee keer betaald)"), statement.to_refund_total),
    ):
        writer.writerow([label, csv_decimal(value)])
    if statement.subscription is not None:
        sub = statement.subscription
        writer.writerow(
            [
                _("Abonnement"),
                csv_decimal(sub.monthly_price),
                csv_text(sub.plan_name),
                sub.status_label,
                *(
                    [_("Betaald door %(network)s") % {"network": csv_text(sub.paid_by)}]
                    if sub.paid_by
                    else []
                ),
            ]
        )
    _csv_refunds(writer, statement)
    return response


def _csv_refunds(writer: Any, statement: Statement) -> None:
    """The month's double payments, last: received online for a klus already settled, and
    whether (and when) the treasurer refunded it. Not in the totals above."""
    if not statement.to_refund:
        return
    writer.writerow([])
    writer.writerow([_("Terug te betalen: online ontvangen voor klussen die al betaald waren")])
    writer.writerow(
        [
            _("Online ontvangen op"),
            _("Klus uitgevoerd op"),
            _("Cluster"),
            _("Vrijwilliger"),
            _("Hulpvrager"),
            _("Bedrag"),
            _("De klus was al"),
            _("Terugbetaald op"),
        ]
    )
    for line in statement.to_refund:
        writer.writerow(_csv_refund_row(line))
    writer.writerow(
        [_("Nog terug te betalen"), "", "", "", "", csv_decimal(statement.to_refund_total)]
    )
    if statement.refunded_total:
        writer.writerow(
            [_("Al terugbetaald"), "", "", "", "", csv_decimal(statement.refunded_total)]
        )


def _csv_refund_row(line: RefundLine) -> list[str]:
    return [
        _day(line.received_on),
        _day(line.performed_on),
        csv_text(line.cluster),
        csv_text(line.volunteer),
        csv_text(line.requester),
        csv_decimal(line.amount),
        line.earlier_label,
        _day(line.refunded_on),
    ]


# --- PDF ---------------------------------------------------------------------------------------


@cooperative_view("statement.view")
@month_view
def statement_pdf_download(
    request: HttpRequest, year: int, month: int, member: Member
) -> HttpResponse:
    statement = _statement(year=year, month=month)
    response = HttpResponse(statement_pdf(statement=statement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{statement.file_stem}.pdf"'
    return response
