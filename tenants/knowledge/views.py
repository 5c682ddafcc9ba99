"""Pages of the knowledge network: a network's library on the apex (analysts and managers
read; managers publish, edit, withdraw and decide on suggestions) and the library of the
networks a cooperative belongs to on its subdomain (board and coordinators read; the board
suggests). Files are downloaded only through these views, after the same check as the list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperatives.members.models import Member
from shared import permissions
from shared.tenancy.current import current_cooperative
from shared.views import CooperativeView, cooperative_view, form_add_errors, found_or_404
from tenants.knowledge import selectors, services
from tenants.knowledge.forms import (
    DocumentFilterForm,
    DocumentForm,
    DocumentPublishForm,
    DocumentSuggestForm,
)
from tenants.knowledge.models import Document
from tenants.networks.selectors import cooperatives_visible_to_network
from tenants.networks.views import NetworkView


def _filters(request: HttpRequest) -> tuple[DocumentFilterForm, dict[str, str]]:
    form = DocumentFilterForm(request.GET or None)
    if form.is_valid():
        return form, {"query": form.cleaned_data["q"], "kind": form.cleaned_data["kind"]}
    return form, {}


def _download(document: Document) -> HttpResponseBase:
    """The file as an attachment under its uploaded name (never shown inline: a document
    is not a page of ours)."""
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.file_name or "document",
        content_type=document.file_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- a network's library, on the apex ----------------------------------------------------------


class NetworkDocumentsView(NetworkView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form, filters = _filters(request)
        return self.render_page(
            "knowledge/network_documents.html",
            {
                "filter_form": form,
                "documents": selectors.documents_for_network(network=self.network, **filters),
                "suggestions": selectors.suggestions_for_network(network=self.network)
                if self.is_manager
                else [],
                "filtered": bool(filters.get("query") or filters.get("kind")),
            },
        )


class NetworkDocumentDownloadView(NetworkView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        document = found_or_404(
            selectors.document_for_network(network=self.network, pk=pk, manager=self.is_manager)
        )
        return _download(document)


class NetworkDocumentCreateView(NetworkView):
    manager_only = True

    def _form(self, request: HttpRequest) -> DocumentPublishForm:
        cooperatives = [
            v.cooperative for v in cooperatives_visible_to_network(network=self.network)
        ]
        return DocumentPublishForm(
            request.POST or None, request.FILES or None, cooperatives=cooperatives
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page("knowledge/document_form.html", {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request)
        if form.is_valid():
            try:
                document = services.document_publish(
                    user=request.user, network=self.network, **form.cleaned_data
                )
            except ValidationError as e:
                form_add_errors(form, e)
            else:
                messages.success(
                    request, _("Het document %(title)s is gepubliceerd.") % {"title": document}
                )
                return redirect("network-documents", network=self.network.slug)
        return self.render_page("knowledge/document_form.html", {"form": form}, status=400)


class NetworkDocumentEditView(NetworkView):
    manager_only = True

    def _document(self, pk: int) -> Document:
        return found_or_404(selectors.document_to_manage(network=self.network, pk=pk))

    def _page(self, form: DocumentForm, document: Document, status: int = 200) -> HttpResponse:
        return self.render_page(
            "knowledge/document_form.html", {"form": form, "document": document}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._document(pk)
        initial: dict[str, Any] = {
            "kind": document.kind,
            "title": document.title,
            "summary": document.summary,
            "tags": ", ".join(document.tags),
            "link": document.link,
        }
        return self._page(DocumentForm(initial=initial), document)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._document(pk)
        form = DocumentForm(request.POST, request.FILES or None)
        if form.is_valid():
            try:
                services.document_update(
                    user=request.user, network=self.network, document=document, **form.cleaned_data
                )
            except ValidationError as e:
                document.refresh_from_db()
                form_add_errors(form, e)
            else:
                messages.success(request, _("Het document is opgeslagen."))
                return redirect("network-documents", network=self.network.slug)
        return self._page(form, document, status=400)


class NetworkDocumentWithdrawView(NetworkView):
    """Withdraw a published document, or decline a suggestion (asked once more first)."""

    manager_only = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = found_or_404(selectors.document_to_manage(network=self.network, pk=pk))
        return self.render_page("knowledge/document_withdraw.html", {"document": document})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = found_or_404(selectors.document_to_manage(network=self.network, pk=pk))
        suggested = document.status == Document.Status.SUGGESTED
        services.document_withdraw(user=request.user, network=self.network, document=document)
        messages.success(
            request,
            _("Het voorstel is afgewezen.") if suggested else _("Het document is ingetrokken."),
        )
        return redirect("network-documents", network=self.network.slug)


class NetworkSuggestionPublishView(NetworkView):
    manager_only = True

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = found_or_404(selectors.document_to_manage(network=self.network, pk=pk))
        try:
            services.document_suggestion_publish(
                user=request.user, network=self.network, document=document
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(
                request, _("Het document %(title)s is gepubliceerd.") % {"title": document}
            )
        return redirect("network-documents", network=self.network.slug)


# --- the cooperative's side, on its subdomain ---------------------------------------------------


@cooperative_view("knowledge.read")
def cooperative_documents(request: HttpRequest, member: Member) -> HttpResponse:
    """ "Kennisnetwerk": what the cooperative's networks share with it."""
    cooperative = current_cooperative()
    form, filters = _filters(request)
    can_suggest = permissions.can(member, "knowledge.suggest")
    return render(
        request,
        "knowledge/cooperative_documents.html",
        {
            "filter_form": form,
            "documents": selectors.documents_for_cooperative(cooperative=cooperative, **filters),
            "networks": selectors.networks_read_by_cooperative(cooperative=cooperative),
            "can_suggest": can_suggest
            and bool(selectors.networks_suggested_to(cooperative=cooperative)),
            "suggestions": selectors.suggestions_of_cooperative(cooperative=cooperative)
            if can_suggest
            else [],
            "filtered": bool(filters.get("query") or filters.get("kind")),
        },
    )


class CooperativeDocumentDownloadView(CooperativeView[Member]):
    """A file of the cooperative's networks, streamed (a class: a function view on
    ``cooperative_view`` answers an ``HttpResponse``, and a file is a streaming response)."""

    action = "knowledge.read"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        cooperative = current_cooperative()
        document = selectors.document_for_cooperative(cooperative=cooperative, pk=pk)
        return _download(found_or_404(document))


@cooperative_view("knowledge.suggest", methods=("GET", "POST"))
def cooperative_document_suggest(request: HttpRequest, member: Member) -> HttpResponse:
    """The board suggests a document to one of its networks."""
    cooperative = current_cooperative()
    networks = selectors.networks_suggested_to(cooperative=cooperative)
    form = DocumentSuggestForm(request.POST or None, request.FILES or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_suggest(actor=member, cooperative=cooperative, **form.cleaned_data)
        except ValidationError as e:
            form_add_errors(form, e)
        else:
            messages.success(
                request,
                _("Uw voorstel is verstuurd. De beheerder van het netwerk besluit erover."),
            )
            return redirect("cooperative-documents")
    return render(
        request,
        "knowledge/document_suggest.html",
        {"form": form, "networks": networks},
        status=400 if form.errors else 200,
    )
