"""The board's form for the cooperative's point on the map. It only collects the text: the
service reads '52,09' and '52.09' alike and checks the point lies in the Netherlands."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CooperativePlaceForm(forms.Form):
    latitude = forms.CharField(
        label=_("Breedtegraad (noord)"),
        required=False,
        max_length=20,
        help_text=_("Tussen 50,7 en 53,6; bijvoorbeeld 52,0907 voor het centrum van Utrecht."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.CharField(
        label=_("Lengtegraad (oost)"),
        required=False,
        max_length=20,
        help_text=_("Tussen 3,3 en 7,3; bijvoorbeeld 5,1214 voor het centrum van Utrecht."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
