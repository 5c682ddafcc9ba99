"""Forms of the points pages. They only shape input: the ledger's services check amounts,
limits and who may do what, and give the Dutch refusals, so pages and API answer alike.
Amounts are plain text, so "1,5" and "1.5" both work."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member
from cooperatives.points import selectors
from cooperatives.points.selectors import FIRST_YEAR, last_ended_year

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _amount(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text or _("Bijvoorbeeld 2 of 1,5."),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("Vul een aantal punten in, bijvoorbeeld 2 of 1,5.")},
    )


def _reason(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef een reden op.")},
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.name


def _member(label: StrOrPromise, queryset: QuerySet[Member]) -> MemberChoiceField:
    return MemberChoiceField(
        label=label,
        queryset=queryset,
        empty_label=_("Kies een lid"),
        error_messages={
            "required": _("Kies een lid."),
            "invalid_choice": _("Kies een lid uit de lijst."),
        },
    )


class KeyedForm(forms.Form):
    """A form that books points carries a key made when the form is shown: a double click or
    a resubmit of the same form books once (the ledger returns the first transfer)."""

    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=80,
        error_messages={"required": _("Het formulier is verlopen; vul het opnieuw in.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class GiftForm(KeyedForm):
    receiver = _member(_("Aan wie geeft u punten?"), selectors.active_members())
    amount = _amount(_("Hoeveel punten?"))
    memo = forms.CharField(
        label=_("Bericht (mag leeg blijven)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, giver: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The list leaves the giver out; the ledger itself refuses a gift to oneself.
        field = self.fields["receiver"]
        assert isinstance(field, MemberChoiceField)
        field.widget.choices = [
            (value, label) for value, label in field.iterator(field) if str(value) != str(giver.pk)
        ]


class DonationForm(KeyedForm):
    amount = _amount(_("Hoeveel punten geeft u aan de pot?"))


class GrantForm(KeyedForm):
    member = _member(_("Aan welk lid?"), selectors.active_members())
    amount = _amount(_("Hoeveel punten uit de pot?"))
    reason = _reason(_("Reden"))


class CorrectionForm(KeyedForm):
    member = _member(_("Rekening van welk lid?"), selectors.members_not_erased())
    amount = _amount(
        _("Hoeveel punten?"),
        _("Een negatief getal haalt punten af, bijvoorbeeld -2 of -1,5."),
    )
    reason = _reason(_("Reden van de correctie"))


class ReverseForm(forms.Form):
    reason = _reason(_("Waarom wordt deze overboeking teruggedraaid?"))


class SnapshotForm(forms.Form):
    # Only a year that has ended: a snapshot is kept once and never changes.
    year = forms.IntegerField(
        label=_("Jaar"),
        help_text=_("Alleen een jaar dat al voorbij is."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Vul een jaar in."),
            "invalid": _("Vul een jaar in, bijvoorbeeld 2024."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = last_ended_year()

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not FIRST_YEAR <= year <= last_ended_year():
            raise forms.ValidationError(
                _("Kies een jaar dat al voorbij is, van %(first)s tot en met %(last)s.")
                % {"first": FIRST_YEAR, "last": last_ended_year()},
                code="not_ended",
            )
        return year
