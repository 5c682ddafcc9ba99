"""Writes of the knowledge network. A network's manager publishes, edits, withdraws and
decides on suggestions; a member cooperative's board suggests. Everything is checked before
anything is stored: a refused upload leaves no row and no file behind, and a file stored for a
write that then fails is removed again."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared import permissions
from shared.audit.services import audit_record
from shared.validation import clean_tags, field_error
from tenants.knowledge.files import Checked, file_check
from tenants.knowledge.models import Document
from tenants.knowledge.selectors import networks_suggested_to
from tenants.models import Cooperative, Network
from tenants.networks.models import NetworkRole
from tenants.networks.selectors import cooperatives_visible_to_network, role_of

SUGGEST_ACTION = "document.suggest"
TEXT_FIELDS = ("kind", "title", "summary", "tags", "link")


def _must_manage(*, user: Any, network: Network) -> None:
    if role_of(user=user, network=network) != NetworkRole.Role.MANAGER:
        raise field_error(
            None, _("Alleen een beheerder van het netwerk publiceert documenten."), "forbidden"
        )


def _own(document: Document, network: Network) -> None:
    if document.network_id != network.pk:
        raise field_error(None, _("Dit document hoort niet bij uw netwerk."), "not_found")


def _collect(checks: Iterable[tuple[str, Callable[[], Any]]]) -> dict[str, Any]:
    """Run every check and report all refusals at once."""
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}
    for field, check in checks:
        try:
            cleaned[field] = check()
        except ValidationError as e:
            e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _kind(value: str) -> str:
    if value not in Document.Kind.values:
        raise field_error("kind", _("Kies de soort document."), "invalid")
    return value


def _title(value: str) -> str:
    title = " ".join((value or "").split())
    if not title:
        raise field_error("title", _("Geef het document een titel."), "required")
    if len(title) > 200:
        raise field_error("title", _("De titel is te lang (hoogstens 200 tekens)."), "max_length")
    return title


def _summary(value: str) -> str:
    summary = (value or "").strip()
    if len(summary) > 2000:
        raise field_error(
            "summary", _("De samenvatting is te lang (hoogstens 2000 tekens)."), "max_length"
        )
    return summary


def _link(value: str) -> str:
    link = (value or "").strip()
    if not link:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise field_error(
            "link", _("Vul een volledig webadres in, beginnend met https://."), "invalid"
        ) from None
    if len(link) > 500:
        raise field_error("link", _("Dit webadres is te lang."), "max_length")
    return link


def _file(upload: Any) -> Checked | None:
    return None if upload is None else file_check(upload)


def _file_or_link(cleaned: dict[str, Any], *, has_file: bool) -> None:
    if cleaned["file"] is not None and cleaned["link"]:
        raise field_error("link", _("Kies een bestand of een link, niet allebei."), "both")
    if not has_file and cleaned["file"] is None and not cleaned["link"]:
        raise field_error("file", _("Kies een bestand of vul een link in."), "required")


def _checks(
    *, kind: str, title: str, summary: str, tags: Any, link: str, file: Any
) -> list[tuple[str, Callable[[], Any]]]:
    return [
        ("kind", lambda: _kind(kind)),
        ("title", lambda: _title(title)),
        ("summary", lambda: _summary(summary)),
        ("tags", lambda: clean_tags(tags)[:20]),
        ("link", lambda: _link(link)),
        ("file", lambda: _file(file)),
    ]


def _contributor(network: Network, cooperative: Cooperative | None) -> Cooperative | None:
    """A contributing cooperative the manager names must be one the network sees."""
    if cooperative is None:
        return None
    seen = {v.cooperative.pk for v in cooperatives_visible_to_network(network=network)}
    if cooperative.pk not in seen:
        raise field_error(
            "cooperative", _("Deze coöperatie is geen lid van uw netwerk."), "not_member"
        )
    return cooperative


def _save(
    document: Document,
    upload: Any,
    checked: Checked | None,
    after: Callable[[Document], Any] | None = None,
) -> Document:
    """Store the file (under a name of our own), the row and whatever ``after`` writes with
    it, in one transaction; if any of it fails, the stored file goes again."""
    stored = ""
    old_file = document.file.name if checked is not None and document.pk else ""
    try:
        with transaction.atomic():
            if checked is not None:
                name = f"{document.network.slug}/{uuid.uuid4().hex}.{checked.extension}"
                document.file.save(name, upload, save=False)
                stored = document.file.name
                document.file_name = checked.name
                document.file_type = checked.content_type
                document.file_size = checked.size
                document.link = ""
            document.full_clean(exclude=["file", "published_by", "cooperative", "network"])
            document.save()
            if after is not None:
                after(document)
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    if old_file:
        # The replaced file goes once the new one is committed.
        transaction.on_commit(lambda: default_storage.delete(old_file))
    return document


def document_publish(
    *,
    user: Any,
    network: Network,
    kind: str,
    title: str,
    summary: str = "",
    tags: Any = (),
    link: str = "",
    file: Any = None,
    cooperative: Cooperative | None = None,
) -> Document:
    """A manager publishes a document for the network (and the networks below it)."""
    _must_manage(user=user, network=network)
    checks = _checks(kind=kind, title=title, summary=summary, tags=tags, link=link, file=file)
    checks.append(("cooperative", lambda: _contributor(network, cooperative)))
    cleaned = _collect(checks)
    _file_or_link(cleaned, has_file=False)
    now = timezone.now()
    document = Document(
        network=network,
        kind=cleaned["kind"],
        title=cleaned["title"],
        summary=cleaned["summary"],
        tags=cleaned["tags"],
        link=cleaned["link"],
        cooperative=cleaned["cooperative"],
        status=Document.Status.PUBLISHED,
        published_by=user,
        published_at=now,
        created_at=now,
        updated_at=now,
    )
    return _save(document, file, cleaned["file"])


def document_update(
    *,
    user: Any,
    network: Network,
    document: Document,
    kind: str,
    title: str,
    summary: str = "",
    tags: Any = (),
    link: str = "",
    file: Any = None,
) -> Document:
    """A manager corrects a document of the network's own, or replaces its file."""
    _must_manage(user=user, network=network)
    _own(document, network)
    cleaned = _collect(
        _checks(kind=kind, title=title, summary=summary, tags=tags, link=link, file=file)
    )
    if cleaned["file"] is None and cleaned["link"] and document.file:
        raise field_error(
            "link", _("Dit document is een bestand: vervang het bestand, of trek het in."), "both"
        )
    _file_or_link(cleaned, has_file=bool(document.file))
    for name in ("kind", "title", "summary", "tags", "link"):
        setattr(document, name, cleaned[name])
    document.updated_at = timezone.now()
    return _save(document, file, cleaned["file"])


@transaction.atomic
def document_withdraw(*, user: Any, network: Network, document: Document) -> Document:
    """A manager withdraws a document (or declines a suggestion): nobody reads it any more,
    and its file is removed once that is committed."""
    _must_manage(user=user, network=network)
    _own(document, network)
    if document.status not in (Document.Status.PUBLISHED, Document.Status.SUGGESTED):
        raise field_error(None, _("Dit document is al ingetrokken."), "not_open")
    declined = document.status == Document.Status.SUGGESTED
    document.status = Document.Status.DECLINED if declined else Document.Status.WITHDRAWN
    document.updated_at = timezone.now()
    old_file = document.file.name
    document.file = ""
    document.save(update_fields=["status", "updated_at", "file"])
    if old_file:
        transaction.on_commit(lambda: default_storage.delete(old_file))
    return document


@transaction.atomic
def document_suggestion_publish(*, user: Any, network: Network, document: Document) -> Document:
    """A manager publishes a member cooperative's suggestion as it is."""
    _must_manage(user=user, network=network)
    _own(document, network)
    if document.status != Document.Status.SUGGESTED:
        raise field_error(None, _("Over dit voorstel is al besloten."), "not_open")
    now = timezone.now()
    document.status = Document.Status.PUBLISHED
    document.published_by = user
    document.published_at = now
    document.updated_at = now
    document.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    return document


def document_suggest(
    *,
    actor: Any,
    cooperative: Cooperative,
    network: Network,
    kind: str,
    title: str,
    summary: str = "",
    tags: Any = (),
    link: str = "",
    file: Any = None,
) -> Document:
    """A cooperative's board suggests a document to a network it is a member of; it waits
    as "voorgesteld" until the network's manager publishes or declines it. Audited in the
    cooperative's own log."""
    if not permissions.can(actor, "knowledge.suggest"):
        raise field_error(
            None, _("Alleen het bestuur stelt documenten voor aan een netwerk."), "forbidden"
        )
    checks = _checks(kind=kind, title=title, summary=summary, tags=tags, link=link, file=file)
    checks.append(("network", lambda: _suggested_network(cooperative, network)))
    cleaned = _collect(checks)
    _file_or_link(cleaned, has_file=False)
    now = timezone.now()
    document = Document(
        network=network,
        kind=cleaned["kind"],
        title=cleaned["title"],
        summary=cleaned["summary"],
        tags=cleaned["tags"],
        link=cleaned["link"],
        cooperative=cooperative,
        status=Document.Status.SUGGESTED,
        suggested_at=now,
        created_at=now,
        updated_at=now,
    )

    def audit(saved: Document) -> None:
        audit_record(
            actor_id=actor.pk,
            action=SUGGEST_ACTION,
            target_type="knowledge.document",
            target_id=saved.pk,
            summary=f"Document voorgesteld aan {network.name}"[:300],
            changes={"network": [None, network.name], "title": [None, saved.title]},
        )

    return _save(document, file, cleaned["file"], after=audit)


def _suggested_network(cooperative: Cooperative, network: Network | None) -> Network:
    if network is None or network.pk not in {
        n.pk for n in networks_suggested_to(cooperative=cooperative)
    }:
        raise field_error(
            "network", _("Kies een netwerk waarvan uw coöperatie lid is."), "not_member"
        )
    return network
