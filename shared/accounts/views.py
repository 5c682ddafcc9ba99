"""Logging in and out, and the password pages: "Wachtwoord vergeten?" (Django's own reset
views, with a token bound to the cooperative and the mail through shared.mail) and changing the
password of a logged-in member. Network administrators log in on the apex with a form of their
own, which points a member to their cooperative's login."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.forms import BaseForm
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from shared.accounts.forms import (
    ChangePasswordForm,
    EmailLoginForm,
    NetworkLoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
)
from shared.accounts.tokens import password_reset_token
from shared.views import CooperativeView


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class NetworkLoginView(LoginView):
    form_class = NetworkLoginForm


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")
    token_generator = password_reset_token


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    token_generator = password_reset_token


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(CooperativeView[Any], auth_views.PasswordChangeView):
    """A logged-in member chooses a new password (from "Mijn gegevens"); the session stays."""

    form_class = ChangePasswordForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("my-data")

    def form_valid(self, form: BaseForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Uw wachtwoord is gewijzigd."))
        return response
