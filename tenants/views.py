"""Pages of the public site (the apex domain), and the link that confirms a new cooperative's
founder's email address (on the cooperative's own host)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shared.client_address import client_address
from shared.tenancy.urls import cooperative_url
from shared.views import form_add_errors, found_or_404
from tenants import rules_templates, selectors, services
from tenants.forms import CooperativeSearchForm, SignUpForm


def landing(request: HttpRequest) -> HttpResponse:
    """The apex's front page. First: "Bij welke coöperatie bent u lid?", a plain GET search
    (no JavaScript) whose results link to each cooperative's own subdomain; then sign-up for
    founders and, apart, the login for network administrators."""
    search = CooperativeSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    results = [
        (cooperative, cooperative_url(slug=cooperative.slug))
        for cooperative in selectors.cooperative_search(query=query)
    ]
    return render(
        request,
        "tenants/landing.html",
        {
            "templates": rules_templates.TEMPLATES,
            "search": search,
            "query": query,
            "results": results,
        },
    )


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_up_admit(client=client_address(request))
            result = services.cooperative_sign_up(**form.cleaned_data)
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            request.session["signed_up"] = result.cooperative.slug
            return redirect("sign-up-done", slug=result.cooperative.slug)
    return render(
        request,
        "tenants/sign_up.html",
        {"form": form, "templates": rules_templates.TEMPLATES},
        status=400 if form.errors else 200,
    )


def sign_up_done(request: HttpRequest, slug: str) -> HttpResponse:
    # Only the browser that signed up sees this page (no probing of other cooperatives).
    if request.session.get("signed_up") != slug:
        return redirect("landing")
    cooperative = found_or_404(selectors.cooperative_get(slug=slug))
    return render(
        request,
        "tenants/sign_up_done.html",
        {
            "new_cooperative": cooperative,
            "login_url": cooperative_url(slug=slug, path="/inloggen/"),
            "site_url": cooperative_url(slug=slug),
        },
    )


def founder_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the welcome mail, on the new cooperative's own host: its founder's address
    works. No login needed: the signed token is the proof (only this cooperative's counts)."""
    cooperative = request.tenant  # type: ignore[attr-defined]
    try:
        services.cooperative_founder_confirm(cooperative=cooperative, token=token)
    except ValidationError as error:
        refusal = " ".join(error.messages)
        return render(
            request,
            "tenants/founder_confirm.html",
            {"confirmed": False, "refusal": refusal, "cooperative": cooperative},
            status=400,
        )
    return render(
        request, "tenants/founder_confirm.html", {"confirmed": True, "cooperative": cooperative}
    )
