"""One aggregate cell, as computed inside a cooperative's schema before it may leave it.

``count`` is how many members or services the cell is about: the suppression rule
(``tenants.figures.suppression``) hides a cell whose count is under five, whatever its value
(an average over four answers is hidden like a count of four). ``table`` groups the cells that
add up to one total (the clusters of one month's services and their total): complementary
suppression works within a table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Cell:
    month: dt.date  # the first day of the month
    group: str  # a key of cooperatives.figures.catalog.GROUPS
    metric: str
    value: Decimal
    count: int  # members or services behind the value
    dimension: str = ""  # a cluster's name, a member kind; "" for the whole cooperative
    # Cells of one table add up to its total (the cell whose dimension is ""); None when the
    # cell stands alone (a median, a share).
    table: str | None = None
