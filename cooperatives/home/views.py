"""The member's start page on a cooperative's subdomain."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cooperatives.members import selectors as members_selectors
from cooperatives.members.models import Member
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup import selectors as setup_selectors
from shared import permissions
from shared.views import cooperative_view


@cooperative_view()
def home(request: HttpRequest, member: Member) -> HttpResponse:
    rulebook = rulebook_current()
    clusters = setup_selectors.cluster_rows(rulebook=rulebook, active_only=True)
    return render(
        request,
        "home/home.html",
        {
            "member": member,
            "roles": members_selectors.role_labels(roles=sorted(permissions.roles_of(member))),
            "member_roles": permissions.roles_of(member),
            "clusters": clusters,
            "has_klus": any(row["compensation"] in ("euros", "both") for row in clusters),
            "rulebook": rulebook,
            # Template-friendly keys: "member.list" → can.member_list.
            "can": {
                action.replace(".", "_"): permissions.can(member, action)
                for action in (
                    "member.list",
                    "member.register",
                    "application.decide",
                    "invitation.send",
                    "neighbourhood.manage",
                    "cooperative.manage",
                    "cluster.manage",
                    "rulebook.edit",
                    "partner.manage",
                    "audit.view",
                    "offer.create",
                    "marketplace.board",
                    "points.use",
                    "points.overview",
                    "billing.view",
                    "billing.manage",
                    "klus.overview",
                    "statement.view",
                )
            },
        },
    )
