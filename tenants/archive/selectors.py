"""Reads of the whole-cooperative feature: the exports the board sees and where one stands."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from cooperatives.members.models import Member
from shared import permissions
from tenants.archive.models import CooperativeExport
from tenants.archive.services import progress_key

RECENT = 5


def export_list(*, viewer: Member) -> QuerySet[CooperativeExport]:
    """The latest exports, for the board only."""
    if not permissions.can(viewer, "cooperative.export"):
        return CooperativeExport.objects.none()
    return CooperativeExport.objects.select_related("requested_by").order_by("-created_at", "-id")[
        :RECENT
    ]


def export_get(*, viewer: Member, token: str) -> CooperativeExport | None:
    if not permissions.can(viewer, "cooperative.export"):
        return None
    try:
        return CooperativeExport.objects.filter(token=token).first()
    except ValueError:  # not a UUID
        return None


@dataclass(frozen=True)
class ExportProgress:
    status: str
    percent: int
    done: int
    total: int


def export_progress(*, export: CooperativeExport) -> ExportProgress:
    """How far an export is, 0..100, from what the building task reports per table."""
    if export.status == CooperativeExport.Status.DONE:
        return ExportProgress(export.status, 100, export.tables, export.tables)
    seen = cache.get(progress_key(export)) or {}
    done, total = int(seen.get("done", 0)), int(seen.get("total", 0))
    percent = int(done * 100 / total) if total else 0
    return ExportProgress(export.status, min(percent, 99), done, total)
