"""Forms of the member pages. They only collect the fields: the member services check them,
so a page and the API give the same Dutch messages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import AVAILABILITY_CHOICES, Member, Role
from cooperatives.members.selectors import clusters_choosable
from cooperatives.setup.models import Neighbourhood

_TAG_HELP = _("Gescheiden door komma's, bijvoorbeeld: Nederlands, Engels")


class MemberProfileForm(forms.Form):
    """The profile as the member or a coordinator fills it in."""

    kind = forms.CharField(
        label=_("Soort lid"),
        required=False,
        initial=Member.Kind.RESIDENT,
        widget=forms.RadioSelect(choices=Member.Kind.choices),
    )
    name = forms.CharField(label=_("Naam"), required=False)
    street = forms.CharField(label=_("Straat"), required=False)
    house_number = forms.CharField(label=_("Huisnummer"), required=False)
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        help_text=_("Bijvoorbeeld 3581 AB"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mailadres"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    year_of_birth = forms.CharField(
        label=_("Geboortejaar (mag leeg blijven)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    languages = forms.CharField(label=_("Talen"), required=False, help_text=_TAG_HELP)
    talents = forms.CharField(
        label=_("Talenten en vaardigheden"),
        required=False,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: koken, fietsen repareren"),
    )
    help_clusters = forms.ModelMultipleChoiceField(
        label=_("Helpt graag bij"),
        queryset=clusters_choosable(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("Beschikbaar op"),
        choices=AVAILABILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    uses_internet = forms.BooleanField(label=_("Gebruikt zelf internet"), required=False)

    def __init__(self, *args: Any, member: Member | None = None, **kwargs: Any):
        if member is not None:
            kwargs.setdefault("initial", _initial(member))
        super().__init__(*args, **kwargs)
        clusters = cast(forms.ModelMultipleChoiceField, self.fields["help_clusters"])
        clusters.queryset = clusters_choosable(member=member)

    def profile(self) -> dict[str, Any]:
        """Keyword arguments for the member services."""
        data = {name: self.cleaned_data[name] for name in MemberProfileForm.base_fields}
        data["help_clusters"] = list(data["help_clusters"])
        return data


def _initial(member: Member) -> dict[str, Any]:
    fields = ["kind", "name", "street", "house_number", "postcode", "phone", "email"]
    initial = {f: getattr(member, f) for f in fields}
    initial.update(
        year_of_birth=member.year_of_birth or "",
        languages=", ".join(member.languages),
        talents=", ".join(member.talents),
        help_clusters=[c.pk for c in member.help_clusters.all()],
        availability=member.availability,
        uses_internet=member.uses_internet,
    )
    return initial


class MemberEditForm(MemberProfileForm):
    """A coordinator's or assistant's edit: the profile, and the buurt when they may set it
    (``neighbourhoods`` lists the buurten they may choose; None hides the field)."""

    neighbourhood = forms.ModelChoiceField(
        label=_("Buurt"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("Vanzelf, op grond van postcode of straat"),
    )

    def __init__(
        self,
        *args: Any,
        member: Member,
        neighbourhoods: QuerySet[Neighbourhood] | None,
        **kwargs: Any,
    ):
        super().__init__(*args, member=member, **kwargs)
        if neighbourhoods is None:
            del self.fields["neighbourhood"]
        else:
            cast(forms.ModelChoiceField, self.fields["neighbourhood"]).queryset = neighbourhoods
            self.initial.setdefault(
                "neighbourhood", member.neighbourhood_id if member.neighbourhood_fixed else None
            )

    def profile(self) -> dict[str, Any]:
        data = super().profile()
        if "neighbourhood" in self.fields:
            data["neighbourhood"] = self.cleaned_data["neighbourhood"]
        return data


class MemberRegisterForm(MemberProfileForm):
    """Intake by phone or at the door: the coordinator confirms the spoken consent."""

    accept_privacy = forms.BooleanField(
        label=_("Het lid gaat akkoord met de privacyverklaring (mondeling gegeven)"),
        required=False,
    )
    accept_disclaimer = forms.BooleanField(
        label=_("Het lid gaat akkoord met de spelregels over aansprakelijkheid (mondeling)"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Most people registered this way do not use the internet themselves.
        self.fields["uses_internet"].initial = False


class MemberRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Rollen (naast lid)"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    assisted_neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Buurtassistent voor (alleen bij de rol buurtassistent)"),
        queryset=Neighbourhood.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "roles": sorted(member.current_roles()),
                "assisted_neighbourhoods": [n.pk for n in member.assisted_neighbourhoods.all()],
            },
        )
        super().__init__(*args, **kwargs)


class EmailChangeForm(forms.Form):
    """A new email address; the member services check it and send the link."""

    email = forms.CharField(
        label=_("Nieuw e-mailadres"),
        required=False,
        max_length=500,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
