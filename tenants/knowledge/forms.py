"""Forms of the knowledge network's pages. They only collect the input: the services check it
(type, size and content of a file; a link's address), so every refusal is the same Dutch
message on every page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.knowledge.models import Document
from tenants.models import Cooperative, Network


class DocumentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=100,
        help_text=_("Woorden uit de titel, de samenvatting of de trefwoorden."),
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        required=False,
        choices=[("", _("Alle soorten")), *Document.Kind.choices],
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Samenvatting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Waar gaat het over, voor wie is het bruikbaar? Noem geen bewoners."),
    )
    tags = forms.CharField(
        label=_("Trefwoorden"),
        required=False,
        max_length=600,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: zorg, Utrecht, vrijwilligers."),
    )
    file = forms.FileField(
        label=_("Bestand"),
        required=False,
        help_text=_(
            "PDF, Word (.docx), OpenDocument (.odt), Excel (.xlsx), PNG of JPG; hoogstens 10 MB."
        ),
    )
    link = forms.CharField(
        label=_("Of een link"),
        required=False,
        max_length=500,
        help_text=_("Een webadres in plaats van een bestand, beginnend met https://."),
    )


class DocumentPublishForm(DocumentForm):
    cooperative = forms.ModelChoiceField(
        label=_("Bijdrage van"),
        required=False,
        queryset=Cooperative.objects.none(),
        empty_label=_("het netwerk zelf"),
        help_text=_("De aangesloten coöperatie die het document heeft gemaakt, als dat zo is."),
    )

    def __init__(self, *args: Any, cooperatives: list[Cooperative], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cooperative"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Cooperative.objects.filter(pk__in=[c.pk for c in cooperatives])


class DocumentSuggestForm(DocumentForm):
    network = forms.ModelChoiceField(
        label=_("Netwerk"), queryset=Network.objects.none(), empty_label=None
    )
    field_order = ["network"]

    def __init__(self, *args: Any, networks: list[Network], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Network.objects.filter(pk__in=[n.pk for n in networks])
