"""The password and second-factor pages on a cooperative's subdomain (``urlpatterns``) and
those of network administrators on the apex (``network_urlpatterns``); the login itself is
listed in the URL confs, on the apex and on each subdomain."""

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
    path("tweestaps/", views.TwoFactorView.as_view(), name="two-factor"),
    path("tweestaps/herstelcodes/", views.two_factor_codes, name="two-factor-codes"),
    path("bevestigen/", views.ReauthView.as_view(), name="reauth"),
    path("mijn-gegevens/tweestaps/", views.MemberTwoFactorView.as_view(), name="my-two-factor"),
    path(
        "mijn-gegevens/tweestaps/telefoon/",
        views.MemberNewPhoneView.as_view(),
        name="my-two-factor-phone",
    ),
    path(
        "mijn-gegevens/tweestaps/herstelcodes/",
        views.MemberRecoveryCodesView.as_view(),
        name="my-two-factor-codes",
    ),
    path(
        "mijn-gegevens/tweestaps/uitzetten/",
        views.MemberTwoFactorOffView.as_view(),
        name="my-two-factor-off",
    ),
]

network_urlpatterns = [
    path("netwerk/tweestaps/", views.TwoFactorView.as_view(), name="two-factor"),
    path("netwerk/tweestaps/herstelcodes/", views.two_factor_codes, name="two-factor-codes"),
    path("netwerk/bevestigen/", views.ReauthView.as_view(), name="reauth"),
    path("netwerk/mijn-account/", views.MyAccountView.as_view(), name="my-account"),
    path(
        "netwerk/mijn-account/wachtwoord/",
        views.NetworkPasswordChangeView.as_view(),
        name="my-password",
    ),
    path(
        "netwerk/mijn-account/nieuwe-telefoon/",
        views.NewPhoneView.as_view(),
        name="two-factor-new-phone",
    ),
    path(
        "netwerk/mijn-account/herstelcodes/",
        views.RecoveryCodesView.as_view(),
        name="two-factor-recovery-codes",
    ),
    path(
        "netwerk/wachtwoord-vergeten/",
        views.NetworkPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "netwerk/wachtwoord-vergeten/verstuurd/",
        views.NetworkPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "netwerk/wachtwoord-kiezen/<uidb64>/<token>/",
        views.NetworkSetPasswordView.as_view(),
        name="network-set-password",
    ),
]
