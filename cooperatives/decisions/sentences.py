"""The audit log's sentences for the decisions register and the minutes (the actions the
governance services log for them). Registered by ``CooperativesConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, Sentence, summary_number


def _decision_number(entry: AuditEntry) -> str:
    return summary_number(entry, r"(\d{4}-\d{3})") or str(entry.target_id)


def _decision_record(entry: AuditEntry, reader: AuditReader) -> str:
    outcome = "rejected" if "rejected" in (entry.summary or "") else "adopted"
    if outcome == "adopted":
        text = _("%(who)s legde besluit %(n)s vast in de besluitenlijst (aangenomen).")
    else:
        text = _("%(who)s legde besluit %(n)s vast in de besluitenlijst (verworpen).")
    return text % {"who": reader.who, "n": _decision_number(entry)}


def _decision_effect(entry: AuditEntry, reader: AuditReader) -> str:
    kind = (entry.summary or "").split(":", 1)[0]
    what = {
        "rulebook": _("een nieuwe versie van de spelregels"),
        "partner_rate": _("een sociaal tarief van een partner"),
    }.get(kind, _("een wijziging"))
    return _("%(who)s bracht bij besluit %(id)s %(what)s in werking.") % {
        "who": reader.who,
        "id": entry.target_id,
        "what": what,
    }


def _minutes(template: Any) -> Sentence:
    def render(entry: AuditEntry, reader: AuditReader) -> str:
        return str(template % {"who": reader.who, "id": entry.target_id})

    return render


def _minutes_approve(entry: AuditEntry, reader: AuditReader) -> str:
    return _("%(who)s stelde notulen %(id)s vast bij besluit %(n)s.") % {
        "who": reader.who,
        "id": entry.target_id,
        "n": _decision_number(entry),
    }


def sentences() -> dict[str, Sentence]:
    return {
        "decision.record": _decision_record,
        "decision.effect": _decision_effect,
        "minutes.draft": _minutes(
            gettext_lazy("%(who)s schreef concept-notulen (notulen %(id)s).")
        ),
        "minutes.edit": _minutes(gettext_lazy("%(who)s bewerkte concept-notulen %(id)s.")),
        "minutes.send": _minutes(
            gettext_lazy("%(who)s verstuurde notulen %(id)s ter vaststelling.")
        ),
        "minutes.approve": _minutes_approve,
    }
