"""CSV downloads for a Dutch spreadsheet: ';' between columns, a decimal comma, a byte-order
mark so the accents are read as UTF-8, and text that never runs as a formula."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_response(filename: str) -> tuple[HttpResponse, Any]:
    """A download response named ``filename`` and a csv writer that writes into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv.writer(response, delimiter=";", lineterminator="\r\n")


def csv_decimal(value: Decimal) -> str:
    """A decimal comma and no thousands separator: what a Dutch spreadsheet reads as a number."""
    return f"{value:.2f}".replace(".", ",")


def csv_text(text: str) -> str:
    """Text a person typed (a name, a memo) never runs as a spreadsheet formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
