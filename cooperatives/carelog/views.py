"""The care-access log's pages: the member's own (who looked at my care data, AVG art. 15),
reached from "Mijn gegevens", and the board's, in the board menu, without any care text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cooperatives.carelog import selectors
from cooperatives.carelog.models import CareAccess
from cooperatives.members.models import Member
from shared.views import cooperative_view

PAGE_SIZE = 50


def _lines(entries: Iterable[CareAccess], *, with_subject: bool) -> list[dict[str, Any]]:
    return [
        {
            "when": e.created_at,
            "viewer": e.viewer.name,
            "subject": e.subject.name if with_subject else "",
            "where": selectors.route_label(e.route),
        }
        for e in entries
    ]


@cooperative_view()
def my_care_access(request: HttpRequest, member: Member) -> HttpResponse:
    page = Paginator(selectors.care_access_of(member=member), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request, "carelog/mine.html", {"page": page, "lines": _lines(page, with_subject=False)}
    )


@cooperative_view("carelog.view")
def care_access_log(request: HttpRequest, member: Member) -> HttpResponse:
    page = Paginator(selectors.care_access_log(viewer=member), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request, "carelog/log.html", {"page": page, "lines": _lines(page, with_subject=True)}
    )
