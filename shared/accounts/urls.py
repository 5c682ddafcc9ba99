"""The password pages on a cooperative's subdomain (the login itself is listed in the URL
confs, on the apex and on each subdomain)."""

from django.urls import path

from shared.accounts import views

urlpatterns = [
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-kiezen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-kiezen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "mijn-gegevens/wachtwoord/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
]
