"""What the membership actions in a cooperative's audit log mean, one sentence each: asking to
join a network, an invitation, accepting, declining, changing what is shared, the end.
Registered from ``NetworksConfig.ready``. The services write the network's name in the summary
("Netwerk SAMEN030") and what is shared in the changes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.figures.catalog import group_label
from shared.audit.models import AuditEntry
from shared.audit.sentences import AuditReader, Sentence, change_in_words, sentence
from tenants.networks import services

PREFIX = "Netwerk "


def _network(entry: AuditEntry) -> str:
    summary = entry.summary or ""
    return summary[len(PREFIX) :] if summary.startswith(PREFIX) else _("een netwerk")


def _yes_no(value: Any) -> str:
    return _("ja") if value else _("nee")


def _groups(value: Any) -> str:
    if not isinstance(value, list) or not value:
        return _("geen")
    return ", ".join(str(group_label(key)).lower() for key in value)


def _sharing_details(entry: AuditEntry, *, created: bool = False) -> list[str]:
    """What is shared, in words: for a request or an acceptance (``created``) what it shares
    from now on, for a change from what to what."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    labels = (
        ("share_groups", _("gedeelde cijfers"), _groups),
        ("on_map", _("op de kaart"), _yes_no),
        ("share_with_parent", _("ook met het netwerk erboven"), _yes_no),
    )
    details = [
        _now(str(label), changes[name], show)
        if created
        else change_in_words(str(label), changes[name], show)
        for name, label, show in labels
        if name in changes
    ]
    if changes.get("decision"):
        details.append(_("besloten bij besluit %(n)s") % {"n": changes["decision"]})
    return details


def _now(label: str, change: Any, show: Any) -> str:
    new = change[-1] if isinstance(change, list) and change else None
    return _("%(label)s: %(new)s") % {"label": label, "new": show(new)}


def _with_sharing(template: Any, *, created: bool = False) -> Sentence:
    def render(entry: AuditEntry, reader: AuditReader) -> str:
        head = template % {"who": reader.who, "network": _network(entry)}
        return sentence(head, _sharing_details(entry, created=created))

    return render


def _plain(template: Any) -> Sentence:
    def render(entry: AuditEntry, reader: AuditReader) -> str:
        return str(template % {"who": reader.who, "network": _network(entry)}) + "."

    return render


def _ended(entry: AuditEntry, reader: AuditReader) -> str:
    by = entry.changes.get("by") if isinstance(entry.changes, dict) else None
    if by == "network":
        return _("%(network)s beëindigde het lidmaatschap of trok de uitnodiging in.") % {
            "network": _network(entry)
        }
    return _("%(who)s beëindigde het lidmaatschap van %(network)s of trok het verzoek in.") % {
        "who": reader.who,
        "network": _network(entry),
    }


def _accepted(entry: AuditEntry, reader: AuditReader) -> str:
    if entry.actor_id is None:
        head = _("%(network)s aanvaardde het verzoek: de coöperatie is lid") % {
            "network": _network(entry)
        }
    else:
        head = _("%(who)s aanvaardde de uitnodiging van %(network)s") % {
            "who": reader.who,
            "network": _network(entry),
        }
    return sentence(head, _sharing_details(entry, created=True))


def _declined(entry: AuditEntry, reader: AuditReader) -> str:
    if entry.actor_id is None:
        return _("%(network)s wees het verzoek om lid te worden af.") % {"network": _network(entry)}
    return _("%(who)s wees de uitnodiging van %(network)s af.") % {
        "who": reader.who,
        "network": _network(entry),
    }


def sentences() -> dict[str, Sentence]:
    """Every membership action in a cooperative's log, with its sentence."""
    return {
        services.REQUESTED: _with_sharing(
            gettext_lazy("%(who)s vroeg om lid te worden van %(network)s"), created=True
        ),
        services.INVITED: _plain(
            gettext_lazy("%(network)s nodigde de coöperatie uit om lid te worden")
        ),
        services.ACCEPTED: _accepted,
        services.DECLINED: _declined,
        services.SHARING_CHANGED: _with_sharing(
            gettext_lazy("%(who)s wijzigde wat de coöperatie deelt met %(network)s")
        ),
        services.ENDED: _ended,
    }
