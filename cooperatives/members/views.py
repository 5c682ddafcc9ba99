"""Member pages: the list and a member's record for coordinators, assistants and the board,
intake by phone or at the door, roles, erasure, and a member's own data."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language

from cooperatives.members import selectors, services
from cooperatives.members.filters import MemberFilter
from cooperatives.members.forms import (
    EmailChangeForm,
    MemberEditForm,
    MemberProfileForm,
    MemberRegisterForm,
    MemberRolesForm,
)
from cooperatives.members.models import AVAILABILITY_CHOICES, Member
from cooperatives.members.pdf import member_export_pdf
from cooperatives.rules.selectors import rulebook_current
from shared import permissions
from shared.tenancy.current import current_cooperative
from shared.views import cooperative_view, form_add_errors, found_or_404

PAGE_SIZE = 50
GET_POST = ("GET", "POST")


def _profile(member: Member) -> dict[str, Any]:
    """What the profile block shows, with labels instead of stored codes."""
    days = dict(AVAILABILITY_CHOICES)
    return {
        "member": member,
        "roles": member.current_role_labels(),
        "availability": [days[a] for a in member.availability if a in days],
    }


def _render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    status = 400 if context["form"].errors else 200
    return render(request, f"members/{template}", context, status=status)


@cooperative_view("member.list")
def member_list(request: HttpRequest, member: Member) -> HttpResponse:
    filters = MemberFilter.for_page(
        request.GET or None,
        queryset=selectors.member_list(viewer=member),
        neighbourhoods=selectors.neighbourhoods_for(viewer=member, action="member.list"),
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "members/list.html",
        {
            "form": filters.form,
            "page": page,
            "can_register": permissions.can(member, "member.register"),
        },
    )


@cooperative_view("member.view")
def member_detail(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    target = found_or_404(selectors.member_get(viewer=member, pk=pk))
    active = target.status != Member.Status.ERASED
    return render(
        request,
        "members/detail.html",
        {
            **_profile(target),
            "can_edit": active and permissions.can(member, "member.edit", about=target),
            "can_assign_roles": active and permissions.can(member, "member.assign_roles"),
            "can_erase": active
            and target.pk != member.pk
            and permissions.can(member, "member.erase", about=target),
            "can_send_password_link": selectors.member_may_get_password_link(
                viewer=member, member=target
            ),
            "can_export": active
            and target.user_id is None
            and permissions.can(member, "member.export", about=target),
            "two_factor": selectors.two_factor_reset_offer(viewer=member, member=target),
        },
    )


@cooperative_view("member.two_factor_reset", methods=GET_POST, reauth=True)
def member_two_factor_reset(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """A lost phone: the first board member asks (``step=ask``), another confirms
    (``step=confirm``); then the member sets up a new phone at the next login. A GET (the way
    back after confirming one's password) returns to the member's page."""
    target = found_or_404(
        selectors.member_get(viewer=member, pk=pk, action="member.two_factor_reset")
    )
    if request.method == "POST":
        try:
            if request.POST.get("step") == "confirm":
                services.member_two_factor_reset_confirm(actor=member, member=target)
                done = _(
                    "De telefoon van %(name)s is losgekoppeld. Bij de volgende keer inloggen "
                    "koppelt %(name)s een nieuwe telefoon."
                )
            else:
                services.member_two_factor_reset_request(actor=member, member=target)
                done = _(
                    "Aangevraagd. Een ander bestuurslid moet het loskoppelen van de telefoon "
                    "van %(name)s nog bevestigen op deze pagina."
                )
        except ValidationError as e:
            for problem in e.messages:
                messages.error(request, problem)
        else:
            messages.success(request, done % {"name": target.name})
    return redirect("member-detail", pk=target.pk)


def _tell_if_email_waits(request: HttpRequest, *, asked: str, member: Member) -> None:
    """Say so when a new address was not saved but waits for its link to be used."""
    asked = (asked or "").strip().lower()
    if asked and asked != member.email.lower():
        messages.info(
            request,
            _(
                "Er is een e-mail met een link gestuurd naar %(email)s. Het e-mailadres wijzigt "
                "pas als die link gebruikt is."
            )
            % {"email": asked},
        )


@cooperative_view("member.password_reset", methods=("POST",))
def member_password_reset(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """A member calls because they cannot log in: send them the link for a new password."""
    target = found_or_404(
        selectors.member_get(viewer=member, pk=pk, action="member.password_reset")
    )
    try:
        services.member_password_reset_send(actor=member, member=target)
    except ValidationError as e:
        for problem in e.messages:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _(
                "Er is een e-mail met een link voor een nieuw wachtwoord gestuurd naar "
                "%(email)s. De link werkt een paar dagen."
            )
            % {"email": target.email},
        )
    return redirect("member-detail", pk=target.pk)


@cooperative_view("member.edit", methods=GET_POST)
def member_edit(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    target = found_or_404(selectors.member_get(viewer=member, pk=pk, action="member.edit"))
    may_move = permissions.can(member, "member.set_neighbourhood", about=target)
    form = MemberEditForm(
        request.POST or None,
        member=target,
        neighbourhoods=selectors.neighbourhoods_for(
            viewer=member, action="member.set_neighbourhood"
        )
        if may_move
        else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=member, member=target, **form.profile())
        except ValidationError as e:
            form_add_errors(form, e)
            target.refresh_from_db()  # the page shows the record as it still is
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            _tell_if_email_waits(request, asked=form.cleaned_data["email"], member=target)
            return redirect("member-detail", pk=target.pk)
    return _render_form(request, "edit.html", {"form": form, "member": target})


@cooperative_view("member.assign_roles", methods=GET_POST)
def member_roles(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    target = found_or_404(selectors.member_get(viewer=member, pk=pk, action="member.assign_roles"))
    form = MemberRolesForm(request.POST or None, member=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_assign_roles(
                actor=member,
                member=target,
                roles=set(form.cleaned_data["roles"]),
                assisted_neighbourhoods=list(form.cleaned_data["assisted_neighbourhoods"]),
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(request, _("De rollen zijn opgeslagen."))
            return redirect("member-detail", pk=target.pk)
    return _render_form(request, "roles.html", {"form": form, "member": target})


@cooperative_view("member.register", methods=GET_POST)
def member_register(request: HttpRequest, member: Member) -> HttpResponse:
    form = MemberRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registered = services.member_register_on_behalf(
                actor=member,
                accept_privacy=form.cleaned_data["accept_privacy"],
                accept_disclaimer=form.cleaned_data["accept_disclaimer"],
                **form.profile(),
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request, _("%(name)s is ingeschreven als lid.") % {"name": registered.name}
            )
            return redirect("member-detail", pk=registered.pk)
    return _render_form(request, "register.html", {"form": form, "rulebook": rulebook_current()})


@cooperative_view("member.erase", methods=GET_POST, reauth=True)
def member_erase(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    target = found_or_404(selectors.member_get(viewer=member, pk=pk, action="member.erase"))
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.member_erase(actor=member, member=target)
        except ValidationError as e:
            errors = e.messages
        else:
            messages.success(
                request,
                _("De persoonsgegevens zijn gewist. Het lid heet nu %(name)s.")
                % {"name": target.name},
            )
            return redirect(f"{reverse('member-list')}?status=erased")
    return render(
        request,
        "members/erase.html",
        {"member": target, "errors": errors},
        status=400 if errors else 200,
    )


# --- a member's own data -----------------------------------------------------------------------


@cooperative_view()
def my_data(request: HttpRequest, member: Member) -> HttpResponse:
    me = selectors.member_reload(member=member)
    return render(
        request,
        "members/my_data.html",
        {
            **_profile(me),
            "applications": me.applications.all(),
            "email_change": selectors.email_change_pending(member=me),
        },
    )


@cooperative_view(methods=GET_POST, reauth=True)
def my_email(request: HttpRequest, member: Member) -> HttpResponse:
    """A new email address: a link goes to it, and only using that link changes it."""
    me = selectors.member_reload(member=member)
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_email_change_request(
                actor=me, member=me, new_email=form.cleaned_data["email"]
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            _tell_if_email_waits(request, asked=form.cleaned_data["email"], member=me)
            return redirect("my-data")
    return _render_form(
        request,
        "my_email.html",
        {"form": form, "member": me, "pending": selectors.email_change_pending(member=me)},
    )


@require_http_methods(["GET", "POST"])
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail to a new address, for whoever holds it (logged in or not): the
    page asks to confirm, and only the button changes the address (a mail program that opens
    links by itself changes nothing)."""
    change = selectors.email_change_for_token(token=token)
    if change is None:
        # Unknown, used and expired links get the same answer: nothing to learn by guessing.
        return render(request, "members/email_change_invalid.html", status=404)
    problems: list[str] = []
    if request.method == "POST":
        try:
            changed = services.member_email_change_confirm(token=token)
        except ValidationError as e:
            problems = e.messages
        else:
            return render(request, "members/email_change_done.html", {"email": changed.email})
    return render(
        request,
        "members/email_change_confirm.html",
        {"change": change, "errors": problems},
        status=400 if problems else 200,
    )


def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a logged-in member the choice is also remembered, so
    that emails to them are in it too."""
    response = set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    me = permissions.current_member(request)
    if me is not None and language and check_for_language(language):
        services.member_set_language(member=me, language=language)
    return response


@cooperative_view(methods=GET_POST)
def my_data_edit(request: HttpRequest, member: Member) -> HttpResponse:
    me = selectors.member_reload(member=member)
    form = MemberProfileForm(request.POST or None, member=me)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=me, member=me, **form.profile())
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(request, _("Uw gegevens zijn opgeslagen."))
            _tell_if_email_waits(request, asked=form.cleaned_data["email"], member=me)
            return redirect("my-data")
    return _render_form(request, "my_data_edit.html", {"form": form, "member": me})


def _export_response(data: dict[str, Any], *, kind: str, filename: str) -> HttpResponse:
    """The export as a download: JSON (to take elsewhere, art. 20) or a readable PDF."""
    if kind == "pdf":
        body: bytes | str = member_export_pdf(data=data, cooperative=current_cooperative().name)
        response = HttpResponse(body, content_type="application/pdf")
    else:
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


@cooperative_view()
def my_data_export(request: HttpRequest, member: Member) -> HttpResponse:
    me = selectors.member_reload(member=member)
    return _export_response(
        selectors.member_export(member=me), kind="json", filename=f"mijn-gegevens-lid-{me.pk}"
    )


@cooperative_view()
def my_data_export_pdf(request: HttpRequest, member: Member) -> HttpResponse:
    me = selectors.member_reload(member=member)
    return _export_response(
        selectors.member_export(member=me), kind="pdf", filename=f"mijn-gegevens-lid-{me.pk}"
    )


@cooperative_view("member.export")
def member_export(request: HttpRequest, pk: int, kind: str, member: Member) -> HttpResponse:
    """A coordinator downloads the data of a member without a login, for them. A plain link
    (a read, like opening the member's page; it also works while the cooperative is
    read-only): the service audits it and logs it as a look at their care data."""
    target = found_or_404(selectors.member_get(viewer=member, pk=pk, action="member.export"))
    try:
        data = services.member_export_for(actor=member, member=target, kind=kind)
    except ValidationError as e:
        for problem in e.messages:
            messages.error(request, problem)
        return redirect("member-detail", pk=target.pk)
    return _export_response(data, kind=kind, filename=f"gegevens-lid-{target.pk}")


@cooperative_view(methods=GET_POST)
def my_data_leave(request: HttpRequest, member: Member) -> HttpResponse:
    me = selectors.member_reload(member=member)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.member_leave(member=me)
        except ValidationError as e:
            errors = e.messages
        else:
            logout(request)
            messages.success(request, _("U bent geen lid meer. Bedankt voor alles wat u deed."))
            return redirect("login")
    return render(
        request,
        "members/leave.html",
        {"member": me, "errors": errors},
        status=400 if errors else 200,
    )
