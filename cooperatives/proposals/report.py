"""The projects in the annual report: what each project that ran in the year had as budget and
spent (the annual report's registry, so the report does not import this app)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cooperatives.annual_report.sections import report_section_register
from cooperatives.proposals.selectors import projects_for_report


def projects(year: int) -> dict[str, Any]:
    rows = [
        {
            "name": p["name"],
            "status": p["status_label"],
            "budget": p["budget"],
            "spent_year": p["spent_year"],
            "spent_total": p["spent_total"],
        }
        for p in projects_for_report(year=year)
    ]
    return {"count": len(rows), "projects": rows}


def register() -> None:
    report_section_register(
        "projects",
        _("Projecten"),
        projects,
        labels={
            "count": _("Projecten in dit jaar"),
            "projects": _("Projecten"),
            "name": _("Naam"),
            "status": _("Stand"),
            "budget": _("Begroting (euro)"),
            "spent_year": _("Uitgegeven dit jaar (euro)"),
            "spent_total": _("Uitgegeven in totaal (euro)"),
        },
        order=80,
    )
