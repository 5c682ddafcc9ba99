"""The decisions register (besluitenlijst) for every member, with what each decision put into
effect; the secretary records decisions by hand and corrections; minutes from draft to
approved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.decisions import selectors, services
from cooperatives.decisions.forms import DecisionForm, MinutesApproveForm, MinutesForm
from cooperatives.governance import services as governance
from cooperatives.governance.models import Minutes
from cooperatives.governance.selectors import bodies_list
from cooperatives.members.models import Member
from shared import permissions
from shared.views import cooperative_view, form_add_errors, found_or_404


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@cooperative_view("governance.view")
def decision_list(request: HttpRequest, member: Member) -> HttpResponse:
    """Every decision of every body, newest first; filter by year and body."""
    years = selectors.register_years()
    year = _int(request.GET.get("jaar"))
    bodies = list(bodies_list())
    body_id = _int(request.GET.get("orgaan"))
    body = next((b for b in bodies if b.pk == body_id), None)
    decisions = selectors.register_list(year=year, body=body)
    return render(
        request,
        "decisions/list.html",
        {
            "page": Paginator(decisions, 50).get_page(request.GET.get("pagina")),
            "years": years,
            "year": year,
            "bodies": bodies,
            "body": body,
            "can_record": permissions.can(member, "decision.record"),
        },
    )


@cooperative_view("governance.view")
def decision_detail(request: HttpRequest, number: str, member: Member) -> HttpResponse:
    decision = found_or_404(selectors.decision_get_by_number(number=number))
    return render(
        request,
        "decisions/detail.html",
        {
            "decision": decision,
            "rulebooks": selectors.decision_rulebook_changes(decision=decision),
            "corrections": decision.corrections.select_related("body").order_by("sequence"),
            "can_record": permissions.can(member, "decision.record"),
        },
    )


def _decision_form_page(
    request: HttpRequest,
    member: Member,
    *,
    corrects: Any = None,
) -> HttpResponse:
    initial: dict[str, Any] = {"decided_on": timezone.localdate()}
    if corrects is not None:
        initial.update(
            body=corrects.body,
            kind=corrects.kind,
            title=_("Correctie op besluit %(n)s: %(t)s")
            % {"n": corrects.number, "t": corrects.title},
            text=corrects.text,
        )
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        arguments = form.record_arguments()
        try:
            if corrects is not None:
                arguments.pop("body")
                arguments.pop("kind")
                decision = services.decision_correct(actor=member, corrects=corrects, **arguments)
            else:
                decision = governance.decision_record(actor=member, **arguments)
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("Besluit %(n)s staat in de besluitenlijst.") % {"n": decision.number},
            )
            return redirect("decision-detail", number=decision.number)
    return render(
        request,
        "decisions/form.html",
        {"form": form, "corrects": corrects},
        status=400 if form.errors else 200,
    )


@cooperative_view("decision.record", methods=("GET", "POST"))
def decision_create(request: HttpRequest, member: Member) -> HttpResponse:
    """A decision entered by hand: a board decision outside a meeting, or one of a meeting
    whose results were not recorded live."""
    return _decision_form_page(request, member)


@cooperative_view("decision.record", methods=("GET", "POST"))
def decision_correct(request: HttpRequest, number: str, member: Member) -> HttpResponse:
    """A correction is a new decision that names the one it corrects."""
    corrects = found_or_404(selectors.decision_get_by_number(number=number))
    return _decision_form_page(request, member, corrects=corrects)


# --- minutes -------------------------------------------------------------------------------------


@cooperative_view("governance.view")
def minutes_list(request: HttpRequest, member: Member) -> HttpResponse:
    can_manage = permissions.can(member, "minutes.manage")
    return render(
        request,
        "decisions/minutes_list.html",
        {
            "minutes_list": selectors.minutes_for_reader(can_manage=can_manage),
            "can_manage": can_manage,
        },
    )


def _minutes_readable(member: Member, pk: int) -> tuple[Minutes, bool]:
    can_manage = permissions.can(member, "minutes.manage")
    minutes = found_or_404(selectors.minutes_get(pk=pk))
    if minutes.status != Minutes.Status.APPROVED and not can_manage:
        found_or_404(None)  # members read approved minutes only
    return minutes, can_manage


@cooperative_view("governance.view")
def minutes_detail(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    minutes, can_manage = _minutes_readable(member, pk)
    return render(
        request,
        "decisions/minutes_detail.html",
        {
            "minutes": minutes,
            "decisions": minutes.decisions.select_related("body").order_by("sequence"),
            "can_manage": can_manage,
            "approve_form": (
                MinutesApproveForm(
                    candidates=selectors.minutes_approval_candidates(minutes=minutes),
                    initial={"decided_on": timezone.localdate()},
                )
                if can_manage and minutes.status == Minutes.Status.SENT
                else None
            ),
        },
    )


def _minutes_form_page(
    request: HttpRequest, member: Member, minutes: Minutes | None
) -> HttpResponse:
    initial = (
        {"body": minutes.body, "held_on": minutes.held_on, "text": minutes.text}
        if minutes
        else {"held_on": timezone.localdate()}
    )
    form = MinutesForm(request.POST or None, initial=initial)
    if minutes is not None and minutes.status == Minutes.Status.APPROVED:
        form.add_error(None, _("Deze notulen zijn vastgesteld en veranderen niet meer."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = governance.minutes_save(
                actor=member,
                body=data["body"] if minutes is None else minutes.body,
                held_on=data["held_on"],
                text=data["text"],
                minutes=minutes,
            )
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(request, _("De notulen zijn opgeslagen."))
            return redirect("minutes-detail", pk=saved.pk)
    return render(
        request,
        "decisions/minutes_form.html",
        {"form": form, "minutes": minutes},
        status=400 if form.errors else 200,
    )


@cooperative_view("minutes.manage", methods=("GET", "POST"))
def minutes_create(request: HttpRequest, member: Member) -> HttpResponse:
    return _minutes_form_page(request, member, None)


@cooperative_view("minutes.manage", methods=("GET", "POST"))
def minutes_edit(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _minutes_form_page(request, member, found_or_404(selectors.minutes_get(pk=pk)))


@cooperative_view("minutes.manage", methods=("POST",))
def minutes_send_view(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    minutes = found_or_404(selectors.minutes_get(pk=pk))
    governance.minutes_send(actor=member, minutes=minutes)
    messages.success(
        request,
        _(
            "De notulen staan als verstuurd: ze gaan mee met de oproep voor de volgende "
            "vergadering."
        ),
    )
    return redirect("minutes-detail", pk=minutes.pk)


@cooperative_view("minutes.manage", methods=("POST",))
def minutes_approve_view(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    minutes = found_or_404(selectors.minutes_get(pk=pk))
    form = MinutesApproveForm(
        request.POST, candidates=selectors.minutes_approval_candidates(minutes=minutes)
    )
    if form.is_valid():
        try:
            services.minutes_approve_by_decision(actor=member, minutes=minutes, **form.adopting())
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("De notulen zijn vastgesteld. De besluiten erin veranderen niet meer."),
            )
            return redirect("minutes-detail", pk=minutes.pk)
    return render(
        request,
        "decisions/minutes_detail.html",
        {
            "minutes": minutes,
            "decisions": minutes.decisions.select_related("body").order_by("sequence"),
            "can_manage": True,
            "approve_form": form,
        },
        status=400,
    )
