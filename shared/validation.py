"""Helpers every feature's services share: Dutch postcodes, free tags, refusals with a code."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


def normalize_postcode(value: str, *, field: str = "postcode") -> str:
    """'3581 ab' → '3581AB'; empty stays empty; anything else is refused in Dutch."""
    cleaned = re.sub(r"\s+", "", value or "").upper()
    if cleaned and not _POSTCODE.match(cleaned):
        raise ValidationError(
            {field: [_("Vul een geldige postcode in, bijvoorbeeld 3581 AB.")]}, code="invalid"
        )
    return cleaned


def clean_tags(values: list[str] | str | None, *, max_length: int = 60) -> list[str]:
    """Free tags from a list or a comma-separated string: trimmed, without doubles."""
    if isinstance(values, str):
        values = values.split(",")
    seen: dict[str, str] = {}
    for value in values or []:
        tag = " ".join(str(value).split())[:max_length]
        if tag and tag.lower() not in seen:
            seen[tag.lower()] = tag
    return list(seen.values())


def actor_id(actor: object | None) -> int | None:
    return getattr(actor, "pk", None)


def field_error(field: str | None, message: str, code: str = "invalid") -> ValidationError:
    """A refusal about one field (or the whole input when ``field`` is None) with its code.

    The code sits on the inner error: Django drops a code given next to a dict, and the API
    reports the inner one."""
    return ValidationError({field or "__all__": ValidationError(message, code=code)})
