"""What the proposals feature's actions in the audit log mean, one sentence each (registered
by ``ProposalsConfig.ready``; see ``shared.audit.sentences``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.proposals.models import Proposal
from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, Sentence, euros


def _numbered(template: Any) -> Sentence:
    def render(entry: AuditEntry, reader: AuditReader) -> str:
        return str(template) % {"who": reader.who, "id": entry.target_id}

    return render


def _handle(entry: AuditEntry, reader: AuditReader) -> str:
    status = (entry.changes or {}).get("status")
    new = status[1] if isinstance(status, (list, tuple)) and len(status) == 2 else entry.summary
    if new in Proposal.Status.values:
        return _("%(who)s zette projectvoorstel %(id)s op “%(status)s”.") % {
            "who": reader.who,
            "id": entry.target_id,
            "status": Proposal.Status(new).label,
        }
    return _("%(who)s behandelde projectvoorstel %(id)s.") % {
        "who": reader.who,
        "id": entry.target_id,
    }


def _spend(entry: AuditEntry, reader: AuditReader) -> str:
    if entry.summary:
        return _("%(who)s boekte een uitgave van %(amount)s op project %(id)s.") % {
            "who": reader.who,
            "amount": euros(entry.summary),
            "id": entry.target_id,
        }
    return _("%(who)s boekte een uitgave op project %(id)s.") % {
        "who": reader.who,
        "id": entry.target_id,
    }


def sentences() -> dict[str, Sentence]:
    return {
        "proposal.submit": _numbered(gettext_lazy("%(who)s diende projectvoorstel %(id)s in.")),
        "proposal.support": _numbered(gettext_lazy("%(who)s steunde projectvoorstel %(id)s.")),
        "proposal.unsupport": _numbered(
            gettext_lazy("%(who)s trok de steun voor projectvoorstel %(id)s in.")
        ),
        "proposal.handle": _handle,
        "project.create": _numbered(
            gettext_lazy("%(who)s maakte project %(id)s aan met een projectgroep.")
        ),
        "project.update": _numbered(
            gettext_lazy("%(who)s schreef een bericht bij project %(id)s.")
        ),
        "project.spend": _spend,
        "project.finish": _numbered(gettext_lazy("%(who)s sloot project %(id)s af.")),
    }
