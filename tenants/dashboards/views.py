"""The network's figures on the apex: its cooperatives side by side for a month (with a CSV of
every shared cell), and one cooperative's trend over thirteen months.

Every page is a ``NetworkView`` (login, verified second factor, 404 for a network the user is
not bound to); the cooperatives come from ``cooperatives_visible_to_network`` and the cells
from ``selectors.shared_cells`` only, so a cell of a group a cooperative does not share with
this network is never read."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cooperatives.figures.catalog import GROUPS
from tenants.dashboards import metrics, selectors
from tenants.dashboards.charts import Chart, chart_draw
from tenants.dashboards.forms import MonthForm, month_code
from tenants.dashboards.metrics import DASHBOARD, Metric
from tenants.models import Cooperative, Network
from tenants.networks.selectors import (
    Visible,
    cooperatives_visible_to_network,
    visible_cooperative,
)
from tenants.networks.views import NetworkView

PAGE_SIZE = 50
# How long a drawn dashboard table is kept: its key changes with the figures, so this only
# bounds how long an unused copy takes room in the cache.
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Shown:
    """A table cell: its text, and why it is empty ("suppressed", "not_shared", "missing",
    "no_total"): a dash with a footnote mark, and the reason in words for a screen reader
    (the legend under the table says it for the eye)."""

    text: str
    why: str = ""

    def __html__(self) -> SafeString:
        # Built here rather than by an include per cell: a national network's table has
        # thousands of cells, and an include costs more than the rest of the page.
        if not self.why:
            return conditional_escape(self.text)
        mark, reason = _REASONS[self.why]
        hidden = format_html('<span class="visually-hidden"> {}</span>', reason)
        if mark:
            return format_html('{}<sup aria-hidden="true">{}</sup>{}', self.text, mark, hidden)
        return format_html("{}{}", self.text, hidden)

    def __str__(self) -> str:
        # The template engine makes a string of a value before escaping it: this one is safe.
        return self.__html__()


_REASONS = {
    "suppressed": ("1", metrics.SUPPRESSED_TEXT),
    "not_shared": ("2", metrics.NOT_SHARED_TEXT),
    "missing": ("", gettext_lazy("nog geen cijfer")),
    "no_total": ("", gettext_lazy("telt niet op")),
}


def _shown(metric: Metric, cell: selectors.Cell | None, shared: bool, *, unit: bool) -> Shown:
    if not shared:
        return Shown(metrics.EMPTY, "not_shared")
    if cell is None:
        return Shown(metrics.EMPTY, "missing")
    if cell.suppressed or cell.value is None:
        return Shown(metrics.EMPTY, "suppressed")
    text = metrics.value_text if unit else metrics.number_text
    return Shown(text(metric, cell.value))


def _metric(code: tuple[str, str]) -> Metric:
    return metrics.BY_CODE[code]


def _version_and_months(
    network: Network, visible: list[Visible], last_run: dt.datetime | None
) -> tuple[str, list[dt.date]]:
    """The figures' version (selectors.figures_version) and the months with figures. The
    figures change once a night: what is drawn from them (the month picker's months, the
    dashboard's table, the CSV) is kept under a key that changes with them."""
    version = selectors.figures_version(visible=visible, last_run=last_run)
    months: list[dt.date] = (
        cache.get_or_set(
            f"network-months:{network.pk}:{version}:{timezone.localdate()}",
            lambda: selectors.months_with_figures(visible=visible),
            CACHE_SECONDS,
        )
        or []
    )
    return version, months


def _month_form(request: HttpRequest, months: list[dt.date]) -> MonthForm:
    initial = {"maand": month_code(months[0])} if months else {}
    return MonthForm(request.GET or None, months=months, initial=initial)


class NetworkDashboardView(NetworkView):
    def get(self, request: HttpRequest) -> HttpResponse:
        visible = cooperatives_visible_to_network(network=self.network)
        last_run = selectors.last_run(visible=visible)
        # The table is only read and drawn when the template finds no copy under the figures'
        # version (a callable in the context is called when the template first uses it).
        version, months = _version_and_months(self.network, visible, last_run)
        form = _month_form(request, months)
        month = form.chosen()
        # 50 cooperatives a page (a national network has hundreds); the totals are over all.
        page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("pagina"))
        columns = [_metric(code) for code in DASHBOARD]
        labels = [str(metric.label) for metric in columns]  # translated once, not per cell

        def table() -> list[tuple[Cooperative, list[tuple[str, Shown]]]]:
            rows = selectors.dashboard_rows(visible=list(page), month=month) if month else []
            return [
                (
                    row.visible.cooperative,
                    [
                        (
                            label,
                            _shown(
                                _metric(code), row.cells.get(code), row.shares(code[0]), unit=False
                            ),
                        )
                        for label, code in zip(labels, DASHBOARD, strict=True)
                    ],
                )
                for row in rows
            ]

        def total_cells() -> list[tuple[str, Shown]]:
            totals = selectors.dashboard_totals(visible=visible, month=month) if month else {}
            return [
                (
                    label,
                    Shown(metrics.number_text(_metric(code), total.value))
                    if (total := totals.get(code)) and total.value is not None
                    else Shown(metrics.EMPTY, "no_total"),
                )
                for label, code in zip(labels, DASHBOARD, strict=True)
            ]

        return self.render_page(
            "dashboards/dashboard.html",
            {
                "visible": visible,
                "form": form,
                "month": month,
                "month_code": month_code(month) if month else "",
                "columns": columns,
                "table": table,
                "page": page,
                "cooperatives_count": len(visible),
                "total_cells": total_cells,
                "figures_version": version,
                "cache_seconds": CACHE_SECONDS,
                "last_run": last_run,
                "suppressed_text": metrics.SUPPRESSED_TEXT,
                "not_shared_text": metrics.NOT_SHARED_TEXT,
            },
        )


CSV_COLUMNS = (
    "cooperatie",
    "code",
    "maand",
    "groep",
    "cijfer",
    "omschrijving",
    "onderverdeling",
    "waarde",
    "eenheid",
    "onderdrukt",
)


def _csv_safe(text: str) -> str:
    """A name or a cluster starting with =, +, - or @ is text, not a formula, in a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


class NetworkFiguresCsvView(NetworkView):
    """Every shared cell of the visible cooperatives for the chosen month (the latest by
    default), one line each; a suppressed cell has an empty value and "ja" under onderdrukt."""

    def get(self, request: HttpRequest) -> HttpResponse:
        visible = cooperatives_visible_to_network(network=self.network)
        version, months = _version_and_months(
            self.network, visible, selectors.last_run(visible=visible)
        )
        form = _month_form(request, months)
        if form.is_bound and not form.is_valid():
            raise Http404
        month = form.chosen()
        stamp = month_code(month) if month else timezone.localdate().strftime("%Y-%m")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="cijfers-{self.network.slug}-{stamp}.csv"'
        )
        text: str = (
            cache.get_or_set(
                f"network-csv:{self.network.pk}:{version}:{stamp}:{get_language()}",
                lambda: _csv_text(visible, month),
                CACHE_SECONDS,
            )
            or ""
        )
        response.write(text)
        return response


def _csv_text(visible: list[Visible], month: dt.date | None) -> str:
    # Written to a buffer and sent at once: the response encodes every write apart.
    buffer = io.StringIO()
    # A byte order mark, so a spreadsheet opens the accents as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    rows = selectors.month_rows(visible=visible, month=month) if month else []
    # Everything said once per cooperative, month and metric, not once per line (a national
    # network has tens of thousands of lines).
    who = {v.cooperative.pk: (_csv_safe(v.cooperative.name), v.cooperative.slug) for v in visible}
    words = {m: (m.group, m.key, str(m.label), str(m.unit), m.decimals) for m in metrics.METRICS}
    codes = {row[1] for row in rows}
    when = {m: month_code(m) for m in codes}
    writer.writerows(
        [
            *who[cooperative_id],
            when[on],
            words[metric][0],
            words[metric][1],
            words[metric][2],
            _csv_safe(dimension) if dimension else "",
            "" if value is None else f"{value:.{words[metric][4]}f}",
            words[metric][3],
            "ja" if suppressed else "nee",
        ]
        for cooperative_id, on, metric, dimension, value, suppressed in rows
    )
    return buffer.getvalue()


@dataclass(frozen=True)
class TrendTable:
    """One metric over the months: a chart per series and the table of the same numbers."""

    metric: Metric
    anchor: str
    charts: list[Chart]
    headers: list[str]
    rows: list[tuple[str, list[tuple[str, Shown]]]]


class NetworkCooperativeView(NetworkView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        visible = visible_cooperative(network=self.network, slug=slug)
        if visible is None:
            raise Http404
        cooperative = visible.cooperative
        latest = selectors.months_with_figures(visible=[visible])
        months = selectors.trend_months(last=latest[0] if latest else timezone.localdate())
        trend = []
        for series in selectors.cooperative_trend(visible=visible, months=months):
            metric = series.metric
            # A metric with a whole-cooperative figure is drawn as that; one without (the six
            # dimensions of wellbeing) as one chart per dimension.
            drawn = [""] if "" in series.dimensions else series.dimensions
            charts = [
                chart_draw(
                    title=self._chart_title(metric, dimension, cooperative.name),
                    metric=metric,
                    months=months,
                    values=[
                        cell.value if (cell := series.cell(dimension, m)) else None for m in months
                    ],
                )
                for dimension in drawn
            ]
            headers = [str(metrics.dimension_label(d)) for d in series.dimensions]
            rows = [
                (
                    _month_label(month),
                    [
                        (header, _shown(metric, series.cell(dimension, month), True, unit=False))
                        for header, dimension in zip(headers, series.dimensions, strict=True)
                    ],
                )
                for month in months
            ]
            trend.append(
                TrendTable(
                    metric=metric,
                    anchor=f"{metric.group}-{metric.key}".replace("_", "-"),
                    charts=charts,
                    headers=headers,
                    rows=rows,
                )
            )
        groups = [(group, group.key in visible.groups) for group in GROUPS]
        return self.render_page(
            "dashboards/cooperative.html",
            {
                "cooperative": None,  # base.html: this is the apex, not the cooperative's site
                "seen": cooperative,
                "groups": groups,
                "trend": trend,
                "first_month": months[0],
                "last_month": months[-1],
                "last_run": selectors.last_run(visible=[visible]),
                "suppressed_text": metrics.SUPPRESSED_TEXT,
            },
        )

    @staticmethod
    def _chart_title(metric: Metric, dimension: str, name: str) -> str:
        label = str(metric.label)
        if dimension:
            label = f"{label}: {metrics.dimension_label(dimension)}"
        return _("%(metric)s van %(name)s per maand, in %(unit)s") % {
            "metric": label,
            "name": name,
            "unit": metric.unit,
        }


def _month_label(month: dt.date) -> str:
    return date_format(month, "F Y")
