"""Forms of the service pages: move, cancel, register hours, confirm, feedback.

The forms only shape input; the lifecycle services check it and give the Dutch refusals, so
the pages and the API answer alike. Hours are plain text: the service reads "1,5" and "1.5".
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

RATINGS = [
    ("5", _("5 – uitstekend")),
    ("4", _("4 – goed")),
    ("3", _("3 – redelijk")),
    ("2", _("2 – matig")),
    ("1", _("1 – slecht")),
]


def _reason(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=_("De ander krijgt deze reden te lezen."),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef een reden op; de ander krijgt die te lezen.")},
    )


class ServiceMoveForm(forms.Form):
    date = forms.DateField(
        label=_("Nieuwe datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Kies een datum."), "invalid": _("Kies een geldige datum.")},
    )
    start_time = forms.TimeField(
        label=_("Nieuwe begintijd"),
        help_text=_("Bijvoorbeeld 14:30."),
        # A text field: large on every screen, and "14:30" and "14.30" both work.
        widget=forms.TimeInput(attrs={"autocomplete": "off"}, format="%H:%M"),
        error_messages={
            "required": _("Kies een begintijd."),
            "invalid": _("Vul een tijd in, bijvoorbeeld 14:30."),
        },
    )
    reason = _reason(_("Waarom wordt de afspraak verzet?"))


class ServiceCancelForm(forms.Form):
    reason = _reason(_("Waarom gaat de afspraak niet door?"))


class ServiceRegisterForm(forms.Form):
    hours = forms.CharField(
        label=_("Hoeveel uur heeft u geholpen?"),
        help_text=_("Bijvoorbeeld 1,5 voor anderhalf uur."),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _("Vul een aantal uren in, bijvoorbeeld 1,5.")},
    )


class ServiceConfirmForm(forms.Form):
    """No fields: the page shows what is confirmed; the button is the confirmation."""


class ServiceFeedbackForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Hoe tevreden bent u over de hulp?"),
        choices=RATINGS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een waardering van 1 tot en met 5.")},
    )
    comment = forms.CharField(
        label=_("Toelichting (mag leeg blijven)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
