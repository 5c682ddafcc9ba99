"""The network's Triple Aim and shared-savings pages on the apex. Thin: the period and version
come from the query string, the numbers from ``tenants.savings.selectors`` (public schema
only), a new version from ``tenants.savings.services``. Both pages are for every network user;
saving a version is for the manager (an analyst's POST is refused with 403, nothing written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.views import form_add_errors
from tenants.networks.views import NetworkView
from tenants.savings import selectors, services
from tenants.savings.charts import bar_chart
from tenants.savings.forms import MAX_ROWS, ParametersForm, PeriodForm
from tenants.savings.models import SavingsParameters

EXTRA_ROWS = 3


def _rows_posted(request: HttpRequest) -> int:
    given = request.POST.get("rows", "")
    return min(int(given), MAX_ROWS) if given.isdigit() else EXTRA_ROWS


class SavingsView(NetworkView):
    """/netwerk/<network>/besparing/: the estimate, its method and every parameter in use, the
    form for a new version (manager) and the history of versions."""

    def _version(self, period_last: Any) -> tuple[SavingsParameters | None, bool]:
        """The version asked for (``?versie=``), else the one in force at the period's end.
        The flag says the version was chosen by hand."""
        asked = self.request.GET.get("versie", "")
        if asked.isdigit():
            chosen = selectors.parameters_get(network=self.network, version=int(asked))
            if chosen is not None:
                return chosen, True
        last_day = selectors.month_add(period_last, 1) - dt.timedelta(days=1)
        return selectors.parameters_in_force(network=self.network, on=last_day), False

    def _page(self, parameters_form: ParametersForm | None, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        period = PeriodForm(self.request.GET or None, today=today)
        first, last = period.period()
        parameters, chosen = self._version(last)
        versions = list(selectors.parameter_versions(network=self.network))
        if parameters_form is None and self.is_manager:
            current = versions[0] if versions else None
            initial = {**ParametersForm.initial_from(current), "valid_from": today}
            rows = (current.clusters.count() if current else 0) + EXTRA_ROWS
            parameters_form = ParametersForm(initial=initial, rows=rows)
        return self.render_page(
            "savings/savings.html",
            {
                "period_form": period,
                "estimate": selectors.savings_estimate(
                    network=self.network, first=first, last=last, parameters=parameters
                ),
                "parameters": parameters,
                "chosen": chosen,
                "versions": versions,
                "form": parameters_form,
            },
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(None)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not self.is_manager:
            return render(request, "403.html", status=403)
        form = ParametersForm(request.POST, rows=_rows_posted(request))
        if form.is_valid():
            try:
                saved = services.savings_parameters_set(
                    actor=request.user,
                    network=self.network,
                    valid_from=form.cleaned_data["valid_from"],
                    share=form.cleaned_data["share"],
                    hourly_cost=form.cleaned_data["hourly_cost"],
                    clusters=form.clusters(),
                    source=form.cleaned_data["source"],
                )
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Versie %(v)s van de parameters is opgeslagen.") % {"v": saved.version},
                )
                return redirect("network-savings", network=self.network.slug)
        return self._page(form, status=400)


class TripleAimView(NetworkView):
    """/netwerk/<network>/triple-aim/: the three aims over months, from the shared figures."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        period = PeriodForm(request.GET or None, today=today)
        first, last = period.period()
        parameters = selectors.parameters_in_force(network=self.network, on=today)
        aims = selectors.triple_aim(
            network=self.network, first=first, last=last, parameters=parameters
        )
        context: dict[str, Any] = {
            "period_form": period,
            "aims": aims,
            "dimensions": selectors.DIMENSIONS,
            # The same numbers as the tables beside them, drawn as bars.
            "rating_chart": bar_chart(
                title=_("Gemiddelde waardering per maand"),
                bars=[(row.month, row.rating.value) for row in aims.experience],
            ),
            "hours_chart": bar_chart(
                title=_("Uren informele hulp per maand"),
                bars=[(row.month, row.hours) for row in aims.cost],
            ),
        }
        return self.render_page("savings/triple_aim.html", context)
