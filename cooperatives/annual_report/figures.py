"""The annual report's own sections of figures, from the cooperative's data for one year:
members, services by cluster and buurt, how near helper and helped live, feedback, and the
points ledger (through the ledger's own selectors, so the report says exactly what the
ledger's overview says)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.annual_report.sections import report_section_register
from cooperatives.marketplace.matching import same_street
from cooperatives.marketplace.models import Service
from cooperatives.members.models import Member
from cooperatives.points import selectors as points

ZERO = Decimal("0")


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of ``year`` and of the next, in the cooperative's time zone."""
    return (
        timezone.make_aware(dt.datetime(year, 1, 1)),
        timezone.make_aware(dt.datetime(year + 1, 1, 1)),
    )


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def members(year: int) -> dict[str, Any]:
    """Members at the end of the year (joined before it ended, not left or erased by then),
    who joined and who left during it, and the members at year end by kind."""
    start, end = year_bounds(year)
    gone_by_end = Q(left_at__lt=end) | Q(erased_at__lt=end)
    at_end = Member.objects.filter(joined_at__lt=end).exclude(gone_by_end)
    by_kind = dict(at_end.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    left = Member.objects.filter(
        Q(left_at__gte=start, left_at__lt=end)
        | Q(left_at__isnull=True, erased_at__gte=start, erased_at__lt=end)
    )
    return {
        "at_year_end": at_end.count(),
        "joined": Member.objects.filter(joined_at__gte=start, joined_at__lt=end).count(),
        "left": left.count(),
        "by_kind": {kind: by_kind.get(kind, 0) for kind in Member.Kind.values},
    }


def _services(year: int) -> Any:
    """The services given in the year: confirmed ones, on the day they were given."""
    return Service.objects.filter(status=Service.Status.CONFIRMED, date__year=year)


def services(year: int) -> dict[str, Any]:
    done = _services(year)
    totals = done.aggregate(
        count=Count("id"), hours=Sum(Coalesce("registered_hours", "planned_hours"))
    )
    by_cluster = (
        done.values("cluster__name")
        .annotate(count=Count("id"), hours=Sum(Coalesce("registered_hours", "planned_hours")))
        .order_by("cluster__name")
    )
    by_buurt = (
        done.values("request__neighbourhood__name")
        .annotate(count=Count("id"), hours=Sum(Coalesce("registered_hours", "planned_hours")))
        .order_by("request__neighbourhood__name")
    )
    return {
        "count": totals["count"],
        "hours": totals["hours"] or ZERO,
        "by_cluster": [
            {"name": r["cluster__name"], "services": r["count"], "hours": r["hours"] or ZERO}
            for r in by_cluster
        ],
        "by_buurt": [
            {
                "name": r["request__neighbourhood__name"] or str(_("(geen buurt)")),
                "services": r["count"],
                "hours": r["hours"] or ZERO,
            }
            for r in by_buurt
        ],
    }


def nearby(year: int) -> dict[str, Any]:
    """How near the volunteer lives to where the help was needed, as matching ranks it: the
    same street (same name, same postcode area), the same buurt (street included). The
    volunteer's address is the one known now; the request keeps where the help was."""
    rows = _services(year).values_list(
        "request__street",
        "request__postcode",
        "request__neighbourhood_id",
        "volunteer__street",
        "volunteer__postcode",
        "volunteer__neighbourhood_id",
    )
    count = Counter[str]()
    for street, postcode, buurt, v_street, v_postcode, v_buurt in rows:
        count["all"] += 1
        if same_street(street, postcode, v_street, v_postcode):
            count["street"] += 1
        if buurt is not None and buurt == v_buurt:
            count["buurt"] += 1
    return {
        "services": count["all"],
        "same_street": count["street"],
        "same_street_percent": _percent(count["street"], count["all"]),
        "same_buurt": count["buurt"],
        "same_buurt_percent": _percent(count["buurt"], count["all"]),
    }


def feedback(year: int) -> dict[str, Any]:
    rated = _services(year).filter(rating__isnull=False)
    found = rated.aggregate(count=Count("id"), average=Avg("rating"))
    by_rating = dict(rated.values_list("rating").annotate(n=Count("id")).values_list("rating", "n"))
    average = found["average"]
    return {
        "count": found["count"],
        "average": Decimal(str(average)).quantize(Decimal("0.1")) if average is not None else None,
        "by_rating": {str(stars): by_rating.get(stars, 0) for stars in range(5, 0, -1)},
    }


def points_figures(year: int) -> dict[str, Any]:
    """The ledger's overview (``circulation``: now for the running year, at year end for an
    ended one) and what moved during the year."""
    totals = points.circulation(year=year)
    moved = points.issued_during(year=year)
    return {
        "issued": totals["issued"],
        "in_circulation": totals["in_circulation"],
        "positive": totals["positive"],
        "negative": totals["negative"],
        "share": totals["share"],
        "balanced": totals["balanced"],
        "issued_during_year": moved["issued"],
        "paid_for_services": moved["paid_for_services"],
    }


def solidarity(year: int) -> dict[str, Any]:
    moved = points.issued_during(year=year)
    return {
        "balance": points.circulation(year=year)["solidarity"],
        "received": moved["solidarity_in"],
        "granted": moved["solidarity_out"],
    }


def register() -> None:
    report_section_register(
        "members",
        _("Leden"),
        members,
        labels={
            "at_year_end": _("Leden aan het eind van het jaar"),
            "joined": _("Nieuwe leden"),
            "left": _("Vertrokken leden"),
            "by_kind": _("Leden naar soort"),
            Member.Kind.RESIDENT: _("bewoners"),
            Member.Kind.ORGANISATION: _("organisaties"),
        },
        order=10,
    )
    report_section_register(
        "services",
        _("Diensten"),
        services,
        labels={
            "count": _("Bevestigde diensten"),
            "hours": _("Uren"),
            "by_cluster": _("Per cluster"),
            "by_buurt": _("Per buurt"),
            "name": _("Naam"),
            "services": _("Diensten"),
        },
        order=20,
    )
    report_section_register(
        "nearby",
        _("Dichtbij geholpen"),
        nearby,
        labels={
            "services": _("Bevestigde diensten"),
            "same_street": _("Helper in dezelfde straat"),
            "same_street_percent": _("Dezelfde straat (procent)"),
            "same_buurt": _("Helper in dezelfde buurt (straat inbegrepen)"),
            "same_buurt_percent": _("Dezelfde buurt (procent)"),
        },
        order=30,
    )
    report_section_register(
        "feedback",
        _("Waardering"),
        feedback,
        labels={
            "count": _("Diensten met een waardering"),
            "average": _("Gemiddelde waardering (1 tot 5)"),
            "by_rating": _("Aantal per waardering"),
        },
        order=40,
    )
    report_section_register(
        "points",
        _("Tijdpunten"),
        points_figures,
        labels={
            "issued": _("Uitgegeven punten (totaal)"),
            "in_circulation": _("Punten in omloop"),
            "positive": _("Tegoed van leden"),
            "negative": _("Tekort van leden"),
            "share": _("Aandeel coöperatie"),
            "balanced": _("Omloop gelijk aan uitgifte"),
            "issued_during_year": _("Uitgegeven in dit jaar"),
            "paid_for_services": _("Betaald voor diensten in dit jaar"),
        },
        order=50,
    )
    report_section_register(
        "solidarity",
        _("Solidariteitspot"),
        solidarity,
        labels={
            "balance": _("Saldo"),
            "received": _("Ontvangen in dit jaar"),
            "granted": _("Bijgedragen in dit jaar"),
        },
        order=60,
    )
