"""Membership of a network, both ways: every write about who belongs to which network and what
a cooperative shares with it.

- A cooperative's board asks to join (``membership_request``), choosing what it shares; a
  network manager accepts or declines.
- A network manager invites a cooperative (``membership_invite``); the board accepts with its
  sharing choices, or declines.
- The cooperative changes or withdraws what it shares at any time
  (``membership_sharing_change``); the network's figures follow from the next nightly run.
- Either side ends a membership, or withdraws its own request or invitation
  (``membership_end``). Whatever else hangs on the membership (a network paying the
  cooperative's subscription: ``billing.sponsorship``) hears of it through a hook registered
  with ``membership_ending_register``, inside the same transaction: billing sits above tenants
  in the layers, so tenants cannot call it, and a hook that refuses rolls the end back.

Every refusal is a ``field_error`` with a code, raised before anything is written. Each act of
a cooperative's board is in the cooperative's own audit log. Each act mails the other side,
after the commit, with a link to the page where they act. Nothing here reads a cooperative's
schema except its board's names and addresses, to mail them, and its audit log, to write it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from cooperatives.decisions.services import decision_adopting
from cooperatives.figures.catalog import GROUP_KEYS, group_label
from cooperatives.governance.effects import Effect
from cooperatives.governance.models import Decision
from cooperatives.governance.selectors import members_on_board
from shared.audit.services import audit_record
from shared.mail import recipient_language
from shared.tenancy.current import current_cooperative
from shared.tenancy.urls import cooperative_url
from shared.validation import actor_id, field_error
from tenants.models import Cooperative, Network
from tenants.networks.models import Membership, NetworkRole

Status = Membership.Status
Side = Membership.Side

# The actions in the cooperative's audit log (sentences: tenants.networks.sentences).
REQUESTED = "networks.membership_requested"
INVITED = "networks.membership_invited"
ACCEPTED = "networks.membership_accepted"
DECLINED = "networks.membership_declined"
SHARING_CHANGED = "networks.sharing_changed"
ENDED = "networks.membership_ended"

# Called inside membership_end's transaction, before the membership is ended, with keyword
# arguments membership, side and actor_id. A hook ends what depends on the membership, or
# raises a ValidationError to refuse the end: then nothing is written. A registry rather than
# a signal: the work is business logic (billing ends its sponsorship), and billing, which sits
# above tenants, registers it explicitly when it starts.
_ending_hooks: list[Callable[..., None]] = []


def membership_ending_register(hook: Callable[..., None]) -> None:
    if hook not in _ending_hooks:
        _ending_hooks.append(hook)


# The URL names of the two pages where memberships are handled.
NETWORK_PAGE = "network-memberships"
COOPERATIVE_PAGE = "networks-cooperative"


@dataclass(frozen=True)
class Sharing:
    """What a cooperative shares with one network: groups of figures (keys of
    ``cooperatives.figures.catalog``), a place on the network's map, and the same for the
    networks above it. Never anything about a member: only counts over groups."""

    groups: tuple[str, ...] = ()
    on_map: bool = False
    share_with_parent: bool = False

    @classmethod
    def of(cls, membership: Membership) -> Sharing:
        return cls(tuple(membership.share_groups), membership.on_map, membership.share_with_parent)


NOTHING = Sharing()


# --- the cooperative asks, the network invites ----------------------------------------------------


def membership_request(
    *,
    cooperative: Cooperative,
    network: Network,
    sharing: Sharing,
    message: str = "",
    actor: Any,
    adopting: Mapping[str, Any],
) -> Membership:
    """The cooperative's board asks to join ``network``, sharing ``sharing`` once accepted,
    by a decision of the body its statutes name for joining a network (``network_decided_by``):
    ``adopting`` picks it from the register or records it now
    (``cooperatives.decisions.services.decision_adopting``; the decision notes the membership
    it put into effect). Refused when the cooperative is already a member, already asked or
    already invited (then it accepts the invitation instead), names a group that does not
    exist, or names no decision; a refusal leaves no decision and no request."""
    groups = _groups_checked(sharing.groups)
    # The decision is the cooperative's own: written in its schema, whichever schema calls.
    with schema_context(cooperative.schema_name):
        decision = decision_adopting(
            actor=actor,
            subject="network",
            proposal={
                EFFECT_KIND: {
                    "act": "request",
                    "cooperative": cooperative.pk,
                    "network": network.pk,
                    "groups": groups,
                    "on_map": sharing.on_map,
                    "share_with_parent": sharing.share_with_parent,
                    "message": message,
                }
            },
            title=_("Aansluiten bij %(network)s") % {"network": network.name},
            text=_decision_text(
                network, Sharing(tuple(groups), sharing.on_map, sharing.share_with_parent)
            ),
            kind=Decision.Kind.NETWORK,
            **adopting,
        )
    return _decided_membership(decision)


def _request(
    *,
    cooperative: Cooperative,
    network: Network,
    sharing: Sharing,
    message: str,
    actor: Any,
    decision: Decision,
) -> Membership:
    groups = _groups_checked(sharing.groups)
    with transaction.atomic():
        _refuse_when_open(network=network, cooperative=cooperative, asking=Side.COOPERATIVE)
        membership = _create(
            network=network,
            cooperative=cooperative,
            status=Status.REQUESTED,
            initiated_by=Side.COOPERATIVE,
            share_groups=groups,
            on_map=sharing.on_map,
            share_with_parent=sharing.share_with_parent and network.parent_id is not None,
            message=message.strip()[:1000],
        )
        with schema_context(cooperative.schema_name):
            audit_record(
                actor_id=actor_id(actor),
                action=REQUESTED,
                target=membership,
                summary=f"Netwerk {network.name}",
                changes={
                    **_sharing_changes(NOTHING, Sharing.of(membership)),
                    "decision": decision.number,
                },
            )
        _mail_network(
            membership,
            subject=lambda: _("%(coop)s vraagt lid te worden van %(network)s") % _names(membership),
            body=lambda: (
                _(
                    "Het bestuur van %(coop)s vraagt om lid te worden van %(network)s. Op de "
                    "pagina van de aangesloten coöperaties ziet u wat zij wil delen en kunt u het "
                    "verzoek aanvaarden of afwijzen."
                )
                % _names(membership)
            ),
            link_label=lambda: _("Verzoek bekijken"),
        )
    return membership


def membership_invite(
    *, network: Network, cooperative: Cooperative, message: str = "", user: Any
) -> Membership:
    """A manager of ``network`` invites the cooperative. It shares nothing until its board
    accepts and chooses what to share. Refused when the cooperative is already a member,
    already invited, already asked itself (accept its request instead), or is not open."""
    _refuse_unless_manager(network=network, user=user)
    if not cooperative.is_open:
        raise field_error(
            "cooperative",
            _("Deze coöperatie is niet actief op het platform en kan niet worden uitgenodigd."),
            "closed",
        )
    with transaction.atomic():
        _refuse_when_open(network=network, cooperative=cooperative, asking=Side.NETWORK)
        membership = _create(
            network=network,
            cooperative=cooperative,
            status=Status.INVITED,
            initiated_by=Side.NETWORK,
            share_groups=[],
            on_map=False,
            share_with_parent=False,
            message=message.strip()[:1000],
        )
        with schema_context(cooperative.schema_name):
            audit_record(
                actor_id=None,
                action=INVITED,
                target=membership,
                summary=f"Netwerk {network.name}",
            )
        _mail_board(
            membership,
            subject=lambda: (
                _("%(network)s nodigt %(coop)s uit om lid te worden") % _names(membership)
            ),
            body=lambda: (
                _(
                    "%(network)s nodigt %(coop)s uit om lid te worden van het netwerk. Op de "
                    "pagina Netwerken kiest het bestuur wat de coöperatie deelt, en aanvaardt of "
                    "wijst de uitnodiging af. Persoonsgegevens van leden worden nooit gedeeld."
                )
                % _names(membership)
            ),
            link_label=lambda: _("Uitnodiging bekijken"),
        )
    return membership


# --- the other side answers ---------------------------------------------------------------------


def membership_accept(
    *,
    membership: Membership,
    side: str,
    actor: Any,
    sharing: Sharing | None = None,
    adopting: Mapping[str, Any] | None = None,
) -> Membership:
    """The side that was asked accepts: a network manager a cooperative's request (``side`` =
    network, ``actor`` the user), or the cooperative's board an invitation (``side`` =
    cooperative, ``actor`` the member, with ``sharing`` and, as for a request, the decision
    that decided it in ``adopting``). The membership starts now."""
    if side == Side.NETWORK:
        return _accept(membership=membership, side=side, actor=actor, sharing=None)
    chosen = sharing or NOTHING
    groups = _groups_checked(chosen.groups)
    _refuse_unless_asked(membership, side=side)
    with schema_context(membership.cooperative.schema_name):
        decision = decision_adopting(
            actor=actor,
            subject="network",
            proposal={
                EFFECT_KIND: {
                    "act": "accept",
                    "membership": membership.pk,
                    "groups": groups,
                    "on_map": chosen.on_map,
                    "share_with_parent": chosen.share_with_parent,
                }
            },
            title=_("Aansluiten bij %(network)s") % {"network": membership.network.name},
            text=_decision_text(
                membership.network, Sharing(tuple(groups), chosen.on_map, chosen.share_with_parent)
            ),
            kind=Decision.Kind.NETWORK,
            **(adopting or {}),
        )
    return _decided_membership(decision)


def _accept(
    *,
    membership: Membership,
    side: str,
    actor: Any,
    sharing: Sharing | None,
    decision: Decision | None = None,
) -> Membership:
    if side == Side.NETWORK:
        _refuse_unless_manager(network=membership.network, user=actor)
    groups = _groups_checked(sharing.groups) if sharing is not None else None
    with transaction.atomic():
        locked = _locked(membership)
        _refuse_unless_asked(locked, side=side)
        before = Sharing.of(locked)
        locked.status = Status.ACTIVE
        locked.started_at = timezone.now()
        fields = ["status", "started_at"]
        if side == Side.COOPERATIVE and sharing is not None and groups is not None:
            locked.share_groups = groups
            locked.on_map = sharing.on_map
            locked.share_with_parent = (
                sharing.share_with_parent and locked.network.parent_id is not None
            )
            fields += ["share_groups", "on_map", "share_with_parent"]
        locked.save(update_fields=fields)
        with schema_context(locked.cooperative.schema_name):
            audit_record(
                actor_id=actor_id(actor) if side == Side.COOPERATIVE else None,
                action=ACCEPTED,
                target=locked,
                summary=f"Netwerk {locked.network.name}",
                changes={
                    **_sharing_changes(before, Sharing.of(locked)),
                    **({"decision": decision.number} if decision is not None else {}),
                },
            )
        if side == Side.COOPERATIVE:
            _mail_network(
                locked,
                subject=lambda: _("%(coop)s is nu lid van %(network)s") % _names(locked),
                body=lambda: (
                    _(
                        "Het bestuur van %(coop)s heeft de uitnodiging aanvaard: de coöperatie is "
                        "nu lid van %(network)s. Haar gedeelde cijfers verschijnen na de volgende "
                        "nachtelijke berekening."
                    )
                    % _names(locked)
                ),
                link_label=lambda: _("Aangesloten coöperaties bekijken"),
            )
        else:
            _mail_board(
                locked,
                subject=lambda: _("%(coop)s is nu lid van %(network)s") % _names(locked),
                body=lambda: (
                    _(
                        "%(network)s heeft het verzoek van %(coop)s aanvaard: de coöperatie is nu "
                        "lid. Wat zij deelt, kan het bestuur altijd wijzigen of intrekken op de "
                        "pagina Netwerken."
                    )
                    % _names(locked)
                ),
                link_label=lambda: _("Netwerken bekijken"),
            )
    return locked


def membership_decline(*, membership: Membership, side: str, actor: Any) -> Membership:
    """The side that was asked declines the request or the invitation."""
    if side == Side.NETWORK:
        _refuse_unless_manager(network=membership.network, user=actor)
    with transaction.atomic():
        locked = _locked(membership)
        _refuse_unless_asked(locked, side=side)
        locked.status = Status.DECLINED
        locked.ended_at = timezone.now()
        locked.save(update_fields=["status", "ended_at"])
        with schema_context(locked.cooperative.schema_name):
            audit_record(
                actor_id=actor_id(actor) if side == Side.COOPERATIVE else None,
                action=DECLINED,
                target=locked,
                summary=f"Netwerk {locked.network.name}",
            )
        if side == Side.COOPERATIVE:
            _mail_network(
                locked,
                subject=lambda: _("%(coop)s gaat niet in op de uitnodiging") % _names(locked),
                body=lambda: (
                    _("Het bestuur van %(coop)s heeft de uitnodiging van %(network)s afgewezen.")
                    % _names(locked)
                ),
                link_label=lambda: _("Aangesloten coöperaties bekijken"),
            )
        else:
            _mail_board(
                locked,
                subject=lambda: _("%(network)s heeft het verzoek afgewezen") % _names(locked),
                body=lambda: (
                    _(
                        "%(network)s heeft het verzoek van %(coop)s om lid te worden afgewezen. "
                        "Er wordt niets gedeeld."
                    )
                    % _names(locked)
                ),
                link_label=lambda: _("Netwerken bekijken"),
            )
    return locked


# --- what the cooperative shares, and the end -----------------------------------------------------


def membership_sharing_change(
    *, membership: Membership, sharing: Sharing, actor: Any
) -> Membership:
    """The cooperative's board changes what it shares with the network (``NOTHING``
    withdraws everything while staying a member). Allowed while asked for or a member; the
    network's figures follow from the next nightly run, which computes only what is shared."""
    groups = _groups_checked(sharing.groups)
    with transaction.atomic():
        locked = _locked(membership)
        if locked.status not in (Status.REQUESTED, Status.ACTIVE):
            raise field_error(
                None,
                _("Deze coöperatie is geen lid van %(network)s en heeft het ook niet gevraagd.")
                % {"network": locked.network.name},
                "not_member",
            )
        before = Sharing.of(locked)
        locked.share_groups = groups
        locked.on_map = sharing.on_map
        locked.share_with_parent = (
            sharing.share_with_parent and locked.network.parent_id is not None
        )
        after = Sharing.of(locked)
        if after == before:
            return locked
        locked.save(update_fields=["share_groups", "on_map", "share_with_parent"])
        with schema_context(locked.cooperative.schema_name):
            audit_record(
                actor_id=actor_id(actor),
                action=SHARING_CHANGED,
                target=locked,
                summary=f"Netwerk {locked.network.name}",
                changes=_sharing_changes(before, after),
            )
        _mail_network(
            locked,
            subject=lambda: _("%(coop)s wijzigt wat zij deelt met %(network)s") % _names(locked),
            body=lambda: (
                _(
                    "Het bestuur van %(coop)s heeft gewijzigd wat de coöperatie deelt met "
                    "%(network)s. De cijfers van het netwerk volgen na de volgende nachtelijke "
                    "berekening."
                )
                % _names(locked)
            ),
            link_label=lambda: _("Aangesloten coöperaties bekijken"),
        )
    return locked


def membership_end(*, membership: Membership, side: str, actor: Any) -> Membership:
    """Either side ends the membership, or withdraws its own open request or invitation. What
    depends on it ends too or refuses (``membership_ending_register``: billing ends the network's
    sponsorship of the cooperative), all in one transaction."""
    if side == Side.NETWORK:
        _refuse_unless_manager(network=membership.network, user=actor)
    with transaction.atomic():
        locked = _locked(membership)
        own_open = locked.initiated_by == side and locked.status in (
            Status.REQUESTED,
            Status.INVITED,
        )
        if not (locked.status == Status.ACTIVE or own_open):
            raise field_error(
                None,
                _("Er is geen lidmaatschap of eigen verzoek om te beëindigen."),
                "not_member",
            )
        cooperative_actor = actor_id(actor) if side == Side.COOPERATIVE else None
        for hook in _ending_hooks:
            hook(membership=locked, side=side, actor_id=cooperative_actor)
        was_member = locked.status == Status.ACTIVE
        locked.status = Status.ENDED
        locked.ended_at = timezone.now()
        locked.save(update_fields=["status", "ended_at"])
        with schema_context(locked.cooperative.schema_name):
            audit_record(
                actor_id=cooperative_actor,
                action=ENDED,
                target=locked,
                summary=f"Netwerk {locked.network.name}",
                changes={"by": side},
            )
        names = _names(locked)

        def subject() -> str:
            if was_member:
                return _("Lidmaatschap van %(network)s beëindigd") % names
            return _("Verzoek voor %(network)s ingetrokken") % names

        def body() -> str:
            if not was_member:
                return (
                    _(
                        "Het verzoek of de uitnodiging voor het lidmaatschap van %(coop)s bij "
                        "%(network)s is ingetrokken."
                    )
                    % names
                )
            if side == Side.COOPERATIVE:
                return (
                    _(
                        "Het bestuur van %(coop)s heeft het lidmaatschap van %(network)s "
                        "beëindigd. Het netwerk ziet vanaf nu geen cijfers van de coöperatie meer."
                    )
                    % names
                )
            return (
                _(
                    "%(network)s heeft het lidmaatschap van %(coop)s beëindigd. Er wordt niets "
                    "meer gedeeld met het netwerk."
                )
                % names
            )

        if side == Side.COOPERATIVE:
            _mail_network(
                locked,
                subject=subject,
                body=body,
                link_label=lambda: _("Aangesloten coöperaties bekijken"),
            )
        else:
            _mail_board(
                locked, subject=subject, body=body, link_label=lambda: _("Netwerken bekijken")
            )
    return locked


# --- the decision that decides joining ---------------------------------------------------------

# The kind of proposal a decision puts into effect (cooperatives.governance.effects), the same
# word as the decision's kind (Decision.Kind.NETWORK).
EFFECT_KIND = "network"


def membership_effect_apply(
    *, decision: Decision, proposal: Mapping[str, Any], actor: Any
) -> Effect:
    """Put a decision to join a network into effect (registered by ``NetworksConfig.ready``):
    ask to join, or accept an invitation, for the cooperative whose schema this is."""
    cooperative = current_cooperative()
    act = proposal.get("act") if isinstance(proposal, Mapping) else None
    sharing = Sharing(
        tuple(proposal.get("groups") or ()) if act else (),
        bool(proposal.get("on_map")) if act else False,
        bool(proposal.get("share_with_parent")) if act else False,
    )
    membership: Membership | None = None
    if (
        act == "request"
        and cooperative is not None
        and proposal.get("cooperative") == cooperative.pk
    ):
        network = Network.objects.filter(pk=int(proposal.get("network") or 0)).first()
        if network is not None:
            membership = _request(
                cooperative=cooperative,
                network=network,
                sharing=sharing,
                message=str(proposal.get("message") or ""),
                actor=actor,
                decision=decision,
            )
    elif act == "accept" and cooperative is not None:
        invited = Membership.objects.filter(
            pk=int(proposal.get("membership") or 0), cooperative=cooperative
        ).first()
        if invited is not None:
            membership = _accept(
                membership=invited,
                side=Side.COOPERATIVE,
                actor=actor,
                sharing=sharing,
                decision=decision,
            )
    if membership is None:
        raise field_error(
            None, _("Dit voorstel om aan te sluiten bij een netwerk klopt niet."), "unknown_network"
        )
    return Effect(
        kind=EFFECT_KIND,
        ref=membership.pk,
        label=_("Lidmaatschap van %(network)s") % {"network": membership.network.name},
    )


def _decided_membership(decision: Decision) -> Membership:
    """The membership the decision put into effect (its last effect of this kind)."""
    ref = next(e["id"] for e in reversed(decision.effects) if e.get("kind") == EFFECT_KIND)
    return Membership.objects.select_related("network", "cooperative").get(pk=ref)


def _decision_text(network: Network, sharing: Sharing) -> str:
    shared = ", ".join(str(group_label(key)).lower() for key in sharing.groups) or _("geen")
    parts = [
        _("De coöperatie sluit aan bij %(network)s en deelt deze groepen cijfers: %(groups)s.")
        % {"network": network.name, "groups": shared},
        _("Op de kaart van het netwerk: %(yes_no)s.")
        % {"yes_no": _("ja") if sharing.on_map else _("nee")},
    ]
    if network.parent_id is not None:
        parts.append(
            _("Ook delen met het netwerk erboven: %(yes_no)s.")
            % {"yes_no": _("ja") if sharing.share_with_parent else _("nee")}
        )
    parts.append(_("Persoonsgegevens van leden worden nooit gedeeld."))
    return " ".join(parts)


# --- helpers ------------------------------------------------------------------------------------


def _groups_checked(groups: Iterable[str]) -> list[str]:
    """The groups in the catalogue's order, without doubles; an unknown key is refused."""
    chosen = set(groups)
    unknown = sorted(chosen - set(GROUP_KEYS))
    if unknown:
        raise field_error(
            "share_groups",
            _("Onbekende groep cijfers: %(keys)s.") % {"keys": ", ".join(unknown)},
            "unknown_group",
        )
    return [key for key in GROUP_KEYS if key in chosen]


def _refuse_unless_manager(*, network: Network, user: Any) -> None:
    """Only a manager of this network handles its memberships (the pages check it too; the
    service holds the rule for any other caller)."""
    user_pk = getattr(user, "pk", None)
    if (
        user_pk is None
        or not NetworkRole.objects.filter(
            network=network, user_id=user_pk, role=NetworkRole.Role.MANAGER
        ).exists()
    ):
        raise field_error(
            None, _("Alleen een beheerder van het netwerk kan dit doen."), "not_manager"
        )


def _refuse_when_open(*, network: Network, cooperative: Cooperative, asking: str) -> None:
    """One request, invitation or membership at a time (the database's constraint says the
    same; this says it in words, with a code per case)."""
    current = (
        Membership.objects.select_for_update()
        .filter(network=network, cooperative=cooperative, status__in=Membership.OPEN)
        .first()
    )
    if current is None:
        return
    if current.status == Status.ACTIVE:
        raise field_error(
            "network",
            _("%(coop)s is al lid van %(network)s.") % _names(current),
            "already_member",
        )
    if current.status == Status.REQUESTED:
        message = (
            _("%(coop)s heeft al gevraagd om lid te worden van %(network)s.")
            if asking == Side.COOPERATIVE
            else _("%(coop)s heeft zelf al gevraagd om lid te worden: aanvaard dat verzoek.")
        )
        raise field_error("network", message % _names(current), "already_requested")
    message = (
        _("%(network)s heeft %(coop)s al uitgenodigd: aanvaard die uitnodiging.")
        if asking == Side.COOPERATIVE
        else _("%(network)s heeft %(coop)s al uitgenodigd.")
    )
    raise field_error("network", message % _names(current), "already_invited")


def _refuse_unless_asked(membership: Membership, *, side: str) -> None:
    """Only the side that was asked answers, and only an open question."""
    if side == Side.COOPERATIVE and membership.status != Status.INVITED:
        raise field_error(
            None,
            _("Er is geen openstaande uitnodiging van %(network)s.") % _names(membership),
            "not_invited",
        )
    if side == Side.NETWORK and membership.status != Status.REQUESTED:
        raise field_error(
            None,
            _("Er is geen openstaand verzoek van %(coop)s.") % _names(membership),
            "not_requested",
        )


def _create(**fields: Any) -> Membership:
    """Create the row; a request that raced ours to the constraint is refused in words."""
    try:
        with transaction.atomic():
            return Membership.objects.create(**fields)
    except IntegrityError as error:
        raise field_error(
            "network",
            _("Er loopt al een verzoek, uitnodiging of lidmaatschap voor dit netwerk."),
            "already_member",
        ) from error


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("network", "cooperative")
        .get(pk=membership.pk)
    )


def _names(membership: Membership) -> dict[str, str]:
    return {"coop": membership.cooperative.name, "network": membership.network.name}


def _sharing_changes(before: Sharing, after: Sharing) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, old, new in (
        ("share_groups", list(before.groups), list(after.groups)),
        ("on_map", before.on_map, after.on_map),
        ("share_with_parent", before.share_with_parent, after.share_with_parent),
    ):
        if old != new:
            changes[name] = [old, new]
    return changes


# --- mail ---------------------------------------------------------------------------------------


def apex_url(path: str) -> str:
    """``path`` on the platform's own site (where network pages are), as an absolute URL."""
    port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
    return f"{settings.PLATFORM_SCHEME}://{settings.PLATFORM_DOMAIN}{port}{path}"


def network_page_url(network: Network) -> str:
    return apex_url(
        reverse(
            NETWORK_PAGE, kwargs={"network": network.slug}, urlconf=settings.PUBLIC_SCHEMA_URLCONF
        )
    )


def cooperative_page_url(cooperative: Cooperative) -> str:
    return cooperative_url(
        slug=cooperative.slug, path=reverse(COOPERATIVE_PAGE, urlconf=settings.ROOT_URLCONF)
    )


Text = Callable[[], str]


def _mail_network(membership: Membership, *, subject: Text, body: Text, link_label: Text) -> None:
    """The network's managers hear of the cooperative's act, with a link to the network's
    memberships page."""
    # Network users live in the public schema's user table; a cooperative's schema has a user
    # table of its own (its members), which a query from the subdomain would join instead.
    with schema_context(get_public_schema_name()):
        managers = [
            role.user
            for role in NetworkRole.objects.select_related("user").filter(
                network=membership.network, role=NetworkRole.Role.MANAGER
            )
        ]
    _mail_after_commit(
        managers,
        subject=subject,
        body=body,
        link=network_page_url(membership.network),
        link_label=link_label,
        signed=membership.cooperative.name,
    )


def _mail_board(membership: Membership, *, subject: Text, body: Text, link_label: Text) -> None:
    """The cooperative's board (the members with a seat in its board today) hears of the
    network's act, with a link to the board's Netwerken page on the cooperative's subdomain."""
    with schema_context(membership.cooperative.schema_name):
        board = list(members_on_board())
    _mail_after_commit(
        board,
        subject=subject,
        body=body,
        link=cooperative_page_url(membership.cooperative),
        link_label=link_label,
        signed=membership.network.name,
    )


def _mail_after_commit(
    recipients: list[Any], *, subject: Text, body: Text, link: str, link_label: Text, signed: str
) -> None:
    """One mail per recipient with an address, in their language, after the commit: nothing
    is mailed about an act that was rolled back."""
    by_language: dict[str, list[str]] = {}
    for recipient in recipients:
        if getattr(recipient, "email", ""):
            by_language.setdefault(recipient_language(recipient), []).append(recipient.email)
    if not by_language:
        return
    messages: list[EmailMessage] = []
    for language, addresses in by_language.items():
        with translation.override(language):
            text = "\n\n".join(
                [
                    body().strip(),
                    f"{link_label()}:\n    {link}",
                    f"{_('Met vriendelijke groet,')}\n{signed}\n",
                ]
            )
            messages.extend(
                EmailMessage(subject=subject(), body=text, to=[address]) for address in addresses
            )
    transaction.on_commit(lambda: [message.send() for message in messages])
