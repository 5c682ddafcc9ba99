"""Requests, offers, "ik help", accepting, the coordinator board and settings, as pages and in
the API (see cooperatives/marketplace/urls.py)."""

from django.urls import path

from cooperatives.marketplace import api_requests as api
from cooperatives.marketplace import views_requests as views

urlpatterns = [
    path("markt/", views.marketplace, name="marketplace"),
    path("hulpvragen/nieuw/", views.request_create, name="request-create"),
    path("hulpvragen/<int:pk>/", views.request_detail, name="request-detail"),
    path("hulpvragen/<int:pk>/ik-help/", views.request_respond, name="request-respond"),
    path("hulpvragen/<int:pk>/intrekken/", views.request_cancel, name="request-cancel"),
    path("reacties/<int:pk>/accepteren/", views.response_accept, name="response-accept"),
    path("aanbod/nieuw/", views.offer_create, name="offer-create"),
    path("aanbod/<int:pk>/verlengen/", views.offer_renew, name="offer-renew"),
    path("aanbod/<int:pk>/intrekken/", views.offer_withdraw, name="offer-withdraw"),
    path("mijn-markt/", views.my_marketplace, name="my-marketplace"),
    path("coordinatie/", views.coordinator_board, name="coordinator-board"),
    path("instellingen/", views.member_settings, name="member-settings"),
    path("instellingen/agenda-vernieuwen/", views.calendar_renew, name="calendar-renew"),
]
api_urlpatterns = [
    path("requests/", api.RequestListView.as_view(), name="api-request-list"),
    path("requests/<int:pk>/", api.RequestDetailView.as_view(), name="api-request-detail"),
    path("requests/<int:pk>/cancel/", api.RequestCancelView.as_view(), name="api-request-cancel"),
    path(
        "requests/<int:pk>/responses/",
        api.RequestResponsesView.as_view(),
        name="api-request-responses",
    ),
    path(
        "responses/<int:pk>/accept/", api.ResponseAcceptView.as_view(), name="api-response-accept"
    ),
    path("offers/", api.OfferListView.as_view(), name="api-offer-list"),
    path("offers/<int:pk>/renew/", api.OfferRenewView.as_view(), name="api-offer-renew"),
    path("offers/<int:pk>/withdraw/", api.OfferWithdrawView.as_view(), name="api-offer-withdraw"),
    path("board/", api.BoardView.as_view(), name="api-board"),
    path("settings/", api.SettingsView.as_view(), name="api-settings"),
    path(
        "settings/renew-calendar/",
        api.SettingsRenewCalendarView.as_view(),
        name="api-settings-renew-calendar",
    ),
]
