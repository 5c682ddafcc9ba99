"""What the surveys' actions in the audit log mean, one sentence each. The log never holds
what a member answered, only that they answered (as the register of who answered does)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, Sentence


def _title(entry: AuditEntry) -> str:
    # The survey's title as it was when logged (kept in the summary).
    return entry.summary or _("nummer %(id)s") % {"id": entry.target_id}


def _create(entry: AuditEntry, reader: AuditReader) -> str:
    return _("%(who)s maakte de peiling „%(title)s” aan.") % {
        "who": reader.who,
        "title": _title(entry),
    }


def _question_add(entry: AuditEntry, reader: AuditReader) -> str:
    return _("%(who)s voegde een vraag toe aan peiling %(id)s: „%(text)s”.") % {
        "who": reader.who,
        "id": entry.target_id,
        "text": entry.summary or "",
    }


def _question_remove(entry: AuditEntry, reader: AuditReader) -> str:
    return _("%(who)s haalde een vraag weg uit peiling %(id)s: „%(text)s”.") % {
        "who": reader.who,
        "id": entry.target_id,
        "text": entry.summary or "",
    }


def _open(entry: AuditEntry, reader: AuditReader) -> str:
    closes = (entry.changes.get("closes_on") or [None, None])[1] if entry.changes else None
    day = "-".join(reversed(str(closes).split("-"))) if closes else _("onbekend")
    return _("%(who)s opende de peiling „%(title)s”, open tot en met %(day)s.") % {
        "who": reader.who,
        "title": _title(entry),
        "day": day,
    }


def _close(entry: AuditEntry, reader: AuditReader) -> str:
    count = (entry.changes.get("answers") or [None, None])[1] if entry.changes else None
    return _("%(who)s sloot de peiling „%(title)s” (%(n)s keer beantwoord).") % {
        "who": reader.who,
        "title": _title(entry),
        "n": count if count is not None else "?",
    }


def _answer(entry: AuditEntry, reader: AuditReader) -> str:
    return _("%(who)s beantwoordde de peiling „%(title)s”.") % {
        "who": reader.who,
        "title": _title(entry),
    }


def _answer_paper(entry: AuditEntry, reader: AuditReader) -> str:
    member = (entry.changes.get("member") or [None, None])[1] if entry.changes else None
    name = reader.name("member", member, _("een lid")) if member else _("een lid")
    return _(
        "%(who)s voerde de antwoorden op papier van %(member)s in voor de peiling „%(title)s”."
    ) % {"who": reader.who, "member": name, "title": _title(entry)}


def _invite_mailed(entry: AuditEntry, reader: AuditReader) -> str:
    count = (entry.changes.get("mailed") or [None, None])[1] if entry.changes else None
    return _("%(who)s mailde %(n)s leden een uitnodiging voor peiling %(id)s.") % {
        "who": reader.who,
        "n": count if count is not None else "?",
        "id": entry.target_id,
    }


def sentences() -> dict[str, Sentence]:
    return {
        "survey.create": _create,
        "survey.question_add": _question_add,
        "survey.question_remove": _question_remove,
        "survey.open": _open,
        "survey.close": _close,
        "survey.answer": _answer,
        "survey.answer_paper": _answer_paper,
        "survey.invite_mailed": _invite_mailed,
    }
