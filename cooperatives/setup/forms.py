"""Forms of the set-up pages (buurten, clusters, partners). They only collect the fields: the
set-up services check them, so a page and the API give the same Dutch messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.decisions.forms import DecisionChoiceField
from cooperatives.decisions.selectors import decisions_open_for
from cooperatives.governance.models import Decision
from cooperatives.rules.models import Compensation
from cooperatives.setup.models import Partner
from cooperatives.setup.selectors import assistant_candidates


class NeighbourhoodForm(forms.Form):
    name = forms.CharField(label=_("Naam van de buurt"), required=False, max_length=100)
    network_name = forms.CharField(
        label=_("Naam van het buurtnetwerk"), required=False, max_length=120
    )
    contact = forms.CharField(
        label=_("Contactgegevens"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld een telefoonnummer of e-mailadres van de buurt."),
    )
    postcodes = forms.CharField(
        label=_("Postcodes"),
        required=False,
        max_length=2000,
        help_text=_(
            "Gescheiden door komma's: 4 cijfers voor een heel postcodegebied (3581) of een "
            "hele postcode (3581 AB). Een hele postcode gaat voor een gebied."
        ),
    )
    streets = forms.CharField(
        label=_("Straten"),
        required=False,
        max_length=4000,
        help_text=_(
            "Gescheiden door komma's. Wordt gebruikt als de postcode van een lid bij geen "
            "buurt hoort."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The queryset is copied for every form, so it runs in the schema of the request.
    assistants = forms.ModelMultipleChoiceField(
        label=_("Buurtassistenten"),
        queryset=assistant_candidates(),
        required=False,
        help_text=_(
            "Kies een of meer leden (met Ctrl of Cmd ingedrukt kiest u er meer). Zij krijgen "
            "de rol buurtassistent en zien alleen de leden van hun eigen buurten."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class ClusterEditForm(forms.Form):
    name = forms.CharField(label=_("Naam van het cluster"), required=False, max_length=120)
    description = forms.CharField(
        label=_("Beschrijving"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    holds_care = forms.BooleanField(
        label=_("Zorgcluster"),
        required=False,
        help_text=_(
            "Hulpvragen in dit cluster gaan over zorg. Wie de toelichting van een ander leest, "
            "wordt vastgelegd; het lid ziet wie er keek."
        ),
    )


class ClusterCreateForm(ClusterEditForm):
    # A CharField with radio buttons: an empty choice reaches the service, which says why.
    compensation = forms.CharField(
        label=_("Vergoeding"),
        required=False,
        widget=forms.RadioSelect(choices=Compensation.choices),
    )
    decision = DecisionChoiceField(
        queryset=Decision.objects.none(),
        required=False,
        label=_("Vastgesteld bij besluit"),
        empty_label=_("– kies een besluit –"),
        help_text=_(
            "Het besluit uit de besluitenlijst waarbij dit cluster en zijn vergoeding zijn "
            "vastgesteld."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, DecisionChoiceField)
        field.queryset = decisions_open_for(subject="rules", effect_kind="rulebook")


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Naam"), required=False, max_length=150)
    kind = forms.CharField(
        label=_("Soort partner"),
        required=False,
        initial=Partner.Kind.SOCIAL_ENTERPRISE,
        widget=forms.RadioSelect(choices=Partner.Kind.choices),
    )
    services = forms.CharField(
        label=_("Diensten"),
        required=False,
        max_length=2000,
        help_text=_("Wat de partner doet, bijvoorbeeld: grote klussen, schilderwerk."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_name = forms.CharField(label=_("Contactpersoon"), required=False, max_length=150)
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("E-mailadres"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    website = forms.CharField(
        label=_("Website"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld www.buurtbedrijf.nl"),
    )
    social_rate = forms.CharField(
        label=_("Sociaal tarief (euro per uur)"),
        required=False,
        max_length=20,
        help_text=_("Bijvoorbeeld 12,50. Laat leeg als er geen sociaal tarief is."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    is_active = forms.BooleanField(
        label=_("Actief: leden kunnen naar deze partner worden verwezen"),
        required=False,
        initial=True,
    )
    decision = DecisionChoiceField(
        queryset=Decision.objects.none(),
        required=False,
        label=_("Sociaal tarief afgesproken bij besluit"),
        empty_label=_("– kies een besluit –"),
        help_text=_(
            "Nodig als het sociale tarief verandert: een afspraak met een partner gaat in met "
            "een besluit uit de besluitenlijst."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, DecisionChoiceField)
        field.queryset = decisions_open_for(subject="agreements", effect_kind="rulebook")


class CooperativeDetailsForm(forms.Form):
    contact_email = forms.CharField(
        label=_("Contactadres van de coöperatie (e-mail)"),
        required=False,
        max_length=500,
        help_text=_(
            "Leden die een e-mail van de coöperatie beantwoorden, schrijven naar dit adres. "
            "Leeg: de e-mails vragen leden contact op te nemen met hun coördinator."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    place = forms.CharField(
        label=_("Plaats"),
        required=False,
        max_length=500,
        help_text=_("Bijvoorbeeld Utrecht. Zo vinden bewoners uw coöperatie op de voorpagina."),
    )
    postcode_areas = forms.CharField(
        label=_("Postcodegebieden"),
        required=False,
        max_length=2000,
        help_text=_(
            "De 4 cijfers van de postcodes in uw werkgebied, gescheiden door komma's. "
            "Bijvoorbeeld: 3581, 3582. Wie zijn postcode intypt, vindt dan uw coöperatie."
        ),
    )
