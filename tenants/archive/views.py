"""/gegevens-cooperatie/ on a cooperative's subdomain: the board asks for an archive of all the
cooperative's data, follows its progress (a <progress> bar that a small script of our own
refreshes from a JSON answer; without script, the page's own refresh link), downloads it, and
sets how long the data is kept once the cooperative is archived."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.members.models import Member
from shared.tenancy.current import current_cooperative
from shared.views import cooperative_view, form_add_errors, found_or_404
from tenants.archive import selectors, services
from tenants.archive.forms import RetentionForm
from tenants.archive.models import CooperativeExport


def _page(
    request: HttpRequest, *, member: Member, form: RetentionForm | None = None, status: int = 200
) -> HttpResponse:
    cooperative = current_cooperative()
    exports = list(selectors.export_list(viewer=member))
    rows = []
    for export in exports:
        progress = selectors.export_progress(export=export)
        rows.append((export, progress, _status_text(export, progress.percent)))
    context: dict[str, Any] = {
        "rows": rows,
        "busy": any(e.status in ("queued", "running") for e in exports),
        "form": form or RetentionForm(initial={"months": cooperative.retention_months}),
        "retention_months": cooperative.retention_months,
    }
    return render(request, "archive/archive.html", context, status=status)


@cooperative_view("cooperative.export")
def archive_page(request: HttpRequest, member: Member) -> HttpResponse:
    return _page(request, member=member)


@cooperative_view("cooperative.export", methods=("POST",))
def export_start(request: HttpRequest, member: Member) -> HttpResponse:
    services.export_request(actor=member)
    messages.success(
        request,
        _(
            "Het archief wordt gemaakt. U kunt deze pagina open laten of sluiten: u krijgt "
            "een e-mail zodra het klaarstaat."
        ),
    )
    return redirect("archive-page")


@cooperative_view("cooperative.export", methods=("POST",))
def retention_edit(request: HttpRequest, member: Member) -> HttpResponse:
    form = RetentionForm(request.POST)
    if form.is_valid():
        try:
            services.retention_set(actor=member, months=form.cleaned_data["months"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("De bewaartermijn is opgeslagen."))
            return redirect("archive-page")
    return _page(request, member=member, form=form, status=400)


def _status_text(export: CooperativeExport, percent: int) -> str:
    if export.status == CooperativeExport.Status.DONE:
        return _("Klaar: het archief staat hieronder om te downloaden.")
    if export.status == CooperativeExport.Status.FAILED:
        return _("Het maken van het archief is mislukt. Vraag een nieuw aan.")
    if export.status == CooperativeExport.Status.QUEUED:
        return _("In de wachtrij: het archief wordt zo gemaakt.")
    return _("Bezig: %(percent)s%% gedaan.") % {"percent": percent}


@cooperative_view("cooperative.export")
def export_status(request: HttpRequest, token: str, member: Member) -> HttpResponse:
    """Where an export stands, for the page's script (JSON)."""
    export = found_or_404(selectors.export_get(viewer=member, token=token))
    progress = selectors.export_progress(export=export)
    return JsonResponse(
        {
            "status": export.status,
            "percent": progress.percent,
            "text": _status_text(export, progress.percent),
            "finished": export.status
            in (CooperativeExport.Status.DONE, CooperativeExport.Status.FAILED),
        }
    )


@cooperative_view("cooperative.export")
def export_download_view(request: HttpRequest, token: str, member: Member) -> HttpResponse:
    export = found_or_404(selectors.export_get(viewer=member, token=token))
    try:
        handle = services.export_download(actor=member, export=export)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("archive-page")
    # A FileResponse streams; the page decorator's type is HttpResponse.
    return cast(HttpResponse, _zip_response(export, handle))


def _zip_response(export: CooperativeExport, handle: Any) -> HttpResponseBase:
    cooperative = current_cooperative()
    # A file name sorts by date: ISO order, not a date written on a page.
    made = timezone.localtime(export.created_at).strftime("%Y-%m-%d")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"noaber-{cooperative.slug}-{made}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = ["archive_page", "export_download_view", "export_start", "export_status"]
