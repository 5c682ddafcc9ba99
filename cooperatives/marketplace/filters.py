"""The marketplace's list filters (django-filter). One FilterSet serves the page, the API and
the OpenAPI schema. The API and its schema use the filters' own names; a page's address bar
uses Dutch ones (``names``), as it always has: ``/markt/?buurt=3&van=14-03-2026``,
``/api/v1/requests/?neighbourhood=3&date_from=2026-03-14``.

A value that is not valid is left out on a page (the filter form shows why) and answered with
400 by the API (``DjangoFilterBackend``). What a filter means is a selector's business: the
FilterSets only read the parameters and hand them to ``selectors``."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cooperatives.marketplace import selectors
from cooperatives.marketplace.models import HelpRequest, Offer, Service
from cooperatives.setup.models import Cluster, Neighbourhood
from shared.forms import DateField

# The names the marketplace page uses in its address.
PAGE_NAMES = {"neighbourhood": "buurt", "date_from": "van", "date_to": "tot"}


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    """The id of a record (a cluster, a buurt): any whole number is read, one that names
    nothing here finds nothing."""

    field_class = forms.IntegerField


@extend_schema_field(
    {
        "type": "integer",
        "enum": [1],
        "description": "1: alle diensten die u als coördinator of buurtassistent begeleidt",
    }
)
class AllServicesFilter(django_filters.Filter):
    """On with 1; any other value is the same as leaving it out."""

    field_class = forms.CharField


def _choices(records: Callable[[], QuerySet[Any]], everything: Any) -> CallableChoiceIterator:
    """Options for a page's select, read when the page is drawn (not for the API)."""
    return CallableChoiceIterator(
        lambda: [("", everything), *((record.pk, str(record)) for record in records())]
    )


def _select(records: Callable[[], QuerySet[Any]], everything: Any) -> forms.Select:
    return forms.Select(choices=_choices(records, everything))


class DateFilter(django_filters.DateFilter):
    """A date as people type it (dd-mm-jjjj) on the page, ISO in the API: shared.forms."""

    field_class = DateField


def _date(label: Any) -> DateFilter:
    return DateFilter(label=label)


class MarketplaceFilterSet(django_filters.FilterSet):
    """A FilterSet a page may address by names of its own; ``values()`` gives the valid values
    by the filters' own names."""

    def __init__(
        self,
        data: QueryDict | None = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: HttpRequest | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(data, queryset, request=request)
        if names:
            self.filters = OrderedDict(
                (names.get(name, name), f) for name, f in self.filters.items()
            )

    def values(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.form.is_valid()  # leaves the values that are valid in cleaned_data
        return {
            self.filters[name].field_name or name: value
            for name, value in self.form.cleaned_data.items()
        }


class RequestFilter(MarketplaceFilterSet):
    cluster = IdFilter(
        label=_("Cluster"),
        widget=_select(lambda: Cluster.objects.filter(is_active=True), _("Alle clusters")),
    )
    neighbourhood = IdFilter(
        label=_("Buurt"), widget=_select(Neighbourhood.objects.all, _("Alle buurten"))
    )
    date_from = _date(_("Vanaf datum"))
    date_to = _date(_("Tot en met datum"))

    def filter_queryset(self, queryset: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
        values = self.values()
        return selectors.requests_filter(
            queryset,
            cluster_id=values.get("cluster"),
            neighbourhood_id=values.get("neighbourhood"),
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
        )


class OfferFilter(MarketplaceFilterSet):
    cluster = IdFilter()
    neighbourhood = IdFilter()  # where the volunteer lives

    def filter_queryset(self, queryset: QuerySet[Offer]) -> QuerySet[Offer]:
        values = self.values()
        return selectors.offers_filter(
            queryset,
            cluster_id=values.get("cluster"),
            neighbourhood_id=values.get("neighbourhood"),
        )


class ServiceFilter(MarketplaceFilterSet):
    """A member's own services; with ``all=1`` (the page: ``alle=1``) every service the
    queryset holds, which for a coordinator or neighbourhood assistant are those they look
    after. The request must come from a logged-in member."""

    all = AllServicesFilter()

    def wants_all(self) -> bool:
        return self.values().get("all") == "1"

    def filter_queryset(self, queryset: QuerySet[Service]) -> QuerySet[Service]:
        user_id = self.request.user.pk if self.request is not None else None
        if user_id is None:
            return queryset.none()
        if self.wants_all():
            return queryset
        return selectors.services_own(queryset, user_id=user_id)
