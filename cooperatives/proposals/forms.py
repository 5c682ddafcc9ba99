"""Forms of the proposals pages. They only collect the fields: the services check them, so a
page and the API give the same Dutch messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.governance.models import Seat
from cooperatives.proposals.models import Proposal
from cooperatives.proposals.selectors import OPEN, members_choosable, partners_choosable
from shared.forms import DateField


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Titel"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Beschrijving"),
        required=False,
        help_text=_("Wat wilt u doen, voor wie, en wanneer?"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    needs_volunteers = forms.BooleanField(label=_("Vrijwilligers"), required=False)
    needs_money = forms.BooleanField(label=_("Geld"), required=False)
    needs_space = forms.BooleanField(label=_("Ruimte"), required=False)
    needs_other = forms.CharField(
        label=_("Wat is er verder nodig?"),
        required=False,
        help_text=_("Bijvoorbeeld: hoeveel vrijwilligers, welke ruimte, materiaal."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    budget = forms.DecimalField(
        label=_("Begroting in euro (als het geld kost)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    contact = forms.CharField(
        label=_("Contact"),
        required=False,
        max_length=200,
        help_text=_("Hoe kan het bestuur u bereiken? Een telefoonnummer of e-mailadres."),
    )
    partner = forms.ModelChoiceField(
        label=_("Namens een wijkpartner"),
        queryset=partners_choosable(),
        required=False,
        empty_label=_("Nee, namens mijzelf"),
        help_text=_("Alleen voor coördinatoren en het bestuur."),
    )

    def __init__(self, *args: Any, for_partner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not for_partner:
            del self.fields["partner"]


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Stand"),
        required=False,
        choices=[
            ("", _("Alle voorstellen")),
            (OPEN, _("Nog niet besloten")),
            *Proposal.Status.choices,
        ],
    )


class ProposalHandleForm(forms.Form):
    status = forms.ChoiceField(label=_("Nieuwe stand"), choices=(), widget=forms.RadioSelect)
    conditions = forms.CharField(
        label=_("Voorwaarden bij goedkeuring"),
        required=False,
        help_text=_("Laat leeg als er geen voorwaarden zijn."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(
        label=_("Redenen bij afwijzing"),
        required=False,
        help_text=_("Verplicht als het voorstel wordt afgewezen. De indiener leest ze."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Toelichting voor de indiener"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    record_decision = forms.BooleanField(
        label=_("Het besluit opnemen in de besluitenlijst"),
        required=False,
        help_text=_("Bij goedkeuren of afwijzen: als besluit van het algemeen bestuur."),
    )
    decided_on = DateField(
        label=_("Datum van het besluit"),
        required=False,
        help_text=_("Leeg laten voor vandaag. Dag-maand-jaar, bijvoorbeeld 25-12-2026."),
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, Proposal.Status(s).label) for s in Proposal.NEXT[proposal.status]]


class ProjectUpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Bericht"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ProjectSpendingForm(forms.Form):
    spent_on = DateField(label=_("Datum"), required=True)
    description = forms.CharField(label=_("Omschrijving"), required=False, max_length=200)
    amount = forms.DecimalField(
        label=_("Bedrag in euro"),
        required=True,
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class ProjectMemberForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Lid"), queryset=members_choosable())
    position = forms.ChoiceField(
        label=_("Functie in de projectgroep"),
        choices=Seat.Position.choices,
        initial=Seat.Position.MEMBER,
    )
