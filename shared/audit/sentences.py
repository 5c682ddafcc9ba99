"""The audit log in sentences, for the board: "Anna Alfa wijzigde de spelregels: tarief per uur
van € 4,50 naar € 5,00" instead of ``rulebook.revise`` and ``['4.50', '5.00']``.

The log stores codes and raw values (it must not change once written, and stores no personal
data); its sentences are made when it is read, in the reader's language. The feature that
logs an action knows what it means, so each feature registers a sentence per action it logs
(``audit_sentence_register``, from its app's ``ready``); ``shared`` knows no feature. An
action without a sentence is shown with the summary its service wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from shared.audit.models import AuditEntry
from shared.audit.services import CHANGED


@dataclass(frozen=True)
class AuditReader:
    """What a sentence may use besides the entry: the actor's name as it is now (empty for
    the platform itself) and names of records the entry refers to, by kind and id
    ("member", "neighbourhood", "cluster", "partner", "rulebook"), looked up once per page."""

    actor: str = ""
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def name(self, kind: str, key: object, default: str = "") -> str:
        return self.names.get(kind, {}).get(str(key), default)

    @property
    def who(self) -> str:
        return self.actor or _("Noaber")


Sentence = Callable[[AuditEntry, AuditReader], str]
_SENTENCES: dict[str, Sentence] = {}


def audit_sentence_register(sentences: Mapping[str, Sentence]) -> None:
    """Register the sentences of a feature's actions (action → function of entry and reader)."""
    _SENTENCES.update(sentences)


def audit_sentence_actions() -> frozenset[str]:
    """The actions that have a sentence."""
    return frozenset(_SENTENCES)


def audit_sentence(entry: AuditEntry, reader: AuditReader) -> str:
    """The entry as one sentence."""
    sentence = _SENTENCES.get(entry.action)
    if sentence is not None:
        return sentence(entry, reader)
    text = entry.summary or entry.action
    return f"{reader.actor}: {text}" if reader.actor else text


# --- helpers for the features' sentences --------------------------------------------------------

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_NOTHING: tuple[Any, ...] = (None, "", [], {})


def value_in_words(value: Any) -> str:
    """A logged value as people read it: 'ja', '4,50', 'leeg', 'a, b'."""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if value in _NOTHING:
        return _("leeg")
    if isinstance(value, (list, tuple)):
        return ", ".join(value_in_words(v) for v in value)
    if isinstance(value, float) or (isinstance(value, str) and _NUMBER.match(value)):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        # 2.0 → "2", 1.50 → "1,5": no zeros that mean nothing.
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        else:
            number = number.normalize()
        return formats.number_format(number, use_l10n=True)
    return str(value)


def change_in_words(label: str, change: Any, show: Callable[[Any], str] = value_in_words) -> str:
    """One logged change ({field: [old, new]} or CHANGED) as words: "tarief van € 4,50 naar
    € 5,00", "telefoonnummer gewijzigd", "naam: Oudwijk" (new), "leeggemaakt"."""
    if change == CHANGED or not isinstance(change, (list, tuple)) or len(change) != 2:
        return _("%(label)s gewijzigd") % {"label": label}
    old, new = change
    if old in _NOTHING:
        return _("%(label)s: %(new)s") % {"label": label, "new": show(new)}
    if new in _NOTHING:
        return _("%(label)s leeggemaakt (was %(old)s)") % {"label": label, "old": show(old)}
    return _("%(label)s van %(old)s naar %(new)s") % {
        "label": label,
        "old": show(old),
        "new": show(new),
    }


def changes_in_words(
    changes: Mapping[str, Any],
    labels: Mapping[str, str],
    show: Callable[[str, Any], str] | None = None,
    *,
    created: bool = False,
) -> list[str]:
    """Every logged change in words, in the order of ``labels`` (a field without a label is
    left out: it is bookkeeping, not something a person changed). For a record just
    ``created``, only the values it was given: not the empty ones, nor the personal ones the
    log does not keep."""
    out = []
    for name, label in labels.items():
        if name not in changes:
            continue
        change = changes[name]
        if created and (change == CHANGED or _empty(change)):
            continue
        out.append(change_in_words(str(label), change, _shown_as(name, show)))
    return out


def _shown_as(name: str, show: Callable[[str, Any], str] | None) -> Callable[[Any], str]:
    """How the values of field ``name`` are shown: by ``show`` if given, else in plain words."""
    if show is None:
        return value_in_words
    return lambda value: show(name, value)


def _empty(change: Any) -> bool:
    return isinstance(change, (list, tuple)) and len(change) == 2 and change[1] in _NOTHING


def sentence(head: str, details: Iterable[str] = ()) -> str:
    """ "Anna wijzigde de buurt Oudwijk" + details → "…: naam van A naar B; postcodes: 3581."."""
    parts = [d for d in details if d]
    return f"{head}: {'; '.join(parts)}." if parts else f"{head}."


def summary_number(entry: AuditEntry, pattern: str) -> str:
    """A number the service wrote into the summary (the log keeps no separate field for it),
    or "" when the summary does not have it."""
    match = re.search(pattern, entry.summary or "")
    return match.group(1) if match else ""


def euros(amount: str) -> str:
    """'6.75' → '€ 6,75'."""
    try:
        return f"€ {formats.number_format(Decimal(amount), 2, use_l10n=True)}"
    except (InvalidOperation, TypeError):
        return amount
