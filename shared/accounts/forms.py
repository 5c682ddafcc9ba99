from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shared.accounts.login_hints import login_hint
from shared.accounts.models import User
from shared.accounts.services import (
    network_password_reset_mail_send,
    password_reset_mail_send,
)

# One mail with a new-password link per account per this many seconds, however often the form
# is sent: nobody can fill a member's mailbox through it.
RESET_MAIL_INTERVAL = 120


class EmailLoginForm(AuthenticationForm):
    """The login of a cooperative's members. When the email and password do not open an
    account, a registered hint may say why in plain words (an application still waiting)."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op hoofdletters en "
            "probeer het opnieuw."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met uw coördinator."),
    }
    use_hints = True

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as error:
            if error.code != "invalid_login" or not self.use_hints:
                raise
            hint = login_hint(
                email=self.cleaned_data.get("username") or "",
                password=self.cleaned_data.get("password") or "",
            )
            if hint is None:
                raise
            raise ValidationError(hint, code="login_hint") from None


class NetworkLoginForm(EmailLoginForm):
    """The login of network administrators on the apex. A member of a cooperative who ends up
    here is told where their own login is, instead of only that the password is wrong."""

    error_messages = {
        **EmailLoginForm.error_messages,
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij een netwerkbeheerder. Bent u lid van "
            "een wijkcoöperatie? Dan logt u in op de website van uw eigen coöperatie."
        ),
    }
    use_hints = False


class TwoFactorCodeForm(forms.Form):
    """The code from the phone's app (six digits), or a recovery code from the printed list."""

    code = forms.CharField(
        label=_("Code"),
        max_length=24,
        help_text=_("De 6 cijfers uit de app op uw telefoon, of een herstelcode van uw lijst."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )


class ReauthForm(forms.Form):
    """ "Bevestig dat u het bent": the password, and the code for whoever has a phone set up."""

    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = TwoFactorCodeForm.base_fields["code"]

    def __init__(self, *args: Any, with_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"].widget.attrs.pop("autofocus", None)
        else:
            del self.fields["code"]


class PasswordResetRequestForm(PasswordResetForm):
    """ "Wachtwoord vergeten?": the link goes to the account with this address in this
    cooperative, if there is one; the page says the same either way."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str) -> Iterator[User]:
        # Unlike Django's default, an account without a usable password may choose one: every
        # login here is an email address with a password, and "none set yet" is no choice.
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if user.email.casefold() == email.casefold():
                yield user

    def save(self, **_options: Any) -> None:  # type: ignore[override]
        """Mail each matching account its link, through shared.mail (Django's options for its
        own templates do not apply)."""
        for user in self.get_users(self.cleaned_data["email"]):
            if cache.add(f"password-reset-mail:{user.pk}", True, RESET_MAIL_INTERVAL):
                password_reset_mail_send(user=user)


class NetworkPasswordResetForm(PasswordResetRequestForm):
    """ "Wachtwoord vergeten?" on the apex: the link goes to the apex's own page."""

    def save(self, **_options: Any) -> None:  # type: ignore[override]
        for user in self.get_users(self.cleaned_data["email"]):
            if cache.add(f"password-reset-mail:{user.pk}", True, RESET_MAIL_INTERVAL):
                network_password_reset_mail_send(user=user)


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password1"].help_text = _(
            "Minstens 8 tekens, niet alleen cijfers en niet te voor de hand liggend."
        )
        self.fields["new_password2"].label = _("Nieuw wachtwoord nog een keer")


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Uw huidige wachtwoord")
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password1"].help_text = _(
            "Minstens 8 tekens, niet alleen cijfers en niet te voor de hand liggend."
        )
        self.fields["new_password2"].label = _("Nieuw wachtwoord nog een keer")
