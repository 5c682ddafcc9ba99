"""What the annual report's actions in the audit log mean, one sentence each."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, Sentence, summary_number


def _year(entry: AuditEntry) -> str:
    return summary_number(entry, r"^(\d{4})")


def _create(entry: AuditEntry, reader: AuditReader) -> str:
    return _("%(who)s begon het jaarverslag %(year)s.") % {"who": reader.who, "year": _year(entry)}


def _edit(entry: AuditEntry, reader: AuditReader) -> str:
    return _("%(who)s schreef aan het jaarverslag %(year)s.") % {
        "who": reader.who,
        "year": _year(entry),
    }


def _review(entry: AuditEntry, reader: AuditReader) -> str:
    if "geen decharge" in (entry.summary or ""):
        text = _(
            "%(who)s legde de bevindingen van de kascommissie over %(year)s vast; zij adviseert "
            "geen decharge."
        )
    else:
        text = _(
            "%(who)s legde de bevindingen van de kascommissie over %(year)s vast; zij adviseert "
            "decharge."
        )
    return text % {"who": reader.who, "year": _year(entry)}


def _approve(entry: AuditEntry, reader: AuditReader) -> str:
    return _(
        "%(who)s legde vast dat de ALV het jaarverslag %(year)s heeft vastgesteld (besluiten "
        "%(numbers)s); het verslag verandert niet meer."
    ) % {
        "who": reader.who,
        "year": _year(entry),
        "numbers": summary_number(entry, r"^\d{4}: (.*)$"),
    }


def _reject(entry: AuditEntry, reader: AuditReader) -> str:
    return _(
        "%(who)s legde vast dat de ALV het jaarverslag %(year)s niet heeft vastgesteld "
        "(besluit %(number)s)."
    ) % {
        "who": reader.who,
        "year": _year(entry),
        "number": summary_number(entry, r"^\d{4}: (.*)$"),
    }


def sentences() -> dict[str, Sentence]:
    return {
        "report.create": _create,
        "report.edit": _edit,
        "report.review": _review,
        "report.approve": _approve,
        "report.reject": _reject,
    }
