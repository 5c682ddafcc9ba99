"""Pages of the cooperative's set-up: buurten, clusters and partners. Every member may read
them; the board (and for partners also coordinators) changes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cooperatives.setup import selectors, services
from cooperatives.setup.forms import (
    ClusterCreateForm,
    ClusterEditForm,
    NeighbourhoodForm,
    PartnerForm,
)
from shared import permissions


def _found(obj: Any) -> Any:
    if obj is None:
        raise Http404
    return obj


def _form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    template: str,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    message: Callable[[Any], str],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show the form; on a valid POST let the service save it (its Dutch messages land on the
    fields they are about) and go back to the list."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, message(saved))
            return redirect(done)
    return render(
        request,
        template,
        {"form": form, **(context or {})},
        status=400 if form.errors else 200,
    )


# --- buurten -----------------------------------------------------------------------------------


@permissions.require("neighbourhood.view")
def neighbourhood_list(request: HttpRequest) -> HttpResponse:
    member = permissions.current_member(request)
    return render(
        request,
        "setup/neighbourhood_list.html",
        {
            "neighbourhoods": selectors.neighbourhood_list(),
            "can_manage": permissions.can(member, "neighbourhood.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
@permissions.require("neighbourhood.manage")
def neighbourhood_create(request: HttpRequest) -> HttpResponse:
    actor = permissions.current_member(request)
    return _form_page(
        request,
        form=NeighbourhoodForm(request.POST or None),
        template="setup/neighbourhood_form.html",
        save=lambda data: services.neighbourhood_create(actor=actor, **data),
        done="neighbourhood-list",
        message=lambda n: _("De buurt %(name)s is aangemaakt.") % {"name": n.name},
    )


@require_http_methods(["GET", "POST"])
@permissions.require("neighbourhood.manage")
def neighbourhood_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = permissions.current_member(request)
    neighbourhood = _found(selectors.neighbourhood_get(pk=pk))
    initial = {
        "name": neighbourhood.name,
        "network_name": neighbourhood.network_name,
        "contact": neighbourhood.contact,
        "postcodes": ", ".join(neighbourhood.postcodes),
        "streets": ", ".join(neighbourhood.streets),
        "assistants": [m.pk for m in neighbourhood.assistants.all()],
    }
    return _form_page(
        request,
        form=NeighbourhoodForm(request.POST or None, initial=initial),
        template="setup/neighbourhood_form.html",
        save=lambda data: services.neighbourhood_update(
            actor=actor, neighbourhood=neighbourhood, **data
        ),
        done="neighbourhood-list",
        message=lambda n: _("De buurt %(name)s is opgeslagen.") % {"name": n.name},
        context={"neighbourhood": neighbourhood},
    )


# --- clusters ----------------------------------------------------------------------------------


@permissions.require("cluster.view")
def cluster_list(request: HttpRequest) -> HttpResponse:
    member = permissions.current_member(request)
    rulebook = selectors.rulebook_current()
    return render(
        request,
        "setup/cluster_list.html",
        {
            "rows": selectors.cluster_rows(rulebook=rulebook),
            "rulebook": rulebook,
            "can_manage": permissions.can(member, "cluster.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
@permissions.require("cluster.manage")
def cluster_create(request: HttpRequest) -> HttpResponse:
    actor = permissions.current_member(request)
    return _form_page(
        request,
        form=ClusterCreateForm(request.POST or None),
        template="setup/cluster_form.html",
        save=lambda data: services.cluster_create(actor=actor, **data),
        done="cluster-list",
        message=lambda c: (
            _("Het cluster %(name)s is aangemaakt; de spelregels hebben een nieuwe versie.")
            % {"name": c.name}
        ),
    )


@require_http_methods(["GET", "POST"])
@permissions.require("cluster.manage")
def cluster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = permissions.current_member(request)
    cluster = _found(selectors.cluster_get(pk=pk))
    return _form_page(
        request,
        form=ClusterEditForm(
            request.POST or None,
            initial={"name": cluster.name, "description": cluster.description},
        ),
        template="setup/cluster_form.html",
        save=lambda data: services.cluster_update(actor=actor, cluster=cluster, **data),
        done="cluster-list",
        message=lambda c: _("Het cluster %(name)s is opgeslagen.") % {"name": c.name},
        context={"cluster": cluster},
    )


@require_http_methods(["GET", "POST"])
@permissions.require("cluster.manage")
def cluster_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then retire an active cluster or bring a retired one back. The form says
    which state it asks for, so sending it twice cannot undo the first time."""
    cluster = _found(selectors.cluster_get(pk=pk))
    error = ""
    if request.method == "POST":
        wanted = {"1": True, "0": False}.get(request.POST.get("active", ""))
        try:
            if wanted is None:
                raise ValidationError(_("Kies of het cluster in of buiten gebruik gaat."))
            services.cluster_set_active(
                actor=permissions.current_member(request), cluster=cluster, active=wanted
            )
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            if wanted:
                done = _("Het cluster %(name)s is weer in gebruik.")
            else:
                done = _("Het cluster %(name)s is buiten gebruik gesteld.")
            messages.success(request, done % {"name": cluster.name})
            return redirect("cluster-list")
    return render(
        request,
        "setup/cluster_status.html",
        {"cluster": cluster, "error": error},
        status=400 if error else 200,
    )


# --- partners ----------------------------------------------------------------------------------


@permissions.require("partner.view")
def partner_list(request: HttpRequest) -> HttpResponse:
    member = permissions.current_member(request)
    return render(
        request,
        "setup/partner_list.html",
        {
            "rows": selectors.partner_rows(rulebook=selectors.rulebook_current()),
            "can_manage": permissions.can(member, "partner.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
@permissions.require("partner.manage")
def partner_create(request: HttpRequest) -> HttpResponse:
    actor = permissions.current_member(request)
    return _form_page(
        request,
        form=PartnerForm(request.POST or None),
        template="setup/partner_form.html",
        save=lambda data: services.partner_save(actor=actor, **data),
        done="partner-list",
        message=lambda p: _("De partner %(name)s is toegevoegd.") % {"name": p.name},
    )


@require_http_methods(["GET", "POST"])
@permissions.require("partner.manage")
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = permissions.current_member(request)
    partner = _found(selectors.partner_get(pk=pk))
    # The rate partner_save compares with: the newest version's, also if it starts later.
    rate = selectors.partner_rate(rulebook=selectors.rulebook_latest(), partner=partner)
    initial = {
        **{f: getattr(partner, f) for f in services.PARTNER_FIELDS},
        "social_rate": (rate or "").replace(".", ","),
    }
    return _form_page(
        request,
        form=PartnerForm(request.POST or None, initial=initial),
        template="setup/partner_form.html",
        save=lambda data: services.partner_save(actor=actor, partner=partner, **data),
        done="partner-list",
        message=lambda p: _("De partner %(name)s is opgeslagen.") % {"name": p.name},
        context={"partner": partner},
    )
