"""The month picker of the dashboard and its CSV: the months that have shared figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


def month_code(month: dt.date) -> str:
    return month.strftime("%Y-%m")


class MonthForm(forms.Form):
    maand = forms.ChoiceField(
        label=_("Maand"),
        required=False,
        error_messages={"invalid_choice": _("Voor die maand zijn er geen cijfers.")},
    )

    def __init__(self, *args: Any, months: Sequence[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.months = list(months)
        field = self.fields["maand"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(month_code(m), date_format(m, "F Y")) for m in self.months]

    def chosen(self) -> dt.date | None:
        """The month asked for, or the latest with figures (also when the one asked for has
        none: the form then says so)."""
        if self.is_bound and self.is_valid() and self.cleaned_data["maand"]:
            code = self.cleaned_data["maand"]
            return next(m for m in self.months if month_code(m) == code)
        return self.months[0] if self.months else None
