"""Forms of the joining pages. They only collect the fields: the services validate them, so
a page and the API give the same Dutch messages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member

# Generous limits: the service refuses what is too long with its own message.
_TEXT: dict[str, Any] = {"required": False, "max_length": 500}


class _AddressFields(forms.Form):
    street = forms.CharField(
        label=_("Straat"), widget=forms.TextInput(attrs={"autocomplete": "address-line1"}), **_TEXT
    )
    house_number = forms.CharField(label=_("Huisnummer"), **_TEXT)
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("Bijvoorbeeld 3581 AB"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        **_TEXT,
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        **_TEXT,
    )


class _PasswordAndConsent(forms.Form):
    password = forms.CharField(
        label=_("Kies een wachtwoord"),
        required=False,
        strip=False,
        help_text=_("Minstens 8 tekens, niet alleen cijfers en niet te voor de hand liggend."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_privacy = forms.BooleanField(
        label=_("Ik heb de privacyverklaring gelezen en ga ermee akkoord"), required=False
    )
    accept_disclaimer = forms.BooleanField(
        label=_("Ik heb de regels over aansprakelijkheid gelezen en ga ermee akkoord"),
        required=False,
    )


class ApplicationForm(_AddressFields, _PasswordAndConsent):
    # A CharField with radio buttons: an unknown value reaches the service, which says why.
    kind = forms.CharField(
        label=_("Ik meld me aan als"),
        required=False,
        initial=Member.Kind.RESIDENT,
        empty_value=Member.Kind.RESIDENT,
        widget=forms.RadioSelect(choices=Member.Kind.choices),
    )
    name = forms.CharField(
        label=_("Naam"), widget=forms.TextInput(attrs={"autocomplete": "name"}), **_TEXT
    )
    email = forms.CharField(
        label=_("E-mailadres"),
        help_text=_("Hiermee logt u later in."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **_TEXT,
    )
    message = forms.CharField(
        label=_("Wilt u iets vertellen? (niet verplicht)"),
        help_text=_("Bijvoorbeeld waarmee u graag helpt of waarbij u hulp zoekt."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = [
        "kind",
        "name",
        "email",
        "phone",
        "street",
        "house_number",
        "postcode",
        "password",
        "message",
        "accept_privacy",
        "accept_disclaimer",
    ]


class InvitationAcceptForm(_AddressFields, _PasswordAndConsent):
    name = forms.CharField(
        label=_("Uw naam"), widget=forms.TextInput(attrs={"autocomplete": "name"}), **_TEXT
    )
    field_order = [
        "name",
        "phone",
        "street",
        "house_number",
        "postcode",
        "password",
        "accept_privacy",
        "accept_disclaimer",
    ]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzing"),
        help_text=_("Verplicht. De aanvrager krijgt deze reden per e-mail te lezen."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationForm(forms.Form):
    email = forms.CharField(
        label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "off"}), **_TEXT
    )
    name = forms.CharField(label=_("Naam (niet verplicht)"), **_TEXT)
