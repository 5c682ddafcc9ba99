"""The audit log page: readable by the board, the audit committee and administrators. Each
entry is a sentence in plain words, newest first, fifty to a page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cooperatives.audit import selectors
from cooperatives.audit.filters import AuditFilter
from cooperatives.members.models import Member
from shared.views import cooperative_view

PAGE_SIZE = 50


@cooperative_view("audit.view")
def audit_log(request: HttpRequest, member: Member) -> HttpResponse:
    found = AuditFilter.for_page(request.GET, queryset=selectors.audit_list())
    page = Paginator(found.qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "lines": selectors.audit_lines(entries=page),
            "form": found.form,
            "subject": found.form["soort"].value() or "",
        },
    )
