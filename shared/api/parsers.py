"""The API's JSON parser, stricter than DRF's own, and the checks on input that every request
passes (used here and by ``shared.bad_input.BadInputMiddleware``, so that an endpoint that
never reads its body answers bad input the same way).

Why our own parser: DRF's JSONParser refuses NaN and Infinity but lets the json module recurse
into 1,000 levels of brackets (a RecursionError, so a 500), and passes NUL characters through
to PostgreSQL, which refuses them in text (another 500). Neither is a question for a
serializer: no field of the API takes a NUL, a NaN or a structure more than a few levels deep.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser

# No request of the API nests deeper than a few levels (a rulebook's rates per cluster is 2).
MAX_DEPTH = 20
# The most items of one list and characters of one string anywhere in a request; fields with a
# smaller sensible maximum (a member's languages, a description) say so themselves.
MAX_ITEMS = 1000
MAX_STRING = 20_000
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class BadInput(ValueError):
    """Input that no endpoint takes: ``attr`` (a dotted path, or None) and a ``code``."""

    def __init__(self, attr: str | None, code: str, detail: str):
        super().__init__(detail)
        self.attr, self.code, self.detail = attr, code, detail

    def as_validation_error(self) -> ValidationError:
        return ValidationError({self.attr or "non_field_errors": [self.detail]}, code=self.code)


def null_character() -> str:
    return _("Dit bevat een ongeldig teken (een nul-teken). Haal het weg en probeer het opnieuw.")


def _refuse_constant(name: str) -> Any:
    raise BadInput(None, "not_a_number", _("%(value)s is geen getal.") % {"value": name})


def _check_text(text: str, attr: str | None) -> None:
    if "\x00" in text:
        raise BadInput(attr, "null_characters_not_allowed", null_character())
    if len(text) > MAX_STRING:
        raise BadInput(
            attr, "max_length", _("Dit is te lang (ten hoogste %(n)d tekens).") % {"n": MAX_STRING}
        )


def check_structure(data: Any) -> None:
    """Walk parsed input without recursion: depth, list sizes, text without NUL."""
    stack: list[tuple[Any, str | None, int]] = [(data, None, 1)]
    while stack:
        value, attr, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value, attr)
            continue
        if isinstance(value, float) and not math.isfinite(value):  # 1e999 parses as inf
            raise BadInput(attr, "not_a_number", _("%(value)s is geen getal.") % {"value": value})
        if not isinstance(value, Mapping | list):
            continue
        if depth > MAX_DEPTH:
            raise BadInput(None, "too_deep", _("De invoer is te diep genest."))
        if isinstance(value, list):
            if len(value) > MAX_ITEMS:
                raise BadInput(
                    attr,
                    "max_length",
                    _("Dit zijn te veel onderdelen (ten hoogste %(n)d).") % {"n": MAX_ITEMS},
                )
            stack.extend((item, attr, depth + 1) for item in value)
        else:
            for key, item in value.items():
                name = f"{attr}.{key}" if attr else str(key)
                _check_text(str(key), attr)
                stack.append((item, name, depth + 1))


def loads(text: str) -> Any:
    """JSON text as Python, or BadInput / ValueError (not JSON)."""
    # The bracket count comes first: json.loads itself recurses into deep nesting. Strings are
    # matched whole, so brackets inside them do not count.
    depth = 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise BadInput(None, "too_deep", _("De invoer is te diep genest."))
        elif bracket in "]}":
            depth -= 1
    data = json.loads(text, parse_constant=_refuse_constant)
    check_structure(data)
    return data


class StrictJSONParser(JSONParser):
    """DRF's JSON parser with the checks above; every refusal a structured 400."""

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            return loads(raw.decode(encoding))
        except BadInput as error:
            raise error.as_validation_error() from None
        except ValueError as error:  # not JSON, or not in the encoding
            raise ValidationError(
                {"non_field_errors": [_("Dit is geen geldige JSON.")]}, code="parse_error"
            ) from error
