"""Joining: self-registration, privacy statement, applications and invitations; pages and
API (see cooperatives/urls.py)."""

from django.urls import path

from cooperatives.joining import api, views

urlpatterns = [
    path("word-lid/", views.join, name="join"),
    path("word-lid/verzonden/", views.join_done, name="join-done"),
    path("privacy/", views.privacy, name="privacy"),
    path("aanmeldingen/", views.application_list, name="application-list"),
    path("aanmeldingen/<int:pk>/", views.application_detail, name="application-detail"),
    path("uitnodigingen/", views.invitation_list, name="invitation-list"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
api_urlpatterns = [
    path("applications/", api.ApplicationListView.as_view(), name="api-application-list"),
    path(
        "applications/<int:pk>/approve/",
        api.ApplicationApproveView.as_view(),
        name="api-application-approve",
    ),
    path(
        "applications/<int:pk>/decline/",
        api.ApplicationDeclineView.as_view(),
        name="api-application-decline",
    ),
    path("invitations/", api.InvitationListView.as_view(), name="api-invitation-list"),
    path("invitations/accept/", api.InvitationAcceptView.as_view(), name="api-invitation-accept"),
]
