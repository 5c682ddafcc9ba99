"""Member pages: the list and a member's record for coordinators, assistants and the board,
intake by phone or at the door, roles, erasure, and a member's own data."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cooperatives.members import selectors, services
from cooperatives.members.forms import (
    MemberEditForm,
    MemberFilterForm,
    MemberProfileForm,
    MemberRegisterForm,
    MemberRolesForm,
)
from cooperatives.members.models import AVAILABILITY_CHOICES, Member
from cooperatives.rules.selectors import rulebook_current
from shared import permissions

PAGE_SIZE = 50


def _member_or_404(request: HttpRequest, pk: int, action: str) -> Member:
    """A member the viewer may ``action`` on; anything else (another buurt, another
    cooperative's id) does not exist for them."""
    member = selectors.member_get(viewer=permissions.current_member(request), pk=pk, action=action)
    if member is None:
        raise Http404
    return member


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _profile(member: Member) -> dict:
    """What the profile block shows, with labels instead of stored codes."""
    days = dict(AVAILABILITY_CHOICES)
    return {
        "member": member,
        "roles": [r.get_role_display() for r in member.role_assignments.all()],
        "availability": [days[a] for a in member.availability if a in days],
    }


def _render_form(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    status = 400 if context["form"].errors else 200
    return render(request, f"members/{template}", context, status=status)


@require_safe
@permissions.require("member.list")
def member_list(request: HttpRequest) -> HttpResponse:
    viewer = permissions.current_member(request)
    form = MemberFilterForm(
        request.GET or None,
        neighbourhoods=selectors.neighbourhoods_for(viewer=viewer, action="member.list"),
    )
    members = selectors.member_list(viewer=viewer, **form.filters())
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "members/list.html",
        {
            "form": form,
            "page": page,
            "can_register": permissions.can(viewer, "member.register"),
        },
    )


@require_safe
@permissions.require("member.view")
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = permissions.current_member(request)
    member = _member_or_404(request, pk, "member.view")
    active = member.status != Member.Status.ERASED
    return render(
        request,
        "members/detail.html",
        {
            **_profile(member),
            "can_edit": active and permissions.can(viewer, "member.edit", about=member),
            "can_assign_roles": active and permissions.can(viewer, "member.assign_roles"),
            "can_erase": active
            and member.pk != viewer.pk
            and permissions.can(viewer, "member.erase", about=member),
        },
    )


@require_http_methods(["GET", "POST"])
@permissions.require("member.edit")
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = permissions.current_member(request)
    member = _member_or_404(request, pk, "member.edit")
    may_move = permissions.can(viewer, "member.set_neighbourhood", about=member)
    form = MemberEditForm(
        request.POST or None,
        member=member,
        neighbourhoods=selectors.neighbourhoods_for(
            viewer=viewer, action="member.set_neighbourhood"
        )
        if may_move
        else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=viewer, member=member, **form.profile())
        except ValidationError as e:
            _add_errors(form, e)
            member.refresh_from_db()  # the page shows the record as it still is
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("member-detail", pk=member.pk)
    return _render_form(request, "edit.html", {"form": form, "member": member})


@require_http_methods(["GET", "POST"])
@permissions.require("member.assign_roles")
def member_roles(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = permissions.current_member(request)
    member = _member_or_404(request, pk, "member.assign_roles")
    form = MemberRolesForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_assign_roles(
                actor=viewer,
                member=member,
                roles=set(form.cleaned_data["roles"]),
                assisted_neighbourhoods=list(form.cleaned_data["assisted_neighbourhoods"]),
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("De rollen zijn opgeslagen."))
            return redirect("member-detail", pk=member.pk)
    return _render_form(request, "roles.html", {"form": form, "member": member})


@require_http_methods(["GET", "POST"])
@permissions.require("member.register")
def member_register(request: HttpRequest) -> HttpResponse:
    viewer = permissions.current_member(request)
    form = MemberRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_register_on_behalf(
                actor=viewer,
                accept_privacy=form.cleaned_data["accept_privacy"],
                accept_disclaimer=form.cleaned_data["accept_disclaimer"],
                **form.profile(),
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(
                request, _("%(name)s is ingeschreven als lid.") % {"name": member.name}
            )
            return redirect("member-detail", pk=member.pk)
    return _render_form(request, "register.html", {"form": form, "rulebook": rulebook_current()})


@require_http_methods(["GET", "POST"])
@permissions.require("member.erase")
def member_erase(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = permissions.current_member(request)
    member = _member_or_404(request, pk, "member.erase")
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.member_erase(actor=viewer, member=member)
        except ValidationError as e:
            errors = e.messages
        else:
            messages.success(
                request,
                _("De persoonsgegevens zijn gewist. Het lid heet nu %(name)s.")
                % {"name": member.name},
            )
            return redirect(f"{reverse('member-list')}?status=erased")
    return render(
        request,
        "members/erase.html",
        {"member": member, "errors": errors},
        status=400 if errors else 200,
    )


# --- a member's own data -----------------------------------------------------------------------


def _me(request: HttpRequest) -> Member:
    viewer = permissions.current_member(request)
    return selectors.member_get(viewer=viewer, pk=viewer.pk, action="self.view")


@require_safe
@permissions.login_then
def my_data(request: HttpRequest) -> HttpResponse:
    member = _me(request)
    return render(
        request,
        "members/my_data.html",
        {**_profile(member), "applications": member.applications.all()},
    )


@require_http_methods(["GET", "POST"])
@permissions.login_then
def my_data_edit(request: HttpRequest) -> HttpResponse:
    member = _me(request)
    form = MemberProfileForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=member, member=member, **form.profile())
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Uw gegevens zijn opgeslagen."))
            return redirect("my-data")
    return _render_form(request, "my_data_edit.html", {"form": form, "member": member})


@require_safe
@permissions.login_then
def my_data_export(request: HttpRequest) -> HttpResponse:
    member = _me(request)
    body = json.dumps(services.member_export(member=member), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-lid-{member.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
@permissions.login_then
def my_data_leave(request: HttpRequest) -> HttpResponse:
    member = _me(request)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.member_leave(member=member)
        except ValidationError as e:
            errors = e.messages
        else:
            logout(request)
            messages.success(request, _("U bent geen lid meer. Bedankt voor alles wat u deed."))
            return redirect("login")
    return render(
        request,
        "members/leave.html",
        {"member": member, "errors": errors},
        status=400 if errors else 200,
    )
