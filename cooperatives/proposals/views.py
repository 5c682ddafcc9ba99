"""Project proposals and projects: the list with a filter by state, the form to submit one,
the proposal's page (supporters, history, the support button and, for the board, how to handle
it), and the project's page (its group, updates and spending)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperatives.members.models import Member
from cooperatives.proposals import selectors, services
from cooperatives.proposals.forms import (
    ProjectMemberForm,
    ProjectSpendingForm,
    ProjectUpdateForm,
    ProposalFilterForm,
    ProposalForm,
    ProposalHandleForm,
)
from cooperatives.proposals.models import Project, Proposal
from shared import permissions
from shared.views import cooperative_view, form_add_errors, found_or_404


@cooperative_view("proposal.view")
def proposal_list(request: HttpRequest, member: Member) -> HttpResponse:
    form = ProposalFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    proposals = selectors.proposals_list(viewer=member, status=status)
    return render(
        request,
        "proposals/proposal_list.html",
        {
            "form": form,
            "page": Paginator(proposals, 25).get_page(request.GET.get("pagina")),
            "can_handle": permissions.can(member, "proposal.handle"),
        },
    )


@cooperative_view("proposal.submit", methods=("GET", "POST"))
def proposal_create(request: HttpRequest, member: Member) -> HttpResponse:
    for_partner = permissions.can(member, "proposal.submit_for_partner")
    form = ProposalForm(request.POST or None, for_partner=for_partner)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(actor=member, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                _("Uw voorstel is ontvangen. U krijgt bericht bij elke stap van het bestuur."),
            )
            return redirect("proposal-detail", pk=proposal.pk)
    return render(
        request, "proposals/proposal_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _detail_context(member: Member, proposal: Proposal, **extra: Any) -> dict[str, Any]:
    can_handle = permissions.can(member, "proposal.handle")
    return {
        "proposal": proposal,
        "history": selectors.proposal_history(proposal=proposal),
        "can_support": permissions.can(member, "proposal.support") and proposal.is_open,
        "can_handle": can_handle and bool(Proposal.NEXT[proposal.status]),
        "project": getattr(proposal, "project", None),
        **extra,
    }


@cooperative_view("proposal.view")
def proposal_detail(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    proposal = found_or_404(selectors.proposal_get(viewer=member, pk=pk))
    return render(request, "proposals/proposal_detail.html", _detail_context(member, proposal))


@cooperative_view("proposal.support", methods=("POST",))
def proposal_support(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    proposal = found_or_404(selectors.proposal_get(viewer=member, pk=pk))
    try:
        if request.POST.get("withdraw") == "1":
            services.proposal_support_withdraw(actor=member, proposal=proposal)
            messages.success(request, _("Uw steun is ingetrokken."))
        else:
            services.proposal_support(actor=member, proposal=proposal)
            messages.success(request, _("U steunt dit voorstel."))
    except ValidationError as error:
        proposal = found_or_404(selectors.proposal_get(viewer=member, pk=pk))
        context = _detail_context(member, proposal, support_error=" ".join(error.messages))
        return render(request, "proposals/proposal_detail.html", context, status=400)
    return redirect("proposal-detail", pk=pk)


@cooperative_view("proposal.handle", methods=("GET", "POST"))
def proposal_handle(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    proposal = found_or_404(selectors.proposal_get(viewer=member, pk=pk))
    if not Proposal.NEXT[proposal.status]:
        messages.info(request, _("Over dit voorstel is al besloten."))
        return redirect("proposal-detail", pk=pk)
    form = ProposalHandleForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_handle(
                actor=member, proposal=proposal, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                _("Het voorstel staat nu op “%(status)s”. De indiener krijgt bericht.")
                % {"status": proposal.get_status_display()},
            )
            return redirect("proposal-detail", pk=pk)
    return render(
        request,
        "proposals/proposal_handle.html",
        {"form": form, "proposal": proposal},
        status=400 if form.errors else 200,
    )


# --- projects ------------------------------------------------------------------------------------


@cooperative_view("project.view")
def project_list(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "proposals/project_list.html",
        {"page": Paginator(selectors.projects_list(), 25).get_page(request.GET.get("pagina"))},
    )


def _project_page(
    request: HttpRequest, member: Member, project: Project, status: int = 200, **forms: Any
) -> HttpResponse:
    can_manage = permissions.can(member, "project.manage")
    spending = selectors.project_spending(project=project)
    spent = sum((line.amount for line in spending), selectors.ZERO)
    context = {
        "project": project,
        "group": selectors.project_group(project=project),
        "updates": selectors.project_updates(project=project),
        "spending": spending,
        "spent": spent,
        "remaining": (project.budget - spent) if project.budget is not None else None,
        "can_post": selectors.project_member_can_post(member=member, project=project),
        "can_manage": can_manage,
        "update_form": forms.get("update_form") or ProjectUpdateForm(),
        "spending_form": forms.get("spending_form") or ProjectSpendingForm(),
        "member_form": forms.get("member_form") or ProjectMemberForm(),
    }
    return render(request, "proposals/project_detail.html", context, status=status)


@cooperative_view("project.view")
def project_detail(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _project_page(request, member, found_or_404(selectors.project_get(pk=pk)))


def _project_form_post(
    request: HttpRequest,
    member: Member,
    pk: int,
    *,
    form_class: Any,
    write: Any,
    done: str,
    form_key: str,
) -> HttpResponse:
    """One form on the project page: the service writes, the page comes back with the form's
    errors (400) or the member goes back to the project with ``done``."""
    project = found_or_404(selectors.project_get(pk=pk))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(actor=member, project=project, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("project-detail", pk=pk)
    return _project_page(request, member, project, status=400, **{form_key: form})


@cooperative_view("project.post", methods=("POST",))
def project_update_create(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _project_form_post(
        request,
        member,
        pk,
        form_class=ProjectUpdateForm,
        write=services.project_update_post,
        done=_("Uw bericht staat bij het project."),
        form_key="update_form",
    )


@cooperative_view("project.manage", methods=("POST",))
def project_spending_create(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _project_form_post(
        request,
        member,
        pk,
        form_class=ProjectSpendingForm,
        write=services.project_spending_add,
        done=_("De uitgave is geboekt."),
        form_key="spending_form",
    )


@cooperative_view("project.manage", methods=("POST",))
def project_member_create(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    return _project_form_post(
        request,
        member,
        pk,
        form_class=ProjectMemberForm,
        write=services.project_member_add,
        done=_("Het lid zit nu in de projectgroep."),
        form_key="member_form",
    )


@cooperative_view("project.manage", methods=("POST",))
def project_finish(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    project = found_or_404(selectors.project_get(pk=pk))
    try:
        services.project_finish(actor=member, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Het project is afgerond."))
    return redirect("project-detail", pk=pk)
