"""Joining pages: self-registration and the privacy statement (anyone), deciding on
applications and sending invitations (coordinators and the board), and accepting an
invitation through its one-time link (anyone holding the link)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cooperatives.joining import selectors, services
from cooperatives.joining.forms import (
    ApplicationForm,
    DeclineForm,
    InvitationAcceptForm,
    InvitationForm,
)
from cooperatives.joining.models import Application
from cooperatives.members.models import PRIVACY_STATEMENT_VERSION, Member
from cooperatives.members.selectors import member_for_user
from cooperatives.rules.selectors import rulebook_current
from shared.views import cooperative_view, form_add_errors, found_or_404

GET_POST = ("GET", "POST")


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _consent_context() -> dict[str, Any]:
    rulebook = rulebook_current()
    return {"disclaimer": rulebook.liability_disclaimer if rulebook else ""}


def _is_member(request: HttpRequest) -> bool:
    """A logged-in member of this cooperative has nothing to join (these pages are open to
    anyone, so no base view has looked the member up)."""
    user = request.user
    return user.is_authenticated and member_for_user(user) is not None


# --- anyone ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    if _is_member(request):
        return redirect("home")
    form = ApplicationForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            services.application_submit(**form.cleaned_data)
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            return redirect("join-done")
    return render(
        request,
        "joining/join.html",
        {"form": form, **_consent_context()},
        status=400 if form.errors else 200,
    )


def join_done(request: HttpRequest) -> HttpResponse:
    return render(request, "joining/join_done.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "joining/privacy.html", {"version": PRIVACY_STATEMENT_VERSION})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    if _is_member(request):
        return redirect("home")
    invitation = selectors.invitation_for_token(token=token)
    if invitation is None:
        # Unknown, used and expired links get the same answer: nothing to learn by guessing.
        return render(request, "joining/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(_posted(request), initial={"name": invitation.name})
    if form.is_bound and form.is_valid():
        try:
            member = services.invitation_accept(token=token, **form.cleaned_data)
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            # Several backends are configured (django-axes first): name the one that checks
            # passwords, as a fresh password was just set.
            login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welkom! U bent nu lid en ingelogd."))
            return redirect("home")
    return render(
        request,
        "joining/invitation_accept.html",
        {"form": form, "invitation": invitation, **_consent_context()},
        status=400 if form.errors else 200,
    )


# --- coordinators and the board ----------------------------------------------------------------


@cooperative_view("application.decide")
def application_list(request: HttpRequest, member: Member) -> HttpResponse:
    pending = selectors.application_list(status=Application.Status.PENDING).order_by(
        "created_at", "id"
    )
    decided = selectors.application_list().exclude(status=Application.Status.PENDING)
    return render(
        request,
        "joining/application_list.html",
        {"pending": pending, "page": Paginator(decided, 50).get_page(request.GET.get("pagina"))},
    )


@cooperative_view("application.decide", methods=GET_POST)
def application_detail(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    application = found_or_404(selectors.application_get(pk=pk))
    decision = request.POST.get("decision") if request.method == "POST" else None
    decline_form = DeclineForm(request.POST if decision == "decline" else None)
    problems: list[str] = []
    if decision in ("approve", "decline"):
        try:
            if decision == "approve":
                approved = services.application_approve(
                    actor=member,
                    application=application,
                )
                messages.success(
                    request, _("%(name)s is goedgekeurd en nu lid.") % {"name": approved.name}
                )
                return redirect("application-list")
            if decline_form.is_valid():
                services.application_decline(
                    actor=member,
                    application=application,
                    reason=decline_form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    _("De aanmelding van %(name)s is afgewezen.") % {"name": application.name},
                )
                return redirect("application-list")
        except ValidationError as e:
            # A missing reason belongs to the decline form; anything else (already decided)
            # goes above both forms, which are gone once the application is decided.
            for field, errors in e.message_dict.items():
                if field in decline_form.fields:
                    decline_form.add_error(field, errors)
                else:
                    problems.extend(errors)
        application.refresh_from_db()
    elif decision is not None:
        problems = [_("Kies goedkeuren of afwijzen.")]
    return render(
        request,
        "joining/application_detail.html",
        {
            "application": application,
            "decided_by": selectors.application_decider_name(application=application),
            "decline_form": decline_form,
            "problems": problems,
        },
        status=400 if problems or decline_form.errors else 200,
    )


@cooperative_view("invitation.send", methods=GET_POST)
def invitation_list(request: HttpRequest, member: Member) -> HttpResponse:
    form = InvitationForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            invitation, _token = services.invitation_send(
                actor=member,
                **form.cleaned_data,
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("De uitnodiging is verstuurd naar %(email)s.") % {"email": invitation.email},
            )
            return redirect("invitation-list")
    page = Paginator(selectors.invitation_list(), 50).get_page(request.GET.get("pagina"))
    rows = [(invitation, selectors.invitation_state(invitation=invitation)) for invitation in page]
    return render(
        request,
        "joining/invitation_list.html",
        {"form": form, "page": page, "rows": rows, "days": services.INVITATION_DAYS},
        status=400 if form.errors else 200,
    )
