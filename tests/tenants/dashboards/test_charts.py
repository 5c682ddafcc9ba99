"""The server-side charts: a round scale, bars or a line, and a dash where a month has no
figure (suppressed or missing) instead of a bar of zero."""

import datetime as dt
from decimal import Decimal

from django.utils import translation

from tenants.dashboards.charts import chart_draw
from tenants.dashboards.metrics import BY_CODE

MONTHS = [dt.date(2026, m, 1) for m in (9, 10, 11)]


def test_a_bar_chart_scales_to_a_round_number_and_marks_a_missing_month(db):
    chart = chart_draw(
        title="Diensten",
        metric=BY_CODE[("help", "services")],
        months=MONTHS,
        values=[Decimal(40), None, Decimal(70)],
    )
    assert chart.kind == "bar" and chart.top_label == "100"
    first, missing, last = chart.marks
    assert (first.shown, missing.shown, last.shown) == (True, False, True)
    assert missing.height == 0 and missing.value_label == "–"
    assert last.height > first.height
    assert chart.line == ""


def test_a_share_is_drawn_as_a_line_through_the_shown_months_only(db):
    with translation.override("nl"):
        chart = chart_draw(
            title="Hulp in dezelfde straat",
            metric=BY_CODE[("help", "same_street_share")],
            months=MONTHS,
            values=[Decimal("27.5"), None, Decimal("30")],
        )
    assert chart.kind == "line"
    assert len(chart.line.split(" ")) == 2
    assert chart.marks[0].value_label == "27,5"
