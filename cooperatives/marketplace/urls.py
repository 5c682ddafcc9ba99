"""The marketplace's pages and API: requests and offers, "ik help" and accepting, the
coordinator board and settings; the services after a match (planning, hours, confirmation,
feedback, the calendar feed); suggested volunteers for a request."""

from django.urls import path

from cooperatives.marketplace import api, views

urlpatterns = [
    # requests
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
    # services
    path("diensten/", views.service_list, name="service-list"),
    path("diensten/<int:pk>/", views.service_detail, name="service-detail"),
    path("diensten/<int:pk>/verzetten/", views.service_move, name="service-move"),
    path("diensten/<int:pk>/annuleren/", views.service_cancel, name="service-cancel"),
    path("diensten/<int:pk>/uren/", views.service_register, name="service-register"),
    path("diensten/<int:pk>/bevestigen/", views.service_confirm, name="service-confirm"),
    path(
        "diensten/<int:pk>/bevestigen-en-goedkeuren/",
        views.service_confirm_approve,
        name="service-confirm-approve",
    ),
    path("diensten/<int:pk>/klopt-niet/", views.service_dispute, name="service-dispute"),
    path("diensten/<int:pk>/uren-aanpassen/", views.service_resolve, name="service-resolve"),
    path("diensten/<int:pk>/kwaliteit-goedkeuren/", views.service_approve, name="service-approve"),
    path("diensten/<int:pk>/boeken/", views.service_settle, name="service-settle"),
    path("diensten/<int:pk>/terugkoppeling/", views.service_feedback, name="service-feedback"),
    path("diensten/<int:pk>/berichten/", views.service_message, name="service-message"),
    path("mijn-terugkoppeling/", views.my_feedback, name="my-feedback"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
api_urlpatterns = [
    # requests
    path("requests/", api.RequestListView.as_view(), name="api-request-list"),
    path("requests/referral/", api.RequestReferralView.as_view(), name="api-request-referral"),
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
    # services
    path("services/", api.ServiceListView.as_view(), name="api-service-list"),
    path("services/<int:pk>/", api.ServiceDetailView.as_view(), name="api-service-detail"),
    path("services/<int:pk>/move/", api.ServiceMoveView.as_view(), name="api-service-move"),
    path("services/<int:pk>/cancel/", api.ServiceCancelView.as_view(), name="api-service-cancel"),
    path(
        "services/<int:pk>/register/",
        api.ServiceRegisterView.as_view(),
        name="api-service-register",
    ),
    path(
        "services/<int:pk>/confirm/", api.ServiceConfirmView.as_view(), name="api-service-confirm"
    ),
    path(
        "services/<int:pk>/confirm-and-approve/",
        api.ServiceConfirmApproveView.as_view(),
        name="api-service-confirm-approve",
    ),
    path(
        "services/<int:pk>/dispute/", api.ServiceDisputeView.as_view(), name="api-service-dispute"
    ),
    path(
        "services/<int:pk>/resolve/", api.ServiceResolveView.as_view(), name="api-service-resolve"
    ),
    path(
        "services/<int:pk>/approve/", api.ServiceApproveView.as_view(), name="api-service-approve"
    ),
    path("services/<int:pk>/settle/", api.ServiceSettleView.as_view(), name="api-service-settle"),
    path(
        "services/<int:pk>/messages/",
        api.ServiceMessagesView.as_view(),
        name="api-service-messages",
    ),
    path(
        "services/<int:pk>/feedback/",
        api.ServiceFeedbackView.as_view(),
        name="api-service-feedback",
    ),
    path("services/<int:pk>/dues/", api.ServiceDuesView.as_view(), name="api-service-dues"),
    # matching
    path(
        "requests/<int:pk>/suggestions/",
        api.RequestSuggestionsView.as_view(),
        name="api-request-suggestions",
    ),
]
