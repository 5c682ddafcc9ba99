"""Reads of the audit log (the log itself is ``shared.audit``). Only the board, the audit
committee and administrators read it (the views declare that action)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import formats
from django.utils.translation import gettext as _

from cooperatives.members.models import Member
from cooperatives.rules.models import Rulebook
from cooperatives.setup.models import Cluster, Neighbourhood, Partner
from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, audit_sentence


def audit_list() -> QuerySet[AuditEntry]:
    """The log, newest first, with the actor's current name (a pseudonym once erased)."""
    actor_name = Subquery(Member.objects.filter(pk=OuterRef("actor_id")).values("name")[:1])
    return AuditEntry.objects.annotate(actor_name=actor_name).order_by("-created_at", "-id")


@dataclass(frozen=True)
class AuditLine:
    when: datetime
    sentence: str
    entry: AuditEntry


def _member_ids(entries: list[AuditEntry]) -> set[int]:
    """The members the entries name: as actor, as the record changed, or in a change."""
    ids = {e.actor_id for e in entries if e.actor_id}
    for e in entries:
        if e.target_type == "cooperatives.member" and e.target_id.isdigit():
            ids.add(int(e.target_id))
        changes = e.changes if isinstance(e.changes, dict) else {}
        for key in ("assistants", "member"):
            sides = changes.get(key)
            for side in sides if isinstance(sides, list) else []:
                values = side if isinstance(side, list) else [side]
                ids.update(v for v in values if isinstance(v, int))
    return ids


def _names(entries: list[AuditEntry]) -> dict[str, dict[str, str]]:
    """Names, as they are now, of what a page of the log refers to (buurten, clusters,
    partners and rulebook versions are few; members only those named)."""
    rulebooks = {
        str(pk): _("versie %(v)s, geldig vanaf %(d)s")
        % {"v": version, "d": formats.date_format(day, "d-m-Y")}
        for pk, version, day in Rulebook.objects.values_list("pk", "version", "effective_from")
    }
    return {
        "member": {
            str(pk): name
            for pk, name in Member.objects.filter(pk__in=_member_ids(entries)).values_list(
                "pk", "name"
            )
        },
        "neighbourhood": {str(pk): n for pk, n in Neighbourhood.objects.values_list("pk", "name")},
        "cluster": {str(pk): n for pk, n in Cluster.objects.values_list("pk", "name")},
        "partner": {str(pk): n for pk, n in Partner.objects.values_list("pk", "name")},
        "rulebook": rulebooks,
    }


def audit_lines(*, entries: Iterable[AuditEntry]) -> list[AuditLine]:
    """Entries of the log (from audit_list) as sentences in the reader's language."""
    listed = list(entries)
    names = _names(listed)
    return [
        AuditLine(
            when=entry.created_at,
            sentence=audit_sentence(
                entry, AuditReader(actor=getattr(entry, "actor_name", "") or "", names=names)
            ),
            entry=entry,
        )
        for entry in listed
    ]
