"""What the governance feature's actions in the audit log mean, one sentence each: seats given
and ended, a project group started, the statutes' settings changed. Registered from
``GovernanceConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from cooperatives.governance.models import Body, Seat, Statutes
from cooperatives.governance.services import STATUTES_FIELDS
from shared.audit.models import AuditEntry
from shared.audit.sentences import (
    AuditReader,
    Sentence,
    change_in_words,
    changes_in_words,
    sentence,
    value_in_words,
)


def _where(entry: AuditEntry) -> tuple[str, str]:
    """(body, position) from the summary "<body kind>:<position>" the seat services write."""
    kind, _sep, position = (entry.summary or "").partition(":")
    bodies, positions = dict(Body.Kind.choices), dict(Seat.Position.choices)
    return str(bodies.get(kind, _("een orgaan"))), str(positions.get(position, _("lid")))


def _member(entry: AuditEntry, reader: AuditReader) -> str:
    change = entry.changes.get("member") if isinstance(entry.changes, dict) else None
    pk = next((v for v in reversed(change) if v), None) if isinstance(change, list) else None
    return reader.name("member", pk, _("een lid")) if pk else _("een lid")


def _seat_assign(entry: AuditEntry, reader: AuditReader) -> str:
    body, position = _where(entry)
    head = _("%(who)s gaf %(member)s een zetel als %(position)s in %(body)s") % {
        "who": reader.who,
        "member": _member(entry, reader),
        "position": position,
        "body": body,
    }
    start = entry.changes.get("start") if isinstance(entry.changes, dict) else None
    details = [change_in_words(_("begin"), start, _day)] if start else []
    return sentence(head, details)


def _seat_end(entry: AuditEntry, reader: AuditReader) -> str:
    body, position = _where(entry)
    head = _("%(who)s beëindigde de termijn van %(member)s als %(position)s in %(body)s") % {
        "who": reader.who,
        "member": _member(entry, reader),
        "position": position,
        "body": body,
    }
    end = entry.changes.get("end") if isinstance(entry.changes, dict) else None
    details = [change_in_words(_("eerste dag zonder zetel"), end, _day)] if end else []
    return sentence(head, details)


def _day(value: Any) -> str:
    """An ISO date from the log as dd-mm-jjjj."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        year, month, day = value.split("-")
        return f"{day}-{month}-{year}"
    return value_in_words(value)


def _statutes_update(entry: AuditEntry, reader: AuditReader) -> str:
    fields = {f.name: f for f in Statutes._meta.get_fields() if isinstance(f, models.Field)}
    labels = {name: str(fields[name].verbose_name) for name in STATUTES_FIELDS}
    decides = dict(Statutes.Decides.choices)

    def show(name: str, value: Any) -> str:
        if name.endswith("_decided_by") and value in decides:
            return str(decides[value])
        return value_in_words(value)

    changes = entry.changes if isinstance(entry.changes, dict) else {}
    head = _("%(who)s wijzigde de instellingen van de statuten") % {"who": reader.who}
    return sentence(head, changes_in_words(changes, labels, show))


def _body_create(entry: AuditEntry, reader: AuditReader) -> str:
    if entry.summary:
        return sentence(
            _("%(who)s richtte de projectgroep %(name)s op")
            % {"who": reader.who, "name": entry.summary}
        )
    return sentence(_("%(who)s richtte een projectgroep op") % {"who": reader.who})


def sentences() -> dict[str, Sentence]:
    return {
        "seat.assign": _seat_assign,
        "seat.end": _seat_end,
        "statutes.update": _statutes_update,
        "body.create": _body_create,
    }
