"""Reads of the audit log (the log itself is ``shared.audit``). Only the board, the audit
committee and administrators read it (the views declare that action)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from cooperatives.members.models import Member
from shared.audit.models import AuditEntry


def audit_list() -> QuerySet[AuditEntry]:
    """The log, newest first, with the actor's current name (a pseudonym once erased)."""
    actor_name = Subquery(Member.objects.filter(pk=OuterRef("actor_id")).values("name")[:1])
    return AuditEntry.objects.annotate(actor_name=actor_name).order_by("-created_at", "-id")
