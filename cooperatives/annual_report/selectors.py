"""Reads of the annual report: which reports a member may see (a draft only the board and the
kascommissie), a report's figures (computed while it is a draft, stored once approved) and
those figures laid out for a page or a PDF."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from cooperatives.annual_report.models import AnnualReport
from cooperatives.annual_report.sections import report_figures_compute, report_section
from cooperatives.members.models import Member
from shared import permissions

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def may(member: Member, action: str) -> bool:
    return permissions.can(cast(permissions.Actor, member), action)


def reports_visible(*, viewer: Member) -> QuerySet[AnnualReport]:
    """Every report for the board and the kascommissie; approved ones for other members."""
    reports = AnnualReport.objects.select_related("approved_by", "discharge").order_by("-year")
    if may(viewer, "report.view"):
        return reports
    return reports.filter(status=AnnualReport.Status.APPROVED)


def report_get(*, viewer: Member, year: int) -> AnnualReport | None:
    return reports_visible(viewer=viewer).filter(year=year).first()


def report_figures(*, report: AnnualReport) -> dict[str, dict[str, Any]]:
    """The figures as stored when the ALV approved the report; for a draft, as they are now."""
    if report.frozen:
        stored: dict[str, dict[str, Any]] = report.figures
        return stored
    return report_figures_compute(year=report.year)


# --- laid out for reading -----------------------------------------------------------------------


@dataclass
class Row:
    label: str
    value: str
    level: int = 0


@dataclass
class Table:
    label: str
    head: list[str]
    rows: list[list[str]]


@dataclass
class SectionView:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def value_display(value: Any) -> str:
    """A stored value as a reader sees it: numbers the Dutch way (1.234,50), yes or no."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    text = str(value)
    match = _NUMBER.match(text)
    if match:
        places = len(match.group(1)) - 1 if match.group(1) else 0
        return formats.number_format(Decimal(text), places, use_l10n=True, force_grouping=True)
    return text


def figures_display(figures: Mapping[str, Mapping[str, Any]]) -> list[SectionView]:
    """Each section as rows (a mapping inside a section: indented rows) and tables (a list of
    mappings), labelled in the reader's language where the section names its keys."""
    shown = []
    for key, stored in figures.items():
        section = report_section(key)
        labels = section.labels if section else {}
        title = str(section.title) if section else str(stored.get("title", key))

        def label(name: str, labels: Mapping[str, Any] = labels) -> str:
            return str(labels.get(name, name.replace("_", " ")))

        view = SectionView(key=key, title=title)
        for name, value in (stored.get("data") or {}).items():
            if isinstance(value, Mapping):
                view.rows.append(Row(label(name), ""))
                view.rows.extend(
                    Row(label(sub), value_display(v), level=1) for sub, v in value.items()
                )
            elif isinstance(value, list):
                head = list(value[0]) if value and isinstance(value[0], Mapping) else []
                rows = [
                    [value_display(item.get(h)) for h in head]
                    if isinstance(item, Mapping)
                    else [value_display(item)]
                    for item in value
                ]
                view.tables.append(Table(label(name), [label(h) for h in head], rows))
            else:
                view.rows.append(Row(label(name), value_display(value)))
        shown.append(view)
    return shown
