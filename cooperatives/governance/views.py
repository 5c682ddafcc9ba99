"""The governance pages: every member sees the bodies, who sits where and the statutes; the
board fills and ends seats, starts project groups and keeps the statutes' settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.governance import selectors, services
from cooperatives.governance.forms import (
    ProjectGroupForm,
    SeatAssignForm,
    SeatEndForm,
    StatutesForm,
)
from cooperatives.governance.models import Body, Statutes
from cooperatives.members.models import Member
from shared import permissions
from shared.views import cooperative_view, form_add_errors, found_or_404

GET_POST = ("GET", "POST")


def _render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    status = 400 if context["form"].errors else 200
    return render(request, f"governance/{template}", context, status=status)


@cooperative_view("governance.view")
def bodies(request: HttpRequest, member: Member) -> HttpResponse:
    """Every body with who sits in it today."""
    return render(
        request,
        "governance/bodies.html",
        {
            "overview": selectors.bodies_overview(),
            "can_manage": permissions.can(member, "seat.manage"),
            "alv": Body.Kind.ALV,
        },
    )


@cooperative_view("governance.view")
def body_history(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """Everyone who ever held a seat in the body, newest term first."""
    body = found_or_404(selectors.body_get(pk=pk))
    return render(
        request,
        "governance/history.html",
        {
            "body": body,
            "seats": selectors.body_history(body=body),
            "today": timezone.localdate(),
            "can_manage": permissions.can(member, "seat.manage"),
        },
    )


@cooperative_view("seat.manage", methods=GET_POST)
def seat_assign(request: HttpRequest, member: Member) -> HttpResponse:
    chosen = request.GET.get("orgaan", "")
    initial: dict[str, Any] = {"start": timezone.localdate()}
    if chosen.isdigit():
        initial["body"] = int(chosen)
    form = SeatAssignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = services.seat_assign(
                actor=member,
                body=data["body"],
                member=data["member"],
                position=data["position"],
                start=data["start"],
                end=data["end"],
                decision=data["decision"],
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s heeft een zetel in %(body)s.")
                % {"name": seat.member.name, "body": seat.body.name},
            )
            return redirect("governance-bodies")
    return _render_form(request, "seat_assign.html", {"form": form})


@cooperative_view("seat.manage", methods=GET_POST)
def seat_end(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    seat = found_or_404(selectors.seat_get(pk=pk))
    form = SeatEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_end(actor=member, seat=seat, end=form.cleaned_data["end"])
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("De termijn van %(name)s in %(body)s is beëindigd.")
                % {"name": seat.member.name, "body": seat.body.name},
            )
            return redirect("governance-bodies")
    return _render_form(request, "seat_end.html", {"form": form, "seat": seat})


@cooperative_view("seat.manage", methods=GET_POST)
def project_group_create(request: HttpRequest, member: Member) -> HttpResponse:
    form = ProjectGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create_project_group(actor=member, name=form.cleaned_data["name"])
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("De projectgroep %(name)s is opgericht. Geef de leden nu een zetel.")
                % {"name": body.name},
            )
            return redirect(f"{reverse('governance-seat-assign')}?orgaan={body.pk}")
    return _render_form(request, "project_group.html", {"form": form})


def _statutes_context(statutes: Statutes) -> dict[str, Any]:
    return {
        "statutes": statutes,
        "qualified": f"{statutes.qualified_numerator}/{statutes.qualified_denominator}",
    }


@cooperative_view("governance.view")
def statutes(request: HttpRequest, member: Member) -> HttpResponse:
    current = selectors.statutes_current()
    return render(
        request,
        "governance/statutes.html",
        {**_statutes_context(current), "can_edit": permissions.can(member, "statutes.edit")},
    )


@cooperative_view("statutes.edit", methods=GET_POST)
def statutes_edit(request: HttpRequest, member: Member) -> HttpResponse:
    current = selectors.statutes_current()
    form = StatutesForm(request.POST or None, statutes=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.statutes_update(actor=member, changes=form.changes())
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(request, _("De instellingen van de statuten zijn opgeslagen."))
            return redirect("governance-statutes")
    return _render_form(request, "statutes_edit.html", {"form": form})
