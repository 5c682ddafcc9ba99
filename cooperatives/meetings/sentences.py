"""The meetings' actions in the audit log, one sentence each. A secret ballot's sentence says
who voted, never what: the log does not hold it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cooperatives.meetings.models import Choice, Rsvp
from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, Sentence


def _member(reader: AuditReader, key: object) -> str:
    return reader.name("member", key, _("lid %(id)s") % {"id": key})


def _who_for(entry: AuditEntry, reader: AuditReader) -> str:
    return _member(reader, (entry.summary or "").split(":", 1)[0])


def _choice(entry: AuditEntry) -> str:
    value = (entry.summary or "").rsplit(":", 1)[-1]
    return str(dict(Choice.choices).get(value, value))


def _answer(entry: AuditEntry) -> str:
    return str(dict(Rsvp.Answer.choices).get(entry.summary, entry.summary))


def sentences() -> dict[str, Sentence]:
    def meeting(entry: AuditEntry) -> dict[str, str]:
        return {"id": entry.target_id}

    return {
        "meeting.create": lambda e, r: (
            _("%(who)s maakte vergadering %(id)s aan.") % {"who": r.who, **meeting(e)}
        ),
        "agenda_item.add": lambda e, r: (
            _("%(who)s zette agendapunt %(id)s op de agenda.") % {"who": r.who, "id": e.target_id}
        ),
        "meeting.convene": lambda e, r: (
            _("%(who)s riep vergadering %(id)s bijeen (%(how)s).")
            % {"who": r.who, "how": e.summary, **meeting(e)}
        ),
        "meeting.remind": lambda e, r: (
            _("%(who)s herinnerde de leden aan vergadering %(id)s.") % {"who": r.who, **meeting(e)}
        ),
        "meeting.rsvp": lambda e, r: (
            _("%(who)s liet weten over vergadering %(id)s: %(answer)s.")
            % {"who": r.who, "answer": _answer(e), **meeting(e)}
        ),
        "attendance.register": lambda e, r: (
            _("%(who)s tekende %(member)s in als aanwezig bij vergadering %(id)s.")
            % {"who": r.who, "member": _member(r, e.summary), **meeting(e)}
        ),
        "attendance.remove": lambda e, r: (
            _("%(who)s haalde %(member)s van de presentielijst van vergadering %(id)s.")
            % {"who": r.who, "member": _member(r, e.summary), **meeting(e)}
        ),
        "proxy.grant": lambda e, r: (
            _("%(who)s legde een machtiging vast: %(grantor)s machtigt %(holder)s.")
            % {
                "who": r.who,
                "grantor": _member(r, e.summary.split("->")[0]),
                "holder": _member(r, e.summary.split("->")[-1]),
            }
        ),
        "vote.cast": lambda e, r: (
            _("%(who)s stemde over agendapunt %(id)s voor %(member)s: %(choice)s.")
            % {"who": r.who, "id": e.target_id, "member": _who_for(e, r), "choice": _choice(e)}
        ),
        "ballot.cast": lambda e, r: (
            _("%(who)s bracht een geheime stem uit over agendapunt %(id)s voor %(member)s.")
            % {"who": r.who, "id": e.target_id, "member": _member(r, e.summary)}
        ),
        "agenda_item.record": lambda e, r: (
            _("%(who)s legde de uitslag van agendapunt %(id)s vast: besluit %(summary)s.")
            % {"who": r.who, "id": e.target_id, "summary": e.summary}
        ),
        "meeting.close": lambda e, r: (
            _("%(who)s sloot vergadering %(id)s af.") % {"who": r.who, **meeting(e)}
        ),
    }
