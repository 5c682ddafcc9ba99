from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import RETENTION_MONTHS_MAX, RETENTION_MONTHS_MIN


class RetentionForm(forms.Form):
    months = forms.IntegerField(
        label=_("Bewaartermijn na opheffen, in maanden"),
        min_value=RETENTION_MONTHS_MIN,
        max_value=RETENTION_MONTHS_MAX,
        help_text=_("Van %(min)s tot en met %(max)s maanden.")
        % {"min": RETENTION_MONTHS_MIN, "max": RETENTION_MONTHS_MAX},
    )
