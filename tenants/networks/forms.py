"""Forms of the membership pages: what a cooperative shares (board, on its subdomain), a
request to join, and a network manager's invitation. Each field says in plain Dutch what it
means; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.decisions.forms import AdoptingDecisionMixin
from cooperatives.figures.catalog import GROUPS
from tenants.models import Network
from tenants.networks.services import Sharing


def _group_choices() -> list[tuple[str, str]]:
    return [(group.key, f"{group.label}: {group.description}") for group in GROUPS]


class SharingForm(forms.Form):
    """What the cooperative shares with one network. ``network`` (when known) decides whether
    sharing with the network above is offered at all."""

    share_groups = forms.MultipleChoiceField(
        label=_("Welke cijfers deelt de coöperatie?"),
        choices=_group_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Alleen totalen per maand over groepen van minstens 5 leden of diensten. Nooit een "
            "naam, adres, e-mailadres, lidnummer of vrije tekst."
        ),
    )
    on_map = forms.BooleanField(
        label=_("Op de kaart van het netwerk staan (naam, plaats en postcodegebied)"),
        required=False,
    )
    share_with_parent = forms.BooleanField(
        label=_("Dezelfde cijfers ook delen met het netwerk erboven"),
        required=False,
    )

    def __init__(self, *args: Any, network: Network | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if network is not None:
            self._offer_parent(network)

    def _offer_parent(self, network: Network) -> None:
        if network.parent_id is None:
            del self.fields["share_with_parent"]
        else:
            self.fields["share_with_parent"].label = _(
                "Dezelfde cijfers ook delen met %(parent)s (het netwerk boven %(network)s)"
            ) % {"parent": network.parent, "network": network.name}

    def sharing(self) -> Sharing:
        data = self.cleaned_data
        return Sharing(
            groups=tuple(data.get("share_groups") or ()),
            on_map=bool(data.get("on_map")),
            share_with_parent=bool(data.get("share_with_parent")),
        )


class DecidedSharingForm(AdoptingDecisionMixin, SharingForm):
    """What the cooperative shares, and the decision to join (AdoptingDecisionMixin: one from
    the register of the body the statutes name for joining a network, or recorded here)."""

    decision_subject = "network"
    decision_effect_kind = "network"


class RequestForm(DecidedSharingForm):
    """The board asks to join a network, with what it will share once accepted."""

    network = forms.ModelChoiceField(
        label=_("Netwerk"),
        queryset=Network.objects.none(),
        empty_label=_("– kies een netwerk –"),
    )
    message = forms.CharField(
        label=_("Toelichting voor het netwerk (optioneel)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Over de coöperatie, nooit over een lid."),
    )
    field_order = ["network", "share_groups", "on_map", "share_with_parent", "message"]

    def __init__(self, *args: Any, networks: list[Network], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Network.objects.filter(pk__in=[n.pk for n in networks]).order_by("name")
        self.fields["share_with_parent"].help_text = _(
            "Alleen van toepassing als het netwerk onder een ander netwerk valt."
        )

    def _offer_parent(self, network: Network) -> None:
        # The network is only preselected here (the board may pick another): the field stays,
        # named after the preselected network's parent when it has one.
        if network.parent_id is not None:
            super()._offer_parent(network)


class InviteForm(forms.Form):
    """A network manager invites a cooperative found by name or place."""

    cooperative = forms.SlugField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Toelichting voor het bestuur (optioneel)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek een coöperatie op naam, plaats of postcode"),
        required=False,
        max_length=100,
    )
