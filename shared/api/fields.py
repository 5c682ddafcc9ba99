"""Ids are integers: DRF's PrimaryKeyRelatedField hands 1.5 to the database as 1 (Django's
IntegerField rounds it down), so ``"member": 1.5`` booked points for member 1. These fields
take an int, or a string of digits (a form), and nothing else: not 1.5, "1.5", 1.0 or true."""

from __future__ import annotations

import re
from typing import Any

from rest_framework import serializers

_DIGITS = re.compile(r"^-?[0-9]+$")


def is_strict_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and bool(_DIGITS.match(value)))


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    def to_internal_value(self, data: Any) -> Any:
        if not is_strict_int(data):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if not is_strict_int(data):
            self.fail("invalid")
        return super().to_internal_value(data)
