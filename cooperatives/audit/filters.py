"""The audit log's filters. The API filters on the action's code (``action=member.`` finds
every change to members); the page offers the same log by subject in plain words (``soort``:
"Leden", "Punten", ...), each subject a group of codes."""

from __future__ import annotations

from collections import OrderedDict

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from shared.audit.models import AuditEntry

# The page's subjects: its value in the address, its name, and the beginnings of its actions.
SUBJECTS = {
    "leden": (_("Leden en hun rollen"), ("member.",)),
    "aanmeldingen": (_("Aanmeldingen en uitnodigingen"), ("application.", "invitation.")),
    "spelregels": (_("Spelregels en tarieven"), ("rulebook.",)),
    "inrichting": (_("Buurten, clusters en partners"), ("neighbourhood.", "cluster.", "partner.")),
    "markt": (_("Hulpvragen, aanbod en diensten"), ("request.", "offer.", "response.", "service.")),
    "punten": (_("Punten"), ("points.",)),
    "geld": (_("Klussen, vergoeding en abonnement"), ("klus.", "allowance.", "billing.")),
}


class AuditFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(
        lookup_expr="startswith", label="begin van de handeling, bv. member."
    )

    class Meta:
        model = AuditEntry
        fields = ["action"]

    @classmethod
    def for_page(cls, data: QueryDict, *, queryset: QuerySet[AuditEntry]) -> AuditFilter:
        """The page's filter: by subject, under the Dutch parameter ``soort``."""
        filterset = cls(data, queryset=queryset)
        subject = django_filters.ChoiceFilter(
            label=_("Onderwerp"),
            empty_label=_("Alles"),
            choices=[(key, label) for key, (label, _prefixes) in SUBJECTS.items()],
            method="filter_subject",
        )
        # What FilterSet sets on its declared filters (the stubs do not name them).
        subject.model, subject.parent = AuditEntry, filterset  # type: ignore[attr-defined]
        filterset.filters = OrderedDict(soort=subject)
        return filterset

    def filter_subject(
        self, queryset: QuerySet[AuditEntry], name: str, value: str
    ) -> QuerySet[AuditEntry]:
        query = Q()
        for prefix in SUBJECTS[value][1]:
            query |= Q(action__startswith=prefix)
        return queryset.filter(query)
