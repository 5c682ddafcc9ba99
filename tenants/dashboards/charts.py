"""Charts drawn on the server as SVG: bars for counts and amounts, a line for shares, medians
and averages. No script and no third-party origin; the page puts the same numbers in a table
beside every chart, so a screen reader (or a printer) loses nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import dateformat

from tenants.dashboards.metrics import Metric, number_text

WIDTH = 640
HEIGHT = 240
LEFT = 56  # room for the scale's numbers
RIGHT = 8
TOP = 16
BOTTOM = 36  # room for the months


@dataclass(frozen=True)
class Mark:
    """One month on the chart: a bar (x, y, width, height) or a point (cx = x + width / 2, y)."""

    x: float
    y: float
    width: float
    height: float
    month_label: str
    value_label: str
    shown: bool  # False: suppressed or missing, drawn as a dash on the axis

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Chart:
    title: str
    kind: str  # "bar" or "line"
    marks: list[Mark]
    top_label: str  # the value at the top of the scale
    line: str  # the polyline's points for a line chart ("" for bars)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def axis_right(self) -> int:
        return self.width - RIGHT

    @property
    def label_y(self) -> int:
        return self.height - 12


def _scale_top(values: Sequence[Decimal]) -> Decimal:
    """A round number at or above the largest value, so the scale reads easily."""
    largest = max(values, default=Decimal(0))
    if largest <= 0:
        return Decimal(1)
    step = Decimal(1)
    while step * 10 <= largest:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= largest:
            return step * factor
    return largest


def chart_draw(
    *, title: str, metric: Metric, months: Sequence[dt.date], values: Sequence[Decimal | None]
) -> Chart:
    """The chart of one series: ``values`` per month (None when suppressed or not there)."""
    shown = [v for v in values if v is not None]
    top = _scale_top([abs(v) for v in shown])
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(months), 1)
    marks: list[Mark] = []
    for index, (month, value) in enumerate(zip(months, values, strict=True)):
        x = LEFT + index * slot + slot * 0.15
        height = 0.0 if value is None else float(abs(value) / top) * plot_height
        marks.append(
            Mark(
                x=round(x, 1),
                y=round(TOP + plot_height - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                month_label=dateformat.format(month, "M"),
                value_label=number_text(metric, value),
                shown=value is not None,
            )
        )
    line = ""
    if metric.chart == "line":
        line = " ".join(f"{m.middle},{m.y}" for m in marks if m.shown)
    return Chart(
        title=title,
        kind=metric.chart,
        marks=marks,
        top_label=number_text(metric, top),
        line=line,
    )
