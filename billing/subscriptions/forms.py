"""Forms of the subscription pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.subscriptions.models import Plan


class PlanForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Abonnementsvorm"),
        queryset=Plan.objects.filter(active=True),
        to_field_name="code",
        error_messages={
            "required": _("Kies een abonnementsvorm."),
            "invalid_choice": _("Deze abonnementsvorm bestaat niet."),
        },
    )
