"""Forms of the klussen pages. They only shape input: the services check who may do what and
give the Dutch refusals. Amounts are plain text, so "5,60" and "5.60" both work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cooperatives.settlement import Decision, Member, decisions_open_for


def _amount(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=_("In euro's, bijvoorbeeld 5,60."),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("Vul een bedrag in, bijvoorbeeld 5,60.")},
    )


def _year() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Jaar"),
        min_value=2000,
        max_value=2100,
        initial=timezone.localdate().year,
        error_messages={
            "required": _("Vul een jaar in."),
            "invalid": _("Vul een jaar in, bijvoorbeeld 2026."),
            "min_value": _("Kies een jaar tussen 2000 en 2100."),
            "max_value": _("Kies een jaar tussen 2000 en 2100."),
        },
    )


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.number} ({obj.decided_on:%d-%m-%Y}): {obj.title}"


class AllowanceYearForm(forms.Form):
    year = _year()
    per_hour = _amount(_("Maximaal per uur"))
    per_year = _amount(_("Maximaal per jaar"))
    # The service refuses without one, with its own message.
    decision = DecisionChoiceField(
        label=_("Vastgesteld bij besluit"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("– kies een besluit –"),
        help_text=_(
            "De bedragen gaan in met een besluit uit de besluitenlijst van het orgaan dat er "
            "volgens de statuten over gaat."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, DecisionChoiceField)
        field.queryset = decisions_open_for(subject="allowance", effect_kind="allowance")


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.name


class AllowanceOverrideForm(forms.Form):
    volunteer = VolunteerChoiceField(
        label=_("Vrijwilliger"),
        queryset=Member.objects.none(),
        empty_label=_("Kies een vrijwilliger"),
        error_messages={
            "required": _("Kies een vrijwilliger."),
            "invalid_choice": _("Kies een vrijwilliger uit de lijst."),
        },
    )
    year = _year()
    reason = forms.CharField(
        label=_("Reden"),
        help_text=_("Waarom mag deze vrijwilliger dit jaar meer klussen doen?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef een reden op voor deze uitzondering.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        volunteer = self.fields["volunteer"]
        assert isinstance(volunteer, VolunteerChoiceField)
        volunteer.queryset = Member.objects.filter(status=Member.Status.ACTIVE).order_by("name")


class KlusWaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        help_text=_(
            "Bijvoorbeeld: de hulpvrager kan niet betalen en de vrijwilliger vindt het goed, "
            "of de klus is per vergissing geregistreerd."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef een reden op waarom deze klus vervalt.")},
    )


class KlusRefundForm(forms.Form):
    """'Terugbetaald' for one double payment of a klus. The page has one form per double
    payment, each with its own ``auto_id`` so the labels stay tied to their own note."""

    double_payment = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Kies de dubbele betaling die is terugbetaald."),
            "invalid": _("Kies de dubbele betaling die is terugbetaald."),
        },
    )
    note = forms.CharField(
        label=_("Notitie (niet verplicht)"),
        help_text=_("Bijvoorbeeld: teruggestort via Stripe, of het contante geld teruggegeven."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Houd de notitie korter dan 1000 tekens.")},
    )

    @classmethod
    def for_double(cls, pk: int, data: Mapping[str, Any] | None = None) -> KlusRefundForm:
        return cls(data, initial={"double_payment": pk}, auto_id=f"id_dubbel{pk}_%s")
