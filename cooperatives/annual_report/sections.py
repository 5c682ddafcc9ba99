"""The registry of the annual report's sections of figures.

Each section is a key, a title and ``compute(year) -> dict``: what the platform knows of that
year. The annual report's own sections (members, services, points...) register here from
``AnnualReportConfig.ready``; billing registers the klussen in euros and the subscription from
its own ``ready`` through ``cooperatives.settlement`` (the cooperative apps never import
billing); the projects section is registered the same way by the app that holds projects.

A section returns plain values: numbers (int or Decimal), text, True/False, None, a mapping
(shown as indented rows) or a list of mappings (shown as a table). ``labels`` names its keys
for the reader; a key without a label is shown as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import translation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Compute = Callable[[int], Mapping[str, Any]]


@dataclass(frozen=True)
class Section:
    key: str
    title: StrOrPromise
    compute: Compute
    labels: Mapping[str, StrOrPromise] = field(default_factory=dict)
    order: int = 100


_sections: dict[str, Section] = {}


def report_section_register(
    key: str,
    title: StrOrPromise,
    compute: Compute,
    *,
    labels: Mapping[str, StrOrPromise] | None = None,
    order: int = 100,
) -> None:
    """Add a section of figures (again under the same key replaces: ``ready()`` may run
    twice)."""
    _sections[key] = Section(key, title, compute, dict(labels or {}), order)


def report_sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def report_section(key: str) -> Section | None:
    return _sections.get(key)


def plain(value: Any) -> Any:
    """A section's value as JSON keeps it: Decimals as text (exact), dates as ISO dates."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return str(Decimal(str(value)))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def report_figures_compute(*, year: int) -> dict[str, dict[str, Any]]:
    """Every registered section's figures for ``year``, with its Dutch title (kept with an
    approved report, in case the section is ever no longer registered)."""
    found: dict[str, dict[str, Any]] = {}
    for section in report_sections():
        data = section.compute(year)
        if not isinstance(data, Mapping):
            data = {"items": data}
        with translation.override("nl"):
            title = str(section.title)
        found[section.key] = {"title": title, "data": plain(data)}
    return found


__all__ = [
    "Section",
    "plain",
    "report_figures_compute",
    "report_section",
    "report_section_register",
    "report_sections",
]
