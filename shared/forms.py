"""Form fields every feature uses for dates and times: typed and shown as dd-mm-jjjj and
HH:MM, whatever language the browser speaks.

A browser's own date picker (``<input type=date>``) writes and shows the date in the order of
the browser's locale, so an English Chromium asks a Dutch member for 12/03/2026 meaning
December. These are plain text fields instead: large, the same on every screen, with a numeric
keyboard on a phone. They forgive what people type: 3-12-2026, 03-12-2026, 3/12/2026,
3.12.2026, 3 12 2026 and 03122026 (a phone's number pad has no dash) are all the third of
December; ISO (2026-12-03) works too, for scripts and the API's filters. Anything else gets
one plain Dutch sentence with an example.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d-%m-%Y"  # how a date is shown in a field: 03-12-2026
TIME_FORMAT = "%H:%M"

_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{4})$")
_DIGITS_ONLY = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_HOURS_MINUTES = re.compile(r"^(\d{1,2})(?:\s*[:.hu]\s*(\d{2}))?(?:\s*uur)?$")
_TIME_DIGITS = re.compile(r"^(\d{1,2})(\d{2})$")

# The example's day is above 12, so that it cannot be read month first.
DATE_INVALID = _("Vul een datum in als dag-maand-jaar, bijvoorbeeld 25-12-2026.")
DATE_IMPOSSIBLE = _(
    "Die datum bestaat niet. Vul een datum in als dag-maand-jaar, bijvoorbeeld 25-12-2026."
)
TIME_INVALID = _("Vul een tijd in als uren:minuten, bijvoorbeeld 14:30.")


def parse_date(value: str) -> dt.date | None:
    """The date in what a person typed, or None when it is not a date we understand.

    Raises ValueError for a date in the right shape that does not exist (31-02-2026)."""
    text = (value or "").strip()
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_MONTH_YEAR.match(text) or _DIGITS_ONLY.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    return dt.date(year, month, day)


def parse_time(value: str) -> dt.time | None:
    """The time in "14:30", "14.30", "1430", "9:00", "9" or "9 uur"; None if not a time.

    Raises ValueError for a time in the right shape that does not exist (25:00)."""
    text = (value or "").strip().lower()
    match = _HOURS_MINUTES.match(text) or _TIME_DIGITS.match(text)
    if match is None:
        return None
    hours, minutes = match.groups()
    return dt.time(int(hours), int(minutes or 0))


class DateInput(forms.DateInput):
    """A text field for a date: numeric keyboard, shown as 03-12-2026."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": _("dd-mm-jjjj"),
            "size": "10",
        }
        super().__init__({**defaults, **(attrs or {})}, format=format or DATE_FORMAT)


class TimeInput(forms.TimeInput):
    """A text field for a time of day, shown as 14:30."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None):
        defaults = {"inputmode": "numeric", "autocomplete": "off", "placeholder": _("uu:mm")}
        super().__init__({**defaults, **(attrs or {})}, format=format or TIME_FORMAT)


class DateField(forms.DateField):
    """A date typed as dd-mm-jjjj (or as people also write it; see the module), refused in
    plain Dutch otherwise."""

    widget = DateInput
    default_error_messages = {
        "required": _("Vul een datum in."),
        "invalid": DATE_INVALID,
        "impossible": DATE_IMPOSSIBLE,
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("help_text", _("Dag-maand-jaar, bijvoorbeeld 25-12-2026."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            parsed = parse_date(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["impossible"], code="invalid") from None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class TimeField(forms.TimeField):
    """A time of day typed as HH:MM (or 14.30, 1430, 9), refused in plain Dutch otherwise."""

    widget = TimeInput
    default_error_messages = {"required": _("Vul een tijd in."), "invalid": TIME_INVALID}

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("help_text", _("Uren:minuten, bijvoorbeeld 14:30."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.time | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        try:
            parsed = parse_time(str(value))
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed
