"""Numbers as a person reads them on the savings pages: a share as 0,6 rather than 0,600, in
the page's language."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """The number without trailing zeros, localised (0.600 → "0,6"; 100.00 → "100")."""
    if value is None:
        return ""
    return formats.number_format(Decimal(format(Decimal(value).normalize(), "f")))
