"""The member's start page on a cooperative's subdomain: what waits for the member ("Wat vraagt
uw aandacht", from the providers the feature apps register in ``shared.navigation``), and when
nothing waits, what the member can do next; then the cooperative's clusters and rules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cooperatives.members import selectors as members_selectors
from cooperatives.members.models import Member
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup import selectors as setup_selectors
from shared import navigation, permissions
from shared.views import cooperative_view


@cooperative_view()
def home(request: HttpRequest, member: Member) -> HttpResponse:
    rulebook = rulebook_current()
    context = navigation.context_for(request)
    assert context is not None  # the base view lets only an active member in
    context.memo("rulebook", lambda: rulebook)
    menu = navigation.menu_for(request)
    clusters = setup_selectors.cluster_rows(rulebook=rulebook, active_only=True)
    return render(
        request,
        "home/home.html",
        {
            "member": member,
            "roles": members_selectors.role_labels(roles=sorted(permissions.roles_of(member))),
            "member_roles": permissions.roles_of(member),
            "tasks": navigation.attention_for(context),
            "suggestions": menu.suggestions if menu else [],
            "clusters": clusters,
            "has_klus": any(row["compensation"] in ("euros", "both") for row in clusters),
            "rulebook": rulebook,
        },
    )
