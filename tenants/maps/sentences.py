"""The audit log's sentence for the board's point on the map (see ``shared.audit.sentences``).
The point is the neighbourhood's, not personal: the log keeps its values."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, Sentence, changes_in_words, sentence
from tenants.maps.services import PLACE_ACTION


def _place(entry: AuditEntry, reader: AuditReader) -> str:
    labels = {"latitude": _("breedtegraad"), "longitude": _("lengtegraad")}
    head = _("%(who)s wijzigde de plek van de coöperatie op de kaart") % {"who": reader.who}
    return sentence(head, changes_in_words(entry.changes, labels))


def sentences() -> dict[str, Sentence]:
    return {PLACE_ACTION: _place}
