"""Pages of the knowledge network: a network's library on the apex (``urlpatterns``) and the
cooperative's view of its networks' libraries on its subdomain (``cooperative_urlpatterns``)."""

from django.urls import path

from tenants.knowledge import views

urlpatterns = [
    path(
        "netwerk/<slug:network>/kennis/",
        views.NetworkDocumentsView.as_view(),
        name="network-documents",
    ),
    path(
        "netwerk/<slug:network>/kennis/nieuw/",
        views.NetworkDocumentCreateView.as_view(),
        name="network-document-create",
    ),
    path(
        "netwerk/<slug:network>/kennis/<int:pk>/bewerken/",
        views.NetworkDocumentEditView.as_view(),
        name="network-document-edit",
    ),
    path(
        "netwerk/<slug:network>/kennis/<int:pk>/intrekken/",
        views.NetworkDocumentWithdrawView.as_view(),
        name="network-document-withdraw",
    ),
    path(
        "netwerk/<slug:network>/kennis/<int:pk>/publiceren/",
        views.NetworkSuggestionPublishView.as_view(),
        name="network-suggestion-publish",
    ),
    path(
        "netwerk/<slug:network>/kennis/<int:pk>/bestand/",
        views.NetworkDocumentDownloadView.as_view(),
        name="network-document-download",
    ),
]
cooperative_urlpatterns = [
    path("kennisnetwerk/", views.cooperative_documents, name="cooperative-documents"),
    path(
        "kennisnetwerk/voorstellen/",
        views.cooperative_document_suggest,
        name="cooperative-document-suggest",
    ),
    path(
        "kennisnetwerk/<int:pk>/bestand/",
        views.CooperativeDocumentDownloadView.as_view(),
        name="cooperative-document-download",
    ),
]
