"""Writes of the whole-cooperative feature: the board asks for an export (made by a task), the
task builds it, the board downloads it (audited) and sets how long the data is kept once the
cooperative is archived; the daily task deletes archived cooperatives whose term has ended
and expires old export files."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from cooperatives.members.models import Member
from shared import permissions
from shared.audit.services import audit_record
from shared.mail import Mail, cooperative_link, mail_send
from shared.tenancy.current import connection, current_cooperative, queue_in
from shared.validation import field_error
from tenants import host_cache
from tenants.archive.dump import Progress, consistent_snapshot, cooperative_dump
from tenants.archive.models import CooperativeExport
from tenants.models import (
    RETENTION_MONTHS_MAX,
    RETENTION_MONTHS_MIN,
    Cooperative,
    CooperativeDeletion,
)

logger = logging.getLogger(__name__)

EXPORT_ACTION = "cooperative.export"
DOWNLOAD_ACTION = "cooperative.export_download"
RETENTION_ACTION = "cooperative.retention"
STORAGE_DIR = "cooperative-exports"
BUILD_TASK = "tenants.archive.tasks.export_build_task"


def _refuse(message: str, code: str, field: str | None = None) -> None:
    raise field_error(field, message, code)


def storage_prefix(schema: str) -> str:
    return f"{STORAGE_DIR}/{schema}/"


def progress_key(export: CooperativeExport) -> str:
    # The default cache prefixes each key with the schema (django_tenants.cache.make_key).
    return f"archive-export-progress:{export.token}"


@transaction.atomic
def export_request(*, actor: Member) -> CooperativeExport:
    """The board asks for an export of the whole cooperative. One at a time: while one is
    queued or running, asking again gives that one. Built by a task after the commit."""
    if not permissions.can(actor, "cooperative.export"):
        _refuse(
            _("Alleen het bestuur kan alle gegevens van de coöperatie downloaden."), "forbidden"
        )
    waiting = (
        CooperativeExport.objects.select_for_update()
        .filter(status__in=(CooperativeExport.Status.QUEUED, CooperativeExport.Status.RUNNING))
        .first()
    )
    if waiting is not None:
        return waiting
    export = CooperativeExport.objects.create(requested_by=actor)
    audit_record(actor_id=actor.pk, action=EXPORT_ACTION, target=export)
    # Queued by its name (tasks import this module), after the commit, in this schema.
    task = current_app.tasks[BUILD_TASK]
    transaction.on_commit(
        partial(queue_in, task, schema=connection.schema_name, export_id=export.pk)
    )
    return export


def _lock_key(export: CooperativeExport) -> int:
    # One builder per export, also when the broker delivers the task twice.
    return int(export.token.int % (2**62))


def _claim(export_id: int) -> CooperativeExport | None:
    with transaction.atomic():
        export = CooperativeExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status in (
            CooperativeExport.Status.DONE,
            CooperativeExport.Status.FAILED,
        ):
            return None
        export.status = CooperativeExport.Status.RUNNING
        export.started_at = timezone.now()
        export.save(update_fields=["status", "started_at"])
        return export


def export_build(*, export_id: int) -> CooperativeExport | None:
    """Build the zip of an export: idempotent (a finished export is left alone; a second
    delivery of the task while the first builds does nothing). The file is saved through
    Django's storage, the requester is mailed a link to the page where it is downloaded.

    The dump, the file and the mark "done" happen in one transaction that holds a
    transaction-level advisory lock on the export: a session-level lock would not survive
    PgBouncer's transaction pooling (DATABASE_POOL_MODE=transaction)."""
    export = _claim(export_id)
    if export is None:
        return None
    key = progress_key(export)
    try:
        report = Progress(
            lambda done, total: cache.set(key, {"done": done, "total": total}, timeout=86400)
        )
        with tempfile.TemporaryFile() as handle, consistent_snapshot(read_only=False):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_key(export)])
                (locked,) = cursor.fetchone()
            current = CooperativeExport.objects.filter(pk=export.pk).first()
            if not locked or current is None or current.status != export.status:
                return None  # another delivery builds it, or has built it
            manifest = cooperative_dump(target=handle, progress=report)
            handle.seek(0)
            digest = _sha256(handle)
            handle.seek(0)
            name = f"{storage_prefix(connection.schema_name)}{export.token}.zip"
            default_storage.delete(name)  # a crashed earlier attempt may have left it
            stored = default_storage.save(name, File(handle, name=name))
            export.status = CooperativeExport.Status.DONE
            export.finished_at = timezone.now()
            export.file, export.size, export.sha256 = stored, default_storage.size(stored), digest
            export.tables = len(manifest["tables"])
            export.rows = sum(t["rows"] for t in manifest["tables"])
            export.save()
            _mail_ready(export)
    except Exception as error:
        logger.exception("Export %s of %s failed", export.token, connection.schema_name)
        CooperativeExport.objects.filter(pk=export.pk).update(
            status=CooperativeExport.Status.FAILED,
            finished_at=timezone.now(),
            error=str(error)[:300],
        )
        raise
    finally:
        cache.delete(key)
    return export


def _sha256(handle: Any) -> str:
    import hashlib

    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _mail_ready(export: CooperativeExport) -> None:
    requester = export.requested_by
    if requester is None:
        return
    cooperative = current_cooperative()
    # Made now, in the cooperative's schema: the mail is composed after the commit.
    link = cooperative_link(reverse("archive-page"))
    mail_send(
        to=[requester],
        compose=lambda: Mail(
            subject=_("De gegevens van %(name)s staan klaar") % {"name": cooperative.name},
            body=_(
                "U vroeg om alle gegevens van de coöperatie. Het archief (een zip-bestand) "
                "staat klaar; alleen bestuursleden kunnen het downloaden. Het bevat de "
                "gegevens van alle leden: bewaar het zorgvuldig. Na %(days)s dagen "
                "verwijderen we het van het platform."
            )
            % {"days": settings.ARCHIVE_EXPORT_KEEP_DAYS},
            link=link,
            link_label=_("Download het archief"),
        ),
    )


def export_download(*, actor: Member, export: CooperativeExport) -> Any:
    """Open the zip for a board member; audited. Refuses an export that is not ready, has
    expired, or whose file is not this cooperative's (rows restored from another
    cooperative's archive name that one's files)."""
    if not permissions.can(actor, "cooperative.export"):
        _refuse(_("Alleen het bestuur kan dit archief downloaden."), "forbidden")
    if export.status != CooperativeExport.Status.DONE or not export.file:
        _refuse(_("Dit archief is nog niet klaar."), "not_ready")
    if not export.file.startswith(storage_prefix(connection.schema_name)) or not (
        default_storage.exists(export.file)
    ):
        _refuse(_("Dit archief is verlopen. Vraag een nieuw aan."), "expired")
    audit_record(actor_id=actor.pk, action=DOWNLOAD_ACTION, target=export)
    return default_storage.open(export.file, "rb")


@transaction.atomic
def retention_set(*, actor: Member, months: Any) -> Cooperative:
    """The board sets how many months the platform keeps the data once the cooperative is
    archived (within the bounds); audited."""
    if not permissions.can(actor, "cooperative.export"):
        _refuse(_("Alleen het bestuur stelt de bewaartermijn vast."), "forbidden", "months")
    try:
        value = int(str(months).strip())
    except ValueError:
        value = -1
    if not RETENTION_MONTHS_MIN <= value <= RETENTION_MONTHS_MAX:
        _refuse(
            _("Kies een bewaartermijn van %(min)s tot en met %(max)s maanden.")
            % {"min": RETENTION_MONTHS_MIN, "max": RETENTION_MONTHS_MAX},
            "out_of_range",
            "months",
        )
    cooperative = Cooperative.objects.select_for_update().get(pk=current_cooperative().pk)
    before = cooperative.retention_months
    cooperative.retention_months = value
    cooperative.save(update_fields=["retention_months"])
    if before != value:
        audit_record(
            actor_id=actor.pk,
            action=RETENTION_ACTION,
            target_type="tenants.cooperative",
            target_id=cooperative.pk,
            changes={"retention_months": [before, value]},
        )
    return cooperative


# --- the platform's daily work (public schema) -----------------------------------------------


def cooperatives_due(*, now: dt.datetime | None = None) -> list[Cooperative]:
    """Archived cooperatives whose retention period has ended by ``now``."""
    now = now or timezone.now()
    archived = Cooperative.objects.filter(
        status=Cooperative.Status.ARCHIVED, archived_at__isnull=False
    ).order_by("archived_at")
    return [c for c in archived if c.deletion_due is not None and c.deletion_due <= now]


def cooperative_delete(*, cooperative: Cooperative) -> CooperativeDeletion:
    """Delete an archived cooperative whose retention period has ended: its schema (all its
    members' data), its export files, its hosts and the public rows that point at it; one line
    stays (CooperativeDeletion). Refuses one that is not due."""
    now = timezone.now()
    connection.set_schema_to_public()
    with transaction.atomic():
        locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
        due = locked.deletion_due
        if due is None or due > now:
            raise ValidationError(
                _("Deze coöperatie is niet opgeheven of haar bewaartermijn loopt nog."),
                code="not_due",
            )
        hosts = list(locked.domains.values_list("domain", flat=True))
        line = CooperativeDeletion.objects.create(
            slug=locked.slug,
            name=locked.name,
            schema_name=locked.schema_name,
            archived_at=locked.archived_at,
            retention_months=locked.retention_months,
            deleted_at=now,
        )
        with connection.cursor() as cursor:
            # Checks deferred to the commit must run before their tables go (PostgreSQL
            # refuses to drop a table with pending trigger events).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                    sql.Identifier(locked.schema_name)
                )
            )
        # Rows that protect the cooperative from deletion (its subscription, memberships)
        # describe a cooperative that no longer exists: they go first.
        for relation in Cooperative._meta.related_objects:
            if relation.many_to_many or not relation.field.concrete:
                continue
            relation.related_model._default_manager.filter(**{relation.field.name: locked}).delete()
        locked.delete()
        prefix = storage_prefix(locked.schema_name)
        transaction.on_commit(lambda: _delete_files(prefix))
        transaction.on_commit(lambda: host_cache.forget_hosts(hosts))
    logger.info("Archived cooperative %s deleted after its retention period", line.slug)
    return line


def _delete_files(prefix: str, *, older_than: dt.datetime | None = None) -> int:
    folder = prefix.rstrip("/")
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in files:
        path = f"{folder}/{name}"
        if older_than is None or default_storage.get_modified_time(path) < older_than:
            default_storage.delete(path)
            deleted += 1
    return deleted


def exports_expire(*, now: dt.datetime | None = None) -> int:
    """Delete export files older than ARCHIVE_EXPORT_KEEP_DAYS, of every cooperative: they
    hold every member's data and are meant to be downloaded, not kept here."""
    limit = (now or timezone.now()) - dt.timedelta(days=settings.ARCHIVE_EXPORT_KEEP_DAYS)
    try:
        folders, _files = default_storage.listdir(STORAGE_DIR)
    except FileNotFoundError:
        return 0
    return sum(_delete_files(f"{STORAGE_DIR}/{folder}/", older_than=limit) for folder in folders)


def archive_daily(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Delete every archived cooperative whose term has ended (each on its own: one that
    fails is logged and tried again tomorrow) and expire old export files."""
    deleted = []
    for cooperative in cooperatives_due(now=now):
        try:
            deleted.append(cooperative_delete(cooperative=cooperative).slug)
        except Exception:
            logger.exception("Deleting archived cooperative %s failed", cooperative.slug)
    return {"deleted": deleted, "expired_files": exports_expire(now=now)}
