"""What the annual report's pages take."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared.forms import DateField


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class ReportTextsForm(forms.Form):
    foreword = forms.CharField(label=_("Voorwoord"), required=False, widget=forms.Textarea)
    activities = forms.CharField(label=_("Activiteiten"), required=False, widget=forms.Textarea)
    outlook = forms.CharField(label=_("Vooruitblik"), required=False, widget=forms.Textarea)


class ReportReviewForm(forms.Form):
    findings = forms.CharField(
        label=_("Bevindingen van de kascommissie"),
        widget=forms.Textarea,
        help_text=_("Wat heeft de kascommissie nagekeken, en wat vond zij?"),
    )
    recommends_discharge = forms.TypedChoiceField(
        label=_("Advies aan de ALV"),
        choices=[
            ("1", _("De kascommissie adviseert de ALV het bestuur decharge te verlenen")),
            ("0", _("De kascommissie adviseert geen decharge")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reviewed_on = DateField(label=_("Nagekeken op"))


class ReportApproveForm(forms.Form):
    decided_on = DateField(label=_("Datum van de ALV"))
    votes_for = forms.IntegerField(label=_("Vaststellen: stemmen voor"), min_value=0)
    votes_against = forms.IntegerField(label=_("Vaststellen: stemmen tegen"), min_value=0)
    votes_abstain = forms.IntegerField(
        label=_("Vaststellen: onthoudingen"), min_value=0, required=False
    )
    discharge_for = forms.IntegerField(label=_("Decharge: stemmen voor"), min_value=0)
    discharge_against = forms.IntegerField(label=_("Decharge: stemmen tegen"), min_value=0)
    discharge_abstain = forms.IntegerField(
        label=_("Decharge: onthoudingen"), min_value=0, required=False
    )
