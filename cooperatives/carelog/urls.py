"""The care-access log's pages (see cooperatives/carelog/views.py)."""

from django.urls import path

from cooperatives.carelog import views

urlpatterns = [
    path("mijn-gegevens/inzage/", views.my_care_access, name="my-care-access"),
    path("inzage-zorggegevens/", views.care_access_log, name="care-access-log"),
]
