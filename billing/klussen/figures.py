"""The ``klussen`` group of a cooperative's network figures: paid klussen in euros and hours,
per month, as the monthly statement sums them (``billing.statements``: the klussen performed in
the month, a waived one counting in none of the sums).

Computed here because the euros live in billing: the cooperative apps may not import billing,
and neither may ``tenants`` (it sits below billing), so this computer is registered with
``cooperatives.figures.registry`` through ``cooperatives.settlement`` from
``KlussenConfig.ready``. It runs inside the cooperative's schema and returns counts and sums
only: no member, no klus id."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum

from billing.klussen.models import KlusPayment
from cooperatives.settlement import Cell

ZERO = Decimal("0.00")


def klussen_cells(*, month: dt.date) -> list[Cell]:
    following = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    found = (
        KlusPayment.objects.filter(performed_on__gte=month, performed_on__lt=following)
        .exclude(status=KlusPayment.Status.CANCELLED)
        .aggregate(n=Count("id"), euros=Sum("amount"), hours=Sum("hours"))
    )
    n = found["n"]
    return [
        Cell(month=month, group="klussen", metric="klussen", value=Decimal(n), count=n),
        Cell(month=month, group="klussen", metric="euros", value=found["euros"] or ZERO, count=n),
        Cell(month=month, group="klussen", metric="hours", value=found["hours"] or ZERO, count=n),
    ]
