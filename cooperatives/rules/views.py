"""The house rules and rates: read by every member, changed by the board through a preview of
what changes, and only saved when the board confirms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cooperatives.rules import services
from cooperatives.rules.forms import RulebookForm
from cooperatives.rules.models import Rulebook
from cooperatives.setup.selectors import rulebook_history
from shared import permissions


def _context(request: HttpRequest, rulebook: Rulebook | None) -> dict[str, Any]:
    current, latest = services.rulebook_current(), services.rulebook_latest()
    return {
        "rulebook": rulebook,
        "current": current,
        # A newer version that is decided but not yet in force.
        "scheduled": latest if latest and latest != current else None,
        "clusters": services.rulebook_clusters(rulebook) if rulebook else [],
        "partners": services.rulebook_partners(rulebook) if rulebook else [],
        "today": timezone.localdate(),
        "can_edit": permissions.can(permissions.current_member(request), "rulebook.edit"),
    }


@permissions.require("rulebook.view")
def rulebook(request: HttpRequest) -> HttpResponse:
    """The version in force today."""
    return render(
        request,
        "rules/rulebook.html",
        _context(request, services.rulebook_current()),
    )


@permissions.require("rulebook.view")
def rulebook_version(request: HttpRequest, version: int) -> HttpResponse:
    """Any version as it was adopted: versions are never changed afterwards."""
    return render(
        request,
        "rules/rulebook.html",
        _context(request, get_object_or_404(rulebook_history(), version=version)),
    )


@permissions.require("rulebook.view")
def rulebook_versions(request: HttpRequest) -> HttpResponse:
    current = services.rulebook_current()
    return render(
        request,
        "rules/history.html",
        {
            "page": Paginator(rulebook_history(), 50).get_page(request.GET.get("pagina")),
            "current": current,
            "today": timezone.localdate(),
        },
    )


def _confirm(
    request: HttpRequest, form: RulebookForm, arguments: dict, based_on: int | None
) -> HttpResponse:
    revised = services.rulebook_revise(
        actor=permissions.current_member(request),
        adopted_by=form.cleaned_data["adopted_by"],
        based_on=based_on,
        **arguments,
    )
    messages.success(
        request, _("Versie %(v)s van de spelregels is vastgesteld.") % {"v": revised.version}
    )
    return redirect("rulebook-version", version=revised.version)


def _preview(
    request: HttpRequest,
    form: RulebookForm,
    latest: Rulebook | None,
    arguments: dict,
    *,
    overtaken: bool = False,
) -> HttpResponse:
    rows = services.rulebook_diff_readable(services.rulebook_preview(**arguments))
    current = services.rulebook_current()
    return render(
        request,
        "rules/preview.html",
        {
            "form": form,
            "rows": rows,
            "current": current,
            "scheduled": latest if latest and latest != current else None,
            "based_on": latest.version if latest else 0,
            "next_version": (latest.version + 1) if latest else 1,
            "overtaken": overtaken,
            "effective_from": arguments["effective_from"],
            "adopted_by": form.cleaned_data["adopted_by"],
        },
    )


@permissions.require("rulebook.edit")
@require_http_methods(["GET", "POST"])
def rulebook_edit(request: HttpRequest) -> HttpResponse:
    """Form → preview of the changes → confirm. The preview page sends the same data back
    with confirm=1 (save) or back=1 (change it again); nothing is saved before the confirm."""
    latest = services.rulebook_latest()
    form = RulebookForm(request.POST or None, base=latest)
    if request.method == "POST" and "back" not in request.POST and form.is_valid():
        arguments = {
            "changes": form.changes(),
            "effective_from": form.cleaned_data["effective_from"],
        }
        # The version the board saw in the preview; another one may have been made since.
        based_on = request.POST.get("based_on", "")
        seen = int(based_on) if based_on.isdigit() else None
        overtaken = seen is not None and seen != (latest.version if latest else 0)
        try:
            if request.POST.get("confirm") == "1" and not overtaken:
                return _confirm(request, form, arguments, seen)
            return _preview(request, form, latest, arguments, overtaken=overtaken)
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(
        request,
        "rules/edit.html",
        {"form": form, "latest": latest},
        status=400 if form.errors else 200,
    )
