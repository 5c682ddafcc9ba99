"""Search and filters of the member list: one FilterSet for the API (and its OpenAPI schema)
and the page.

The API takes ``search``, ``neighbourhood`` (a buurt's id), ``role`` and ``status`` (``all``
for every status) and refuses a wrong value. The page keeps the Dutch parameters its links and
bookmarks have always used (``zoek``, ``buurt``, ``rol``, ``status`` with ``alle``), offers only
the buurten the viewer may filter on, and ignores a wrong value, as a search form should. Both
show active members until asked for another status.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cooperatives.governance.selectors import members_with_seat_role
from cooperatives.members.models import SEAT_ROLES, Member, Role
from cooperatives.setup.models import Neighbourhood

ALL_STATUSES = "all"
ALL_STATUSES_PAGE = "alle"


class _IdFilter(django_filters.NumberFilter):
    """A whole number (an id), not any number."""

    # The stubs fix NumberFilter's field to DecimalField; an id is a whole number.
    field_class = forms.IntegerField  # type: ignore[assignment]


class MemberFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label=_("Zoek op naam, e-mailadres, straat of postcode")
    )
    neighbourhood = _IdFilter(method="filter_neighbourhood", label="id van een buurt")
    role = django_filters.ChoiceFilter(
        method="filter_role",
        choices=Role.choices,
        label=_("Rol"),
        empty_label=_("Alle rollen"),
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[*Member.Status.choices, (ALL_STATUSES, _("alle"))],
        label=_("Status"),
    )

    class Meta:
        model = Member
        fields = ["search", "neighbourhood", "role", "status"]

    @classmethod
    def for_page(
        cls,
        data: QueryDict | None,
        *,
        queryset: QuerySet[Member],
        neighbourhoods: QuerySet[Neighbourhood],
    ) -> MemberFilter:
        """The page's form: the same filters under the page's Dutch names, the buurten in
        ``neighbourhoods`` to choose from, and every status or ``alle``."""
        filterset = cls(data, queryset=queryset)
        api = filterset.filters
        page = {
            "zoek": api["search"],
            "buurt": django_filters.ModelChoiceFilter(
                field_name="neighbourhood",
                queryset=neighbourhoods,
                label=_("Buurt"),
                empty_label=_("Alle buurten"),
            ),
            "rol": api["role"],
            "status": django_filters.ChoiceFilter(
                method="filter_status",
                choices=[*Member.Status.choices, (ALL_STATUSES_PAGE, _("alle"))],
                label=_("Status"),
                empty_label=None,
                initial=Member.Status.ACTIVE,
            ),
        }
        for filter_ in page.values():
            # What FilterSet sets on its declared filters (the stubs do not name them).
            filter_.model, filter_.parent = Member, filterset  # type: ignore[attr-defined]
        filterset.filters = OrderedDict(page)
        return filterset

    @property
    def qs(self) -> QuerySet[Member]:
        # django-filter leaves an empty query unfiltered; this list shows active members then.
        if not hasattr(self, "_qs"):
            if self.is_bound:
                self.errors  # noqa: B018 (validates the form, so that cleaned_data exists)
            assert self.queryset is not None  # the views always pass one
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def filter_queryset(self, queryset: QuerySet[Member]) -> QuerySet[Member]:
        """Every filter with its valid value; a missing or wrong one counts as empty (the
        API has refused a wrong one before it gets here)."""
        values: dict[str, Any] = getattr(self.form, "cleaned_data", {})
        for name, filter_ in self.filters.items():
            if name == "status":
                queryset = self.filter_status(queryset, name, values.get(name))
            else:
                queryset = filter_.filter(queryset, values.get(name))
        return queryset

    def filter_search(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        """Part of the name, email address or street, or of the postcode written either way
        ("3581 ab" finds 3581AB)."""
        terms = value.strip()
        return queryset.filter(
            Q(name__icontains=terms)
            | Q(email__icontains=terms)
            | Q(street__icontains=terms)
            | Q(postcode__icontains=terms.replace(" ", "").upper())
        )

    def filter_role(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        """A stored role, or a board or kascommissie role through a seat active today."""
        if value in SEAT_ROLES:
            return queryset.filter(pk__in=members_with_seat_role(role=value).values("pk"))
        return queryset.filter(role_assignments__role=value)

    def filter_neighbourhood(
        self, queryset: QuerySet[Member], name: str, value: int
    ) -> QuerySet[Member]:
        return queryset.filter(neighbourhood_id=value)

    def filter_status(
        self, queryset: QuerySet[Member], name: str, value: str | None
    ) -> QuerySet[Member]:
        if value in (ALL_STATUSES, ALL_STATUSES_PAGE):
            return queryset
        return queryset.filter(status=value or Member.Status.ACTIVE)
