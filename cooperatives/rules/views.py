"""The house rules and rates: read by every member, changed by the board through a preview of
what changes, and only saved when the board confirms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.governance.selectors import body_deciding
from cooperatives.members.models import Member
from cooperatives.rules import selectors, services
from cooperatives.rules.forms import RulebookForm
from cooperatives.rules.models import Rulebook
from shared import permissions
from shared.views import cooperative_view, form_add_errors, found_or_404


def _context(member: Member, rulebook: Rulebook | None) -> dict[str, Any]:
    current, latest = selectors.rulebook_current(), selectors.rulebook_latest()
    return {
        "rulebook": rulebook,
        "current": current,
        # A newer version that is decided but not yet in force.
        "scheduled": latest if latest and latest != current else None,
        "clusters": selectors.rulebook_clusters(rulebook=rulebook) if rulebook else [],
        "partners": selectors.rulebook_partners(rulebook=rulebook) if rulebook else [],
        "today": timezone.localdate(),
        "can_edit": permissions.can(member, "rulebook.edit"),
    }


@cooperative_view("rulebook.view")
def rulebook(request: HttpRequest, member: Member) -> HttpResponse:
    """The version in force today."""
    return render(request, "rules/rulebook.html", _context(member, selectors.rulebook_current()))


@cooperative_view("rulebook.view")
def rulebook_version(request: HttpRequest, version: int, member: Member) -> HttpResponse:
    """Any version as it was adopted: versions are never changed afterwards."""
    found = found_or_404(selectors.rulebook_get(version=version))
    return render(request, "rules/rulebook.html", _context(member, found))


@cooperative_view("rulebook.view")
def rulebook_versions(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "rules/history.html",
        {
            "page": Paginator(selectors.rulebook_history(), 50).get_page(request.GET.get("pagina")),
            "current": selectors.rulebook_current(),
            "today": timezone.localdate(),
        },
    )


def _confirm(
    request: HttpRequest,
    member: Member,
    form: RulebookForm,
    arguments: dict[str, Any],
    based_on: int | None,
) -> HttpResponse:
    revised = services.rulebook_adopt(
        actor=member,
        changes=arguments["changes"],
        effective_from=arguments["effective_from"],
        based_on=based_on,
        adopting=form.adopting(),
    )
    assert revised.decision is not None
    messages.success(
        request,
        _(
            "Versie %(v)s van de spelregels is vastgesteld. Besluit %(n)s staat in de "
            "besluitenlijst."
        )
        % {"v": revised.version, "n": revised.decision.number},
    )
    return redirect("rulebook-version", version=revised.version)


def _preview(
    request: HttpRequest,
    form: RulebookForm,
    latest: Rulebook | None,
    arguments: dict[str, Any],
    *,
    overtaken: bool = False,
) -> HttpResponse:
    rows = selectors.rulebook_diff_readable(changes=services.rulebook_preview(**arguments))
    current = selectors.rulebook_current()
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
            "adopting": form.adopting(),
            "deciding_body": body_deciding(subject="rules"),
        },
    )


@cooperative_view("rulebook.edit", methods=("GET", "POST"))
def rulebook_edit(request: HttpRequest, member: Member) -> HttpResponse:
    """Form → preview of the changes → confirm. The preview page sends the same data back
    with confirm=1 (save) or back=1 (change it again); nothing is saved before the confirm."""
    latest = selectors.rulebook_latest()
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
                return _confirm(request, member, form, arguments, seen)
            return _preview(request, form, latest, arguments, overtaken=overtaken)
        except ValidationError as e:
            form_add_errors(form, e)
    return render(
        request,
        "rules/edit.html",
        {"form": form, "latest": latest, "deciding_body": body_deciding(subject="rules")},
        status=400 if form.errors else 200,
    )
