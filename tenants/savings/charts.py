"""Bar charts of the Triple Aim page, drawn on the server as SVG: no script, no third-party
origin, no style attribute (the coming CSP forbids inline styles; SVG's presentation
attributes are not styles). Each chart sits beside the table with the same numbers, which is
what a screen reader reads: the SVG is an image with a title, and hidden from the
accessibility tree's details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
HEIGHT = 200
BOTTOM = 30  # room for the month labels
TOP = 20  # room for the value above the highest bar


def bar_chart(*, title: str, bars: Sequence[tuple[dt.date, Decimal | None]]) -> SafeString:
    """One bar per month, its height in proportion to the highest; a month without a value
    has no bar and shows a dash."""
    highest = max((value for _month, value in bars if value is not None), default=Decimal(0))
    slot = WIDTH / max(len(bars), 1)
    room = HEIGHT - BOTTOM - TOP
    parts = []
    for index, (month, value) in enumerate(bars):
        x = index * slot + slot * 0.15
        label = formats.date_format(month, "M")
        shown = "–" if value is None else formats.number_format(value, decimal_pos=0)
        height = 0.0 if value is None or not highest else float(value / highest) * room
        y = HEIGHT - BOTTOM - height
        parts.append(
            (
                f"{x:.1f}",
                f"{y:.1f}",
                f"{slot * 0.7:.1f}",
                f"{height:.1f}",
                f"{x + slot * 0.35:.1f}",
                f"{y - 4:.1f}",
                shown,
                f"{HEIGHT - BOTTOM + 18:.1f}",
                label,
            )
        )
    body = format_html_join(
        "",
        '<rect x="{0}" y="{1}" width="{2}" height="{3}" fill="#00567a"></rect>'
        '<text x="{4}" y="{5}" text-anchor="middle" font-size="12" fill="#111">{6}</text>'
        '<text x="{4}" y="{7}" text-anchor="middle" font-size="12" fill="#111">{8}</text>',
        parts,
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        '<title>{}</title><line x1="0" y1="{}" x2="{}" y2="{}" stroke="#111"></line>{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        title,
        HEIGHT - BOTTOM,
        WIDTH,
        HEIGHT - BOTTOM,
        body,
    )
