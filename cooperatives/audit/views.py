"""The audit log page: readable by the board, the audit committee and administrators."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cooperatives.audit import selectors
from cooperatives.audit.filters import AuditFilter
from cooperatives.members.models import Member
from shared.views import cooperative_view


@cooperative_view("audit.view")
def audit_log(request: HttpRequest, member: Member) -> HttpResponse:
    entries = AuditFilter.for_page(request.GET, queryset=selectors.audit_list()).qs
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "audit/log.html",
        {"page": page, "action": request.GET.get("handeling", "")},
    )
