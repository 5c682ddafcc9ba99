"""Logging in and out, and the password pages: "Wachtwoord vergeten?" (Django's own reset
views, with a token bound to the cooperative and the mail through shared.mail) and changing the
password of a logged-in member. Network administrators log in on the apex with a form of their
own, which points a member to their cooperative's login, and then pass the second factor
(``TwoFactorView``: set up a phone the first time, type its code every time after; see
shared/accounts/two_factor.py). Their own account page ("Mijn account") changes the password,
sets up a new phone and makes new recovery codes; an invited administrator chooses a password
through ``NetworkSetPasswordView``.

On a cooperative's subdomain the second factor is required of the board, the kascommissie and
the administrator (``shared.permissions.TWO_FACTOR_ROLES``; the base views send them here) and
offered to every member ("Tweestapsverificatie" under "Mijn gegevens": ``MemberTwoFactorView``
and the pages after it). ``ReauthView`` asks for the password (and code) again before a
sensitive action (``shared.accounts.reauth``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from shared.accounts import two_factor
from shared.accounts.forms import (
    ChangePasswordForm,
    EmailLoginForm,
    NetworkLoginForm,
    NetworkPasswordResetForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    ReauthForm,
    TwoFactorCodeForm,
)
from shared.accounts.reauth import auth_is_recent, auth_moment_mark, reauth_redirect
from shared.accounts.services import account_lockout_lift, password_reset_admit
from shared.accounts.tokens import password_reset_token
from shared.client_address import client_address
from shared.permissions import member_of_user, needs_two_factor
from shared.views import CooperativeView, cooperative_refusal

# The recovery codes just made, kept in the session only until the page that shows them once.
CODES_SESSION_KEY = "two_factor_codes"
NEXT_SESSION_KEY = "two_factor_next"


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The ``next`` of the request when it stays on this very host (never another site or
    another cooperative's subdomain), else ``default`` (the home page)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def verified_gate(request: HttpRequest) -> HttpResponse | None:
    """The login or the second factor for a request that has not passed them, else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("login"))
    if not is_verified(request):
        return redirect_to_login(request.get_full_path(), reverse("two-factor"))
    return None


def _two_factor_url(next_url: str) -> str:
    return f"{reverse('two-factor')}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    """The login of a cooperative's members. A member who has set up a phone types its code
    next; a member whose role requires it (the board, the kascommissie, the administrator)
    sets up a phone first if they have none."""

    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if is_verified(self.request):
            return url
        if two_factor.has_two_factor(user) or needs_two_factor(member_of_user(user)):
            return _two_factor_url(url)
        return url


class NetworkLoginView(LoginView):
    """Network administrators: the password, then always the second factor."""

    form_class = NetworkLoginForm

    def get_success_url(self) -> str:
        url = auth_views.LoginView.get_success_url(self)
        return url if is_verified(self.request) else _two_factor_url(url)


class TwoFactorView(View):
    """The second step of the login. Without a phone: set one up (QR code, the key to type,
    a first code), then see the recovery codes once. With one: type its code, or a recovery
    code when the phone is gone. Then on to ``next`` (on this host only)."""

    template_name = "accounts/two_factor.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("login"))
        if is_verified(request):
            return redirect(safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(TwoFactorCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TwoFactorCodeForm(request.POST)
        if not form.is_valid():
            return self.page(form)
        code = form.cleaned_data["code"]
        try:
            if two_factor.has_two_factor(request.user):
                device = two_factor.two_factor_verify(user=request.user, code=code)
                codes = None
            else:
                enrolment = two_factor.totp_enrolment_start(user=request.user)
                codes = two_factor.totp_enrolment_confirm(
                    user=request.user, device=enrolment.device, code=code
                )
                device = enrolment.device
        except ValidationError as error:
            form.add_error(None, error)
            return self.page(form)
        # A new session key for the session that now counts as fully logged in (as Django's own
        # login does after the password).
        request.session.cycle_key()
        otp_login(request, device)
        auth_moment_mark(request)
        if isinstance(device, StaticDevice):
            left = two_factor.recovery_codes_left(request.user)
            messages.warning(
                request,
                ngettext(
                    "U bent binnen met een herstelcode; u heeft er nog %(left)s. Kwijt of een "
                    "nieuwe telefoon? Koppel de nieuwe telefoon via Mijn account.",
                    "U bent binnen met een herstelcode; u heeft er nog %(left)s. Kwijt of een "
                    "nieuwe telefoon? Koppel de nieuwe telefoon via Mijn account.",
                    left,
                )
                % {"left": left},
            )
        return finish_with_codes(request, codes, safe_next(request))

    def page(self, form: TwoFactorCodeForm) -> HttpResponse:
        enrolling = not two_factor.has_two_factor(self.request.user)
        context = {
            "form": form,
            "next": safe_next(self.request),
            "enrolling": enrolling,
            "required": needs_two_factor(member_of_user(self.request.user)),
            "enrolment": (
                two_factor.totp_enrolment_start(user=self.request.user) if enrolling else None
            ),
        }
        return render(self.request, self.template_name, context)


def finish_with_codes(request: HttpRequest, codes: list[str] | None, next_url: str) -> HttpResponse:
    """On to ``next_url``, past the page with the new recovery codes when there are some."""
    if not codes:
        return redirect(next_url)
    request.session[CODES_SESSION_KEY] = codes
    request.session[NEXT_SESSION_KEY] = next_url
    return redirect("two-factor-codes")


def two_factor_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown this once (to print or write down)."""
    refused = verified_gate(request)
    if refused is not None:
        return refused
    codes = request.session.pop(CODES_SESSION_KEY, None)
    next_url = request.session.pop(NEXT_SESSION_KEY, None) or resolve_url(
        settings.LOGIN_REDIRECT_URL
    )
    if not codes:
        return redirect(next_url)
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": next_url})


class VerifiedView(View):
    """A page of one's own account on the apex: after the login and the second factor; with
    ``reauth``, after the password (and code) again when the login is a few minutes old."""

    reauth = False

    def gate(self, request: HttpRequest) -> HttpResponse | None:
        refused = verified_gate(request)
        if refused is None and self.reauth and not auth_is_recent(request):
            return reauth_redirect(request)
        return refused

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refused = self.gate(request)
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)


class MemberAccountMixin:
    """The same pages for a member on a cooperative's subdomain: the base views' gate (a
    member here; the second factor where the role needs it), not the apex's."""

    reauth = False

    def gate(self, request: HttpRequest) -> HttpResponse | None:
        return cooperative_refusal(request, None, reauth=self.reauth)


class MyAccountView(VerifiedView):
    """ "Mijn account" of a network administrator: password, phone, recovery codes."""

    def get(self, request: HttpRequest) -> HttpResponse:
        device = two_factor.totp_device_of(request.user)
        context = {
            "phone": device,
            "codes_left": two_factor.recovery_codes_left(request.user),
        }
        return render(request, "accounts/my_account.html", context)


class NewPhoneView(VerifiedView):
    """Set up a new phone (the old one keeps working until the new one is confirmed)."""

    template_name = "accounts/two_factor.html"
    reauth = True
    done_url_name = "my-account"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(TwoFactorCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TwoFactorCodeForm(request.POST)
        if not form.is_valid():
            return self.page(form)
        enrolment = two_factor.totp_enrolment_start(user=request.user)
        try:
            codes = two_factor.totp_enrolment_confirm(
                user=request.user, device=enrolment.device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.page(form)
        otp_login(request, enrolment.device)
        auth_moment_mark(request)
        messages.success(
            request, _("Uw nieuwe telefoon is gekoppeld. De oude werkt niet meer voor Noaber.")
        )
        return finish_with_codes(request, codes, reverse(self.done_url_name))

    def page(self, form: TwoFactorCodeForm) -> HttpResponse:
        context = {
            "form": form,
            "next": "",
            "enrolling": True,
            "new_phone": two_factor.has_two_factor(self.request.user),
            "enrolment": two_factor.totp_enrolment_start(user=self.request.user),
        }
        return render(self.request, self.template_name, context)


class RecoveryCodesView(VerifiedView):
    """New recovery codes (POST); the old list stops working."""

    reauth = True
    done_url_name = "my-account"

    def post(self, request: HttpRequest) -> HttpResponse:
        codes = two_factor.recovery_codes_renew(user=request.user)
        messages.success(request, _("U heeft nieuwe herstelcodes. De oude werken niet meer."))
        return finish_with_codes(request, codes, reverse(self.done_url_name))


class MemberTwoFactorView(MemberAccountMixin, VerifiedView):
    """ "Tweestapsverificatie" of a member (from "Mijn gegevens"): whether a phone is set up,
    setting one up or a new one, new recovery codes, and switching it off where the member's
    role does not require it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "phone": two_factor.totp_device_of(request.user),
            "codes_left": two_factor.recovery_codes_left(request.user),
            "required": needs_two_factor(member_of_user(request.user)),
        }
        return render(request, "accounts/member_two_factor.html", context)


class MemberNewPhoneView(MemberAccountMixin, NewPhoneView):
    done_url_name = "my-two-factor"


class MemberRecoveryCodesView(MemberAccountMixin, RecoveryCodesView):
    done_url_name = "my-two-factor"

    def post(self, request: HttpRequest) -> HttpResponse:
        if not two_factor.has_two_factor(request.user):
            return redirect("my-two-factor")
        return super().post(request)


class MemberTwoFactorOffView(MemberAccountMixin, VerifiedView):
    """Switch the second factor off (POST): only where no role of the member requires it."""

    reauth = True

    def post(self, request: HttpRequest) -> HttpResponse:
        if needs_two_factor(member_of_user(request.user)):
            messages.error(
                request,
                _(
                    "Uw rol in de coöperatie vraagt om tweestapsverificatie; u kunt die niet "
                    "uitzetten."
                ),
            )
            return redirect("my-two-factor")
        two_factor.two_factor_reset(user=request.user)
        messages.success(
            request,
            _("Tweestapsverificatie staat uit. U logt voortaan in met alleen uw wachtwoord."),
        )
        return redirect("my-two-factor")


class ReauthView(View):
    """ "Bevestig dat u het bent": the password again (and the code, for whoever has a phone
    set up) before a sensitive action, then back to it (``next``, on this host only). A wrong
    password counts towards the lockout like one at the login (django-axes)."""

    template_name = "accounts/reauth.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("login"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(ReauthForm(with_code=two_factor.has_two_factor(request.user)))

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        with_code = two_factor.has_two_factor(user)
        form = ReauthForm(request.POST, with_code=with_code)
        if not form.is_valid():
            return self.page(form)
        checked = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if checked is None or checked.pk != user.pk:
            form.add_error("password", _("Dit wachtwoord klopt niet. Probeer het opnieuw."))
            return self.page(form)
        if with_code:
            try:
                device = two_factor.two_factor_verify(user=user, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error(None, error)
                return self.page(form)
            otp_login(request, device)
        auth_moment_mark(request)
        return redirect(safe_next(request))

    def page(self, form: ReauthForm) -> HttpResponse:
        return render(
            self.request, self.template_name, {"form": form, "next": safe_next(self.request)}
        )


class NetworkPasswordChangeView(VerifiedView, auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/network_password_change.html"
    success_url = reverse_lazy("my-account")

    def form_valid(self, form: BaseForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Uw wachtwoord is gewijzigd."))
        return response


class NetworkSetPasswordView(auth_views.PasswordResetConfirmView):
    """An invited network administrator chooses a password (the link in the invitation mail),
    is logged in, and goes on to set up the phone."""

    form_class = NewPasswordForm
    template_name = "accounts/network_set_password.html"
    token_generator = password_reset_token
    post_reset_login = True
    # Named, since django-axes' backend comes first in AUTHENTICATION_BACKENDS.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("two-factor")


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")
    token_generator = password_reset_token

    def form_valid(self, form: BaseForm) -> HttpResponse:
        # Counted per client address and per email address: past the hourly limit the page
        # says so (429) and no mail goes out.
        try:
            password_reset_admit(
                client=client_address(self.request), email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    token_generator = password_reset_token

    def form_valid(self, form: BaseForm) -> HttpResponse:
        # A new password chosen through the mailed link lifts a lockout of the account (the
        # locked-out page promises it): whoever holds the mailbox is the member. Audited.
        response = super().form_valid(form)
        account_lockout_lift(user=self.user, how="nieuw wachtwoord via de e-mail")
        return response


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


class NetworkPasswordResetView(PasswordResetView):
    form_class = NetworkPasswordResetForm
    template_name = "accounts/network_password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")


class NetworkPasswordResetDoneView(PasswordResetDoneView):
    pass
