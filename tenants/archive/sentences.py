"""The audit log's sentences for the whole cooperative's data (see ``shared.audit.sentences``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, Sentence
from tenants.archive.services import DOWNLOAD_ACTION, EXPORT_ACTION, RETENTION_ACTION


def _export(entry: AuditEntry, reader: AuditReader) -> str:
    return _("%(who)s vroeg een archief aan met alle gegevens van de coöperatie.") % {
        "who": reader.who
    }


def _download(entry: AuditEntry, reader: AuditReader) -> str:
    return _("%(who)s downloadde het archief met alle gegevens van de coöperatie.") % {
        "who": reader.who
    }


def _retention(entry: AuditEntry, reader: AuditReader) -> str:
    change = (entry.changes or {}).get("retention_months")
    if isinstance(change, list) and len(change) == 2:
        return _("%(who)s zette de bewaartermijn na opheffen van %(old)s op %(new)s maanden.") % {
            "who": reader.who,
            "old": change[0],
            "new": change[1],
        }
    return _("%(who)s wijzigde de bewaartermijn na opheffen.") % {"who": reader.who}


def sentences() -> dict[str, Sentence]:
    return {EXPORT_ACTION: _export, DOWNLOAD_ACTION: _download, RETENTION_ACTION: _retention}
