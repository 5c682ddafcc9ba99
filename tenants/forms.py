from django import forms
from django.utils.translation import gettext_lazy as _

from tenants import rules_templates


class SignUpForm(forms.Form):
    """Only collects the fields: cooperative_sign_up validates them, so the page and the API
    give the same messages."""

    name = forms.CharField(label=_("Naam van de coöperatie"), required=False, max_length=500)
    slug = forms.CharField(
        label=_("Subdomein"),
        required=False,
        max_length=200,
        help_text=_("3 tot 40 tekens: kleine letters, cijfers en streepjes. Bijvoorbeeld: oost"),
    )
    place = forms.CharField(
        label=_("Plaats"),
        required=False,
        max_length=500,
        help_text=_("Waar de coöperatie actief is, bijvoorbeeld Utrecht. Zo vinden bewoners u."),
    )
    board_member_name = forms.CharField(
        label=_("Uw naam (eerste bestuurslid)"), required=False, max_length=500
    )
    email = forms.CharField(
        label=_("Uw e-mailadres"),
        required=False,
        max_length=500,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Kies een wachtwoord"),
        required=False,
        strip=False,
        help_text=_("Minstens 8 tekens, niet alleen cijfers en niet te voor de hand liggend."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # A CharField with radio buttons: an unknown value reaches the service, which says why.
    template = forms.CharField(
        label=_("Spelregels om mee te beginnen"),
        required=False,
        initial="leeg",
        widget=forms.RadioSelect(choices=rules_templates.choices()),
    )


class CooperativeSearchForm(forms.Form):
    """ "Bij welke coöperatie bent u lid?": a plain GET form on the landing page."""

    q = forms.CharField(
        label=_("Naam van de coöperatie, plaats of postcode"),
        required=False,
        max_length=100,
        help_text=_("Bijvoorbeeld: Oost, Utrecht of 3581 AB"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
