"""Pages and API of this part of the marketplace (see cooperatives/marketplace/urls.py): the
service lifecycle after the match, the feedback a volunteer received, the calendar feed."""

from django.urls import path

from cooperatives.marketplace import api_services as api
from cooperatives.marketplace import views_services as views

urlpatterns = [
    path("diensten/", views.service_list, name="service-list"),
    path("diensten/<int:pk>/", views.service_detail, name="service-detail"),
    path("diensten/<int:pk>/verzetten/", views.service_move, name="service-move"),
    path("diensten/<int:pk>/annuleren/", views.service_cancel, name="service-cancel"),
    path("diensten/<int:pk>/uren/", views.service_register, name="service-register"),
    path("diensten/<int:pk>/bevestigen/", views.service_confirm, name="service-confirm"),
    path("diensten/<int:pk>/terugkoppeling/", views.service_feedback, name="service-feedback"),
    path("mijn-terugkoppeling/", views.my_feedback, name="my-feedback"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
api_urlpatterns = [
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
        "services/<int:pk>/feedback/",
        api.ServiceFeedbackView.as_view(),
        name="api-service-feedback",
    ),
    path("services/<int:pk>/dues/", api.ServiceDuesView.as_view(), name="api-service-dues"),
]
