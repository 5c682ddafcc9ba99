"""The decisions register (besluitenlijst) and the minutes (notulen): pages and API."""

from django.urls import path

from cooperatives.decisions import api, views

urlpatterns = [
    path("besluiten/", views.decision_list, name="decision-list"),
    path("besluiten/vastleggen/", views.decision_create, name="decision-record"),
    path("besluiten/<str:number>/", views.decision_detail, name="decision-detail"),
    path("besluiten/<str:number>/corrigeren/", views.decision_correct, name="decision-correct"),
    path("notulen/", views.minutes_list, name="minutes-list"),
    path("notulen/nieuw/", views.minutes_create, name="minutes-create"),
    path("notulen/<int:pk>/", views.minutes_detail, name="minutes-detail"),
    path("notulen/<int:pk>/bewerken/", views.minutes_edit, name="minutes-edit"),
    path("notulen/<int:pk>/versturen/", views.minutes_send_view, name="minutes-send"),
    path("notulen/<int:pk>/vaststellen/", views.minutes_approve_view, name="minutes-approve"),
]
api_urlpatterns = [
    path("decisions/", api.DecisionListView.as_view(), name="api-decision-list"),
    path("decisions/<str:number>/", api.DecisionDetailView.as_view(), name="api-decision-detail"),
    path(
        "decisions/<str:number>/corrections/",
        api.DecisionCorrectView.as_view(),
        name="api-decision-correct",
    ),
    path("minutes/", api.MinutesListView.as_view(), name="api-minutes-list"),
    path("minutes/<int:pk>/", api.MinutesDetailView.as_view(), name="api-minutes-detail"),
    path("minutes/<int:pk>/send/", api.MinutesSendView.as_view(), name="api-minutes-send"),
    path("minutes/<int:pk>/approve/", api.MinutesApproveView.as_view(), name="api-minutes-approve"),
]
