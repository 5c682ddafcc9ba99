"""What the savings and Triple Aim pages take: the period to show (and a parameter version),
and a manager's new version of the parameters. Numbers are checked by the service
(``tenants.savings.services``), so the page and a script refuse alike; the form only reads
them, with a decimal comma or point."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from shared.forms import DateField
from tenants.savings.selectors import month_add, month_start
from tenants.savings.services import ClusterInput

# How far back the period can reach, in months.
MONTHS_BACK = 36
MAX_ROWS = 40


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    current = month_start(today)
    return [
        (month.isoformat(), formats.date_format(month, "F Y"))
        for month in (month_add(current, -n) for n in range(MONTHS_BACK))
    ]


class PeriodForm(forms.Form):
    """The months to show, both included; the last twelve by default."""

    first = forms.ChoiceField(label=_("Van"))
    last = forms.ChoiceField(label=_("Tot en met"))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = month_choices(today)
        for name in ("first", "last"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]
        self.default_last = month_start(today)
        self.default_first = month_add(self.default_last, -11)

    def period(self) -> tuple[dt.date, dt.date]:
        if not self.is_bound or not self.is_valid():
            return self.default_first, self.default_last
        first = dt.date.fromisoformat(self.cleaned_data["first"])
        last = dt.date.fromisoformat(self.cleaned_data["last"])
        return (last, first) if last < first else (first, last)


class NumberField(forms.CharField):
    """A number as typed, with a decimal comma or point; the service says what is wrong."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal"}


def _shown(value: Decimal | None) -> str:
    # normalize() drops trailing zeros but writes 100 as 1E+2: format it back as a plain number.
    return "" if value is None else formats.number_format(Decimal(format(value.normalize(), "f")))


class ParametersForm(forms.Form):
    """A new version: when it applies, the default share and cost, and rows of clusters."""

    valid_from = DateField(
        label=_("Geldig vanaf"), required=False, help_text=_("Bijvoorbeeld 01-01-2027.")
    )
    share = NumberField(
        label=_("Vervangingsaandeel voor de overige clusters (0 tot 1)"),
        help_text=_(
            "Welk deel van de uren anders aan professionele thuiszorg of huishoudelijke hulp "
            "gevraagd zou worden: 0,6 is 60 procent."
        ),
    )
    hourly_cost = NumberField(
        label=_("Uurtarief van het professionele alternatief voor de overige clusters (euro)"),
        help_text=_("Bijvoorbeeld 32,50."),
    )
    source = forms.CharField(
        label=_("Bron en toelichting"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waar komen de getallen vandaan? Bijvoorbeeld: tarieven van de gemeente 2027."),
    )

    def __init__(self, *args: Any, rows: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = max(1, min(rows, MAX_ROWS))
        for number in range(1, self.rows + 1):
            self.fields[f"cluster_{number}"] = forms.CharField(
                label=_("Cluster %(n)s: naam") % {"n": number}, required=False, max_length=80
            )
            self.fields[f"cluster_{number}_share"] = NumberField(
                label=_("Cluster %(n)s: vervangingsaandeel (0 tot 1)") % {"n": number}
            )
            self.fields[f"cluster_{number}_cost"] = NumberField(
                label=_("Cluster %(n)s: uurtarief (euro)") % {"n": number}
            )

    @classmethod
    def initial_from(cls, parameters: Any) -> dict[str, Any]:
        """The form filled with a version's values, to change into the next one."""
        if parameters is None:
            return {}
        initial: dict[str, Any] = {
            "share": _shown(parameters.share),
            "hourly_cost": _shown(parameters.hourly_cost),
            "source": parameters.source,
        }
        for number, row in enumerate(parameters.clusters.all(), start=1):
            initial[f"cluster_{number}"] = row.cluster
            initial[f"cluster_{number}_share"] = _shown(row.share)
            initial[f"cluster_{number}_cost"] = _shown(row.hourly_cost)
        return initial

    def row_fields(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"cluster_{n}"], self[f"cluster_{n}_share"], self[f"cluster_{n}_cost"]]
            for n in range(1, self.rows + 1)
        ]

    def clusters(self) -> list[ClusterInput]:
        data = self.cleaned_data
        return [
            ClusterInput(
                cluster=data.get(f"cluster_{n}", ""),
                share=data.get(f"cluster_{n}_share", ""),
                hourly_cost=data.get(f"cluster_{n}_cost", ""),
            )
            for n in range(1, self.rows + 1)
        ]
