"""The list filters of the points API (django-filter), read by the API and its OpenAPI
schema."""

from __future__ import annotations

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

from cooperatives.points.models import YearEndSnapshot


class IgnoreInvalidFilterBackend(DjangoFilterBackend):
    """A value that is not valid is left out instead of answered with 400 (the snapshot list
    has always read ``?year=abc`` as no year at all)."""

    raise_exception = False


@extend_schema_field({"type": "integer", "description": "Alleen dit jaar"})
class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class SnapshotFilter(django_filters.FilterSet):
    year = YearFilter(min_value=0)

    class Meta:
        model = YearEndSnapshot
        fields = ["year"]
