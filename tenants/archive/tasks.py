"""The export's build, queued after the commit from inside the cooperative's schema (so
tenant-schemas-celery runs it there), and the platform's daily deletion of archived
cooperatives whose retention period has ended. Both are safe to run twice.

The task names are spelled out: the beat schedule and queued messages refer to them."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from tenants.archive import services


@shared_task(name="tenants.archive.tasks.export_build_task")
def export_build_task(*, export_id: int) -> str:
    export = services.export_build(export_id=export_id)
    return export.status if export is not None else "skipped"


@shared_task(name="tenants.archive.tasks.archive_daily")
def archive_daily() -> dict[str, Any]:
    return services.archive_daily()
