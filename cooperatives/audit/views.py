"""The audit log page: readable by the board, the audit committee and administrators."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cooperatives.members.selectors import audit_list
from shared import permissions


@permissions.require("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = audit_list(action=request.GET.get("handeling", "").strip())
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "audit/log.html",
        {"page": page, "action": request.GET.get("handeling", "")},
    )
