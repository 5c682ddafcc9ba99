"""Pages of the cooperative's set-up: buurten, clusters and partners. Every member may read
them; the board (and for partners also coordinators) changes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperatives.members.models import Member
from cooperatives.rules.selectors import rulebook_current, rulebook_latest
from cooperatives.setup import selectors, services
from cooperatives.setup.forms import (
    ClusterCreateForm,
    ClusterEditForm,
    CooperativeDetailsForm,
    NeighbourhoodForm,
    PartnerForm,
)
from shared import permissions
from shared.tenancy.current import current_cooperative
from shared.tenancy.urls import cooperative_url
from shared.views import cooperative_view, form_add_errors, found_or_404


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
            form_add_errors(form, e)
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


@cooperative_view("neighbourhood.view")
def neighbourhood_list(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "setup/neighbourhood_list.html",
        {
            "neighbourhoods": selectors.neighbourhood_list(),
            "can_manage": permissions.can(member, "neighbourhood.manage"),
        },
    )


@cooperative_view("neighbourhood.manage", methods=("GET", "POST"))
def neighbourhood_create(request: HttpRequest, member: Member) -> HttpResponse:
    return _form_page(
        request,
        form=NeighbourhoodForm(request.POST or None),
        template="setup/neighbourhood_form.html",
        save=lambda data: services.neighbourhood_create(actor=member, **data),
        done="neighbourhood-list",
        message=lambda n: _("De buurt %(name)s is aangemaakt.") % {"name": n.name},
    )


@cooperative_view("neighbourhood.manage", methods=("GET", "POST"))
def neighbourhood_edit(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    neighbourhood = found_or_404(selectors.neighbourhood_get(pk=pk))
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
            actor=member, neighbourhood=neighbourhood, **data
        ),
        done="neighbourhood-list",
        message=lambda n: _("De buurt %(name)s is opgeslagen.") % {"name": n.name},
        context={"neighbourhood": neighbourhood},
    )


# --- clusters ----------------------------------------------------------------------------------


@cooperative_view("cluster.view")
def cluster_list(request: HttpRequest, member: Member) -> HttpResponse:
    rulebook = rulebook_current()
    return render(
        request,
        "setup/cluster_list.html",
        {
            "rows": selectors.cluster_rows(rulebook=rulebook),
            "rulebook": rulebook,
            "can_manage": permissions.can(member, "cluster.manage"),
        },
    )


@cooperative_view("cluster.manage", methods=("GET", "POST"))
def cluster_create(request: HttpRequest, member: Member) -> HttpResponse:
    return _form_page(
        request,
        form=ClusterCreateForm(request.POST or None),
        template="setup/cluster_form.html",
        save=lambda data: services.cluster_create(actor=member, **data),
        done="cluster-list",
        message=lambda c: (
            _("Het cluster %(name)s is aangemaakt; de spelregels hebben een nieuwe versie.")
            % {"name": c.name}
        ),
    )


@cooperative_view("cluster.manage", methods=("GET", "POST"))
def cluster_edit(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    cluster = found_or_404(selectors.cluster_get(pk=pk))
    return _form_page(
        request,
        form=ClusterEditForm(
            request.POST or None,
            initial={
                "name": cluster.name,
                "description": cluster.description,
                "holds_care": cluster.holds_care,
            },
        ),
        template="setup/cluster_form.html",
        save=lambda data: services.cluster_update(actor=member, cluster=cluster, **data),
        done="cluster-list",
        message=lambda c: _("Het cluster %(name)s is opgeslagen.") % {"name": c.name},
        context={"cluster": cluster},
    )


@cooperative_view("cluster.manage", methods=("GET", "POST"))
def cluster_retire(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    """Confirm, then retire an active cluster or bring a retired one back. The form says
    which state it asks for, so sending it twice cannot undo the first time."""
    cluster = found_or_404(selectors.cluster_get(pk=pk))
    error = ""
    if request.method == "POST":
        wanted = {"1": True, "0": False}.get(request.POST.get("active", ""))
        try:
            if wanted is None:
                raise ValidationError(_("Kies of het cluster in of buiten gebruik gaat."))
            services.cluster_set_active(actor=member, cluster=cluster, active=wanted)
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


@cooperative_view("partner.view")
def partner_list(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "setup/partner_list.html",
        {
            "rows": selectors.partner_rows(rulebook=rulebook_current()),
            "can_manage": permissions.can(member, "partner.manage"),
        },
    )


@cooperative_view("partner.manage", methods=("GET", "POST"))
def partner_create(request: HttpRequest, member: Member) -> HttpResponse:
    return _form_page(
        request,
        form=PartnerForm(request.POST or None),
        template="setup/partner_form.html",
        save=lambda data: services.partner_save(actor=member, **data),
        done="partner-list",
        message=lambda p: _("De partner %(name)s is toegevoegd.") % {"name": p.name},
    )


@cooperative_view("partner.manage", methods=("GET", "POST"))
def partner_edit(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    partner = found_or_404(selectors.partner_get(pk=pk))
    # The rate partner_save compares with: the newest version's, also if it starts later.
    rate = selectors.partner_rate(rulebook=rulebook_latest(), partner=partner)
    initial = {
        **{f: getattr(partner, f) for f in services.PARTNER_FIELDS},
        "social_rate": (rate or "").replace(".", ","),
    }
    return _form_page(
        request,
        form=PartnerForm(request.POST or None, initial=initial),
        template="setup/partner_form.html",
        save=lambda data: services.partner_save(actor=member, partner=partner, **data),
        done="partner-list",
        message=lambda p: _("De partner %(name)s is opgeslagen.") % {"name": p.name},
        context={"partner": partner},
    )


# --- the cooperative's own details -------------------------------------------------------------


@cooperative_view("cooperative.manage", methods=("GET", "POST"))
def cooperative_details(request: HttpRequest, member: Member) -> HttpResponse:
    """The board sets the contact address for replies to emails, and the place and postcode
    areas by which people find the cooperative from the platform's front page."""
    cooperative = current_cooperative()
    initial = {
        "contact_email": cooperative.contact_email,
        "place": cooperative.place,
        "postcode_areas": ", ".join(cooperative.postcode_areas),
    }
    return _form_page(
        request,
        form=CooperativeDetailsForm(request.POST or None, initial=initial),
        template="setup/cooperative_details.html",
        save=lambda data: services.cooperative_details_update(actor=member, **data),
        done="cooperative-details",
        message=lambda _saved: _("De gegevens van de coöperatie zijn opgeslagen."),
        context={"site_url": cooperative_url(slug=cooperative.slug)},
    )
