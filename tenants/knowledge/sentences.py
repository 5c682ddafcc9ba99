"""The audit log's sentence for a board's suggestion to a network (see
``shared.audit.sentences``). The title and the network are the cooperative's own, not personal."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, Sentence
from tenants.knowledge.services import SUGGEST_ACTION


def _new_value(entry: AuditEntry, name: str) -> str:
    change = (entry.changes or {}).get(name)
    if isinstance(change, list) and len(change) == 2 and change[1]:
        return str(change[1])
    return ""


def _suggest(entry: AuditEntry, reader: AuditReader) -> str:
    title, network = _new_value(entry, "title"), _new_value(entry, "network")
    if title and network:
        return _("%(who)s stelde het document ‘%(title)s’ voor aan %(network)s.") % {
            "who": reader.who,
            "title": title,
            "network": network,
        }
    return _("%(who)s stelde een document voor aan een netwerk.") % {"who": reader.who}


def sentences() -> dict[str, Sentence]:
    return {SUGGEST_ACTION: _suggest}
