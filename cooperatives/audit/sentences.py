"""What the cooperative's own actions in the audit log mean, one sentence each: members,
joining, set-up, the house rules, the marketplace and the points. Registered from
``cooperatives.apps`` (billing registers its own; see ``shared.audit.sentences``).

Values are shown as the pages show them (€ 4,50, 2 uur, ja), records by their name as it is
now (a member erased since shows their pseudonym), services and requests by number.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.members.models import Member, Role
from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rule_display, rulebook_diff_readable
from cooperatives.setup.models import Cluster, Neighbourhood, Partner
from shared.audit.models import AuditEntry
from shared.audit.sentences import (
    AuditReader,
    Sentence,
    changes_in_words,
    sentence,
    summary_number,
    value_in_words,
)


def _labels(model: type[models.Model], *extra: tuple[str, str]) -> dict[str, str]:
    labels = {
        f.name: str(f.verbose_name)
        for f in model._meta.get_fields()
        if isinstance(f, (models.Field, models.ManyToManyField)) and f.verbose_name
    }
    return {**labels, **dict(extra)}


def _member(reader: AuditReader, key: object) -> str:
    return reader.name("member", key, _("lid %(id)s") % {"id": key})


def _target(entry: AuditEntry, reader: AuditReader) -> str:
    """The record the entry is about, by its name now."""
    kind = entry.target_type.rsplit(".", 1)[-1]
    if kind == "member":
        return _member(reader, entry.target_id)
    return reader.name(kind, entry.target_id, entry.target_id)


def _shown(reader: AuditReader) -> Any:
    """Show values of member, buurt and partner fields: ids as names, choices as words."""
    kinds = dict(Member.Kind.choices) | dict(Partner.Kind.choices)

    def show(name: str, value: Any) -> str:
        if name == "help_clusters":
            return value_in_words([reader.name("cluster", v, str(v)) for v in value or []])
        if name == "assistants":
            return value_in_words([_member(reader, v) for v in value or []])
        if name == "kind" and value in kinds:
            return str(kinds[value])
        if name == "social_rate" and value:
            return rule_display("euro_rate_per_hour", Decimal(str(value)))
        return value_in_words(value)

    return show


# --- members and joining -----------------------------------------------------------------------


def _member_update(entry: AuditEntry, reader: AuditReader) -> str:
    head = _("%(who)s wijzigde de gegevens van %(member)s") % {
        "who": reader.who,
        "member": _target(entry, reader),
    }
    return sentence(head, changes_in_words(entry.changes, _labels(Member), _shown(reader)))


def _member_neighbourhood(entry: AuditEntry, reader: AuditReader) -> str:
    old, new = (entry.changes.get("neighbourhood") or [None, None])[:2]
    return _("%(who)s zette %(member)s over van buurt %(old)s naar buurt %(new)s.") % {
        "who": reader.who,
        "member": _target(entry, reader),
        "old": reader.name("neighbourhood", old, _("(geen)")) if old else _("(geen)"),
        "new": reader.name("neighbourhood", new, _("(geen)")) if new else _("(geen)"),
    }


def _member_roles(entry: AuditEntry, reader: AuditReader) -> str:
    old, new = (entry.changes.get("roles") or [[], []])[:2]
    labels = dict(Role.choices)
    added = [str(labels.get(r, r)) for r in new if r not in old]
    removed = [str(labels.get(r, r)) for r in old if r not in new]
    details = []
    if added:
        details.append(_("erbij: %(roles)s") % {"roles": ", ".join(added)})
    if removed:
        details.append(_("eraf: %(roles)s") % {"roles": ", ".join(removed)})
    head = _("%(who)s wijzigde de rollen van %(member)s") % {
        "who": reader.who,
        "member": _target(entry, reader),
    }
    return sentence(head, details)


def _member_leave(entry: AuditEntry, reader: AuditReader) -> str:
    if str(entry.actor_id) == entry.target_id:
        return _("%(member)s zegde het lidmaatschap op.") % {"member": _target(entry, reader)}
    return _("%(who)s zegde het lidmaatschap van %(member)s op.") % {
        "who": reader.who,
        "member": _target(entry, reader),
    }


def _member_email_change_request(entry: AuditEntry, reader: AuditReader) -> str:
    if str(entry.actor_id) == entry.target_id:
        return _(
            "%(member)s vroeg een nieuw e-mailadres aan; het geldt pas na bevestiging via de "
            "link naar dat adres."
        ) % {"member": _target(entry, reader)}
    return _(
        "%(who)s vroeg een nieuw e-mailadres aan voor %(member)s; het geldt pas na "
        "bevestiging via de link naar dat adres."
    ) % {"who": reader.who, "member": _target(entry, reader)}


def _member_contact_sharing(entry: AuditEntry, reader: AuditReader) -> str:
    """A coordinator (or assistant) set for a member what the other side of a service sees;
    the log keeps which choice changed, from what to what (yes or no)."""
    labels = {
        "share_phone": _("telefoonnummer tonen"),
        "share_email": _("e-mailadres tonen"),
    }
    head = _("%(who)s stelde voor %(member)s in wat de ander bij een afspraak ziet") % {
        "who": reader.who,
        "member": _target(entry, reader),
    }
    return sentence(head, changes_in_words(entry.changes, labels))


# The sentences below take their text lazily: it is translated when the log is read, in the
# reader's language, not once when the app starts.


def _about_member(template: Any) -> Sentence:
    def render(entry: AuditEntry, reader: AuditReader) -> str:
        return template % {"who": reader.who, "member": _target(entry, reader)}

    return render


def _with_id(template: Any) -> Sentence:
    """A sentence about a record by number (requests, services, applications, ...)."""

    def render(entry: AuditEntry, reader: AuditReader) -> str:
        return template % {"who": reader.who, "id": entry.target_id}

    return render


# --- set-up ------------------------------------------------------------------------------------


def _setup(template: Any, model: type[models.Model], *, details: bool = True) -> Sentence:
    """A buurt, cluster or partner made or changed: its name, and what changed."""

    def render(entry: AuditEntry, reader: AuditReader) -> str:
        head = template % {"who": reader.who, "name": _target(entry, reader)}
        if not details:
            return sentence(head)
        extra = (("social_rate", _("sociaal tarief")),) if model is Partner else ()
        labels = _labels(model, *extra)
        created = entry.action.endswith(".create")
        if created:
            labels.pop("name", None)  # the sentence names it already
        shown = changes_in_words(entry.changes, labels, _shown(reader), created=created)
        return sentence(head, shown)

    return render


def _cooperative_details(entry: AuditEntry, reader: AuditReader) -> str:
    """The board changed the cooperative's contact address, place or postcode areas (the
    cooperative's own, not personal: the log keeps their values)."""
    labels = {
        "contact_email": _("contactadres"),
        "place": _("plaats"),
        "postcode_areas": _("postcodegebieden"),
    }
    head = _("%(who)s wijzigde de gegevens van de coöperatie") % {"who": reader.who}
    return sentence(head, changes_in_words(entry.changes, labels))


# --- the house rules ---------------------------------------------------------------------------


def _raw(value: Any) -> Any:
    """A rule value as logged (JSON) back to what rule_display takes."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def _rulebook_revise(entry: AuditEntry, reader: AuditReader) -> str:
    labels = _labels(Rulebook)
    changes = [
        {"field": name, "label": labels.get(name, name), "old": _raw(old), "new": _raw(new)}
        for name, (old, new) in entry.changes.items()
    ]
    details = [
        _("%(label)s van %(old)s naar %(new)s") % row
        for row in rulebook_diff_readable(changes=changes)
    ]
    version = reader.name("rulebook", entry.target_id)
    head = (
        _("%(who)s wijzigde de spelregels (%(version)s)") % {"who": reader.who, "version": version}
        if version
        else _("%(who)s wijzigde de spelregels") % {"who": reader.who}
    )
    return sentence(head, details)


# --- the marketplace and the points ------------------------------------------------------------


def _service_move(entry: AuditEntry, reader: AuditReader) -> str:
    old, new = (entry.changes.get("when") or ["", ""])[:2]
    return _("%(who)s verzette dienst %(id)s van %(old)s naar %(new)s.") % {
        "who": reader.who,
        "id": entry.target_id,
        "old": old,
        "new": new,
    }


def _service_register(entry: AuditEntry, reader: AuditReader) -> str:
    hours = summary_number(entry, r": (\d+(?:\.\d+)?) uur")
    if not hours:
        return _("%(who)s registreerde de uren van dienst %(id)s.") % {
            "who": reader.who,
            "id": entry.target_id,
        }
    return _("%(who)s registreerde %(hours)s uur voor dienst %(id)s.") % {
        "who": reader.who,
        "hours": value_in_words(hours),
        "id": entry.target_id,
    }


def _service_resolve(entry: AuditEntry, reader: AuditReader) -> str:
    """After the requester disputed the hours: the volunteer (or a coordinator) set them."""
    old, new = (entry.changes.get("registered_hours") or ["", ""])[:2]
    values = {"who": reader.who, "id": entry.target_id}
    if not _is_number(new):
        return _("%(who)s stelde de betwiste uren van dienst %(id)s opnieuw vast.") % values
    values["hours"] = value_in_words(new)
    if not _is_number(old):
        return _("%(who)s stelde de betwiste uren van dienst %(id)s vast op %(hours)s uur.") % (
            values
        )
    values["old"] = value_in_words(old)
    return (
        _(
            "%(who)s stelde de betwiste uren van dienst %(id)s vast op %(hours)s uur (was "
            "%(old)s uur)."
        )
        % values
    )


def _is_number(value: Any) -> bool:
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return value not in (None, "")


def _request_expire(entry: AuditEntry, reader: AuditReader) -> str:
    days = summary_number(entry, r"na (\d+) dagen")
    if days:
        return _("Hulpvraag %(id)s is verlopen: %(days)s dagen zonder antwoord.") % {
            "id": entry.target_id,
            "days": days,
        }
    return _("Hulpvraag %(id)s is verlopen.") % {"id": entry.target_id}


def _points(template: Any) -> Sentence:
    """A points booking whose number of points the service wrote in the summary."""

    def render(entry: AuditEntry, reader: AuditReader) -> str:
        points = summary_number(entry, r"(-?\d+(?:\.\d+)?) punten")
        return template % {
            "who": reader.who,
            "points": value_in_words(points) if points else "?",
            "id": entry.target_id,
        }

    return render


def _points_reverse(entry: AuditEntry, reader: AuditReader) -> str:
    original = summary_number(entry, r"#(\d+)") or entry.target_id
    return _("%(who)s draaide overboeking %(id)s terug.") % {"who": reader.who, "id": original}


def sentences() -> dict[str, Sentence]:
    """Every action the cooperative's own features log, with its sentence."""
    return {
        "member.register": _about_member(gettext_lazy("%(who)s schreef %(member)s in als lid.")),
        # Lifted by a new password (the member) or by the coordinator (shared.accounts).
        "account.unlock": _about_member(
            gettext_lazy("%(member)s kan weer inloggen: de blokkade van het account is opgeheven.")
        ),
        "member.update": _member_update,
        "member.set_neighbourhood": _member_neighbourhood,
        "member.assign_roles": _member_roles,
        "member.leave": _member_leave,
        "member.email_change_request": _member_email_change_request,
        "member.email_change": _about_member(
            gettext_lazy(
                "Het e-mailadres van %(member)s is gewijzigd, bevestigd via de link naar het "
                "nieuwe adres."
            )
        ),
        "member.password_reset": _about_member(
            gettext_lazy("%(who)s stuurde %(member)s een link om een nieuw wachtwoord te kiezen.")
        ),
        "member.contact_sharing": _member_contact_sharing,
        "member.two_factor_reset_request": _about_member(
            gettext_lazy(
                "%(who)s vroeg aan de telefoon van %(member)s los te koppelen (tweestaps"
                "verificatie); een ander bestuurslid moet het bevestigen."
            )
        ),
        "member.two_factor_reset": _about_member(
            gettext_lazy(
                "%(who)s bevestigde het loskoppelen van de telefoon van %(member)s; het lid "
                "koppelt bij de volgende keer inloggen een nieuwe."
            )
        ),
        "member.erase": _about_member(
            gettext_lazy("%(who)s wiste de persoonsgegevens van een lid (nu: %(member)s).")
        ),
        "member.export": _about_member(
            gettext_lazy("%(who)s downloadde de gegevens van %(member)s voor het lid.")
        ),
        "application.approve": _with_id(gettext_lazy("%(who)s keurde aanmelding %(id)s goed.")),
        "application.decline": _with_id(gettext_lazy("%(who)s wees aanmelding %(id)s af.")),
        "invitation.send": _with_id(
            gettext_lazy("%(who)s stuurde een uitnodiging om lid te worden.")
        ),
        "invitation.accept": _with_id(gettext_lazy("%(who)s nam een uitnodiging aan en werd lid.")),
        "cooperative.details": _cooperative_details,
        "rulebook.revise": _rulebook_revise,
        "neighbourhood.create": _setup(
            gettext_lazy("%(who)s maakte de buurt %(name)s aan"), Neighbourhood
        ),
        "neighbourhood.update": _setup(
            gettext_lazy("%(who)s wijzigde de buurt %(name)s"), Neighbourhood
        ),
        "cluster.create": _setup(gettext_lazy("%(who)s maakte het cluster %(name)s aan"), Cluster),
        "cluster.update": _setup(gettext_lazy("%(who)s wijzigde het cluster %(name)s"), Cluster),
        "cluster.retire": _setup(
            gettext_lazy("%(who)s zette het cluster %(name)s buiten gebruik"),
            Cluster,
            details=False,
        ),
        "cluster.reactivate": _setup(
            gettext_lazy("%(who)s nam het cluster %(name)s weer in gebruik"), Cluster, details=False
        ),
        "partner.create": _setup(gettext_lazy("%(who)s voegde de partner %(name)s toe"), Partner),
        "partner.update": _setup(gettext_lazy("%(who)s wijzigde de partner %(name)s"), Partner),
        "request.create": _with_id(gettext_lazy("%(who)s vroeg om hulp (hulpvraag %(id)s).")),
        "request.create_on_behalf": _with_id(
            gettext_lazy("%(who)s vroeg namens een lid om hulp (hulpvraag %(id)s).")
        ),
        "request.cancel": _with_id(gettext_lazy("%(who)s trok hulpvraag %(id)s in.")),
        "request.expire": _request_expire,
        "offer.create": _with_id(gettext_lazy("%(who)s bood hulp aan (aanbod %(id)s).")),
        "offer.expire": _with_id(gettext_lazy("Aanbod %(id)s is verlopen.")),
        "response.accept": _with_id(
            gettext_lazy("%(who)s koos een vrijwilliger en plande de afspraak (dienst %(id)s).")
        ),
        "service.move": _service_move,
        "service.cancel": _with_id(gettext_lazy("%(who)s annuleerde dienst %(id)s.")),
        "service.register": _service_register,
        "service.confirm": _with_id(gettext_lazy("%(who)s bevestigde de uren van dienst %(id)s.")),
        "service.confirm_approve": _with_id(
            gettext_lazy(
                "%(who)s bevestigde de uren van dienst %(id)s en keurde de kwaliteit goed."
            )
        ),
        "service.dispute": _with_id(
            gettext_lazy(
                "%(who)s liet weten dat de geregistreerde uren van dienst %(id)s niet kloppen."
            )
        ),
        "service.resolve": _service_resolve,
        "service.approve": _with_id(
            gettext_lazy("%(who)s keurde de kwaliteit van dienst %(id)s goed.")
        ),
        "service.settle": _with_id(
            gettext_lazy("%(who)s boekte alsnog wat dienst %(id)s nog moest verrekenen.")
        ),
        "service.feedback": _with_id(gettext_lazy("%(who)s gaf terugkoppeling op dienst %(id)s.")),
        "points.approve": _with_id(gettext_lazy("%(who)s keurde betaling %(id)s in punten goed.")),
        "points.reject": _with_id(gettext_lazy("%(who)s wees betaling %(id)s in punten af.")),
        "points.grant": _points(
            gettext_lazy("%(who)s gaf %(points)s punten uit de solidariteitspot.")
        ),
        "points.correct": _points(
            gettext_lazy("%(who)s boekte een correctie van %(points)s punten.")
        ),
        "points.reverse": _points_reverse,
    }
