from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.networks.models import NetworkRole


class InviteForm(forms.Form):
    full_name = forms.CharField(
        label=_("Naam"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=NetworkRole.Role.choices,
        initial=NetworkRole.Role.ANALYST,
        widget=forms.RadioSelect,
        help_text=_(
            "Een analist leest de cijfers en documenten van het netwerk. Een beheerder kan "
            "daarnaast coöperaties, sponsoring en accounts beheren."
        ),
    )


class RoleForm(forms.Form):
    """One row's role in the list (prefixed with the account, so the ids stay unique)."""

    role = forms.ChoiceField(label=_("Rol"), choices=NetworkRole.Role.choices)
