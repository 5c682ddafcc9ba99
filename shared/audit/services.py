"""Writing to the audit log. Services call audit_record for every change they make on behalf
of someone; the log itself is append-only at the database level."""

from __future__ import annotations

from typing import Any

from django.db import models

from shared.audit.models import AuditEntry

# Values of these fields are personal data: the log records that they changed, never what to.
PERSONAL_FIELDS = frozenset(
    {
        "name",
        "street",
        "house_number",
        "postcode",
        "phone",
        "email",
        "year_of_birth",
        "languages",
        "talents",
        "availability",
        "password",
        "password_hash",
        "message",
        "reason",
        "decision_reason",
        "contact",
        "contact_name",
    }
)
CHANGED = "(gewijzigd)"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def audit_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for the fields that differ, personal values masked."""
    out: dict[str, Any] = {}
    for field in sorted(set(before) | set(after)):
        old, new = _plain(before.get(field)), _plain(after.get(field))
        if old != new:
            out[field] = CHANGED if field in PERSONAL_FIELDS else [old, new]
    return out


def audit_record(
    *,
    actor_id: int | None,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id or ""),
        summary=summary[:300],
        changes=changes or {},
    )
