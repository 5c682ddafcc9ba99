"""The filter of the API's application list (and its OpenAPI schema): by status."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from cooperatives.joining.models import Application


class _AnyChoiceField(forms.ChoiceField):
    """Offers the choices, but lets any value through: a status that does not exist finds no
    application, as it always has, rather than being refused."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip()

    def valid_value(self, value: Any) -> bool:
        return True


class _StatusFilter(django_filters.ChoiceFilter):
    field_class = _AnyChoiceField


class ApplicationFilter(django_filters.FilterSet):
    status = _StatusFilter(choices=Application.Status.choices, label="filter")

    class Meta:
        model = Application
        fields = ["status"]
