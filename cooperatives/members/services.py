"""Members: intake by a coordinator, profile changes, the buurt, roles, leaving and erasure.
(Applications and invitations are the joining feature's; they make members through
``member_create``.)"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.carelog.services import care_access_record
from cooperatives.governance import selectors as governance
from cooperatives.governance.models import Body
from cooperatives.governance.services import seat_assign, seat_end, seat_end_all
from cooperatives.joining.models import Application, Invitation
from cooperatives.members import selectors
from cooperatives.members.erasure import member_erase_traces
from cooperatives.members.export import member_export_full
from cooperatives.members.models import (
    BOARD_ROLES,
    LANGUAGE_CHOICES,
    SEAT_ROLES,
    EmailChange,
    Member,
    Role,
    RoleAssignment,
    email_change_token_hash,
)
from cooperatives.members.validation import (
    PROFILE_FIELDS,
    check_not_duplicate,
    clean_profile,
    consent_fields,
    require,
    require_consent,
)
from cooperatives.points.services import starter_points_grant
from cooperatives.setup.models import Cluster, Neighbourhood
from cooperatives.setup.selectors import neighbourhood_for_address
from shared import permissions
from shared.accounts import two_factor
from shared.accounts.models import User
from shared.accounts.services import password_reset_mail_send
from shared.audit.services import audit_changes, audit_record
from shared.mail import Mail, cooperative_link, mail_send
from shared.tenancy.current import current_cooperative
from shared.validation import field_error

GOVERNING_ROLES = BOARD_ROLES | {Role.ADMINISTRATOR}
# How long the link to confirm a new email address works.
EMAIL_CHANGE_DAYS = 2
# member_update(neighbourhood=KEEP) leaves the buurt alone; None hands it back to the address.
KEEP: Any = object()


def _roles_now(member: Member) -> set[str]:
    """The member's roles as stored now and as their seats give them today (not a prefetched
    copy: a service decides on what is there)."""
    stored = set(member.role_assignments.values_list("role", flat=True)) - SEAT_ROLES
    seated = {
        governance.seat_role(body_kind=seat.body.kind, position=seat.position)
        for seat in governance.seats_of(member=member)
    }
    return stored | {r for r in seated if r}


def _check_not_last_governor(member: Member) -> None:
    """Someone must be able to run the cooperative: the last active board member (a seat in
    a board today) or administrator cannot lose that role, leave or be erased."""
    if not _roles_now(member) & GOVERNING_ROLES:
        return
    administrators = Member.objects.filter(
        status=Member.Status.ACTIVE, role_assignments__role=Role.ADMINISTRATOR
    )
    others = (
        governance.members_on_board().exclude(pk=member.pk).exists()
        or administrators.exclude(pk=member.pk).exists()
    )
    require(
        others,
        "roles",
        _("Dit is het laatste bestuurslid of de laatste beheerder; wijs eerst iemand anders aan."),
        "last_governor",
    )


def _seat_refused(error: ValidationError) -> ValidationError:
    # The seat's own refusal (position taken, already seated), told on the roles field, with
    # where terms are kept.
    message = " ".join(str(m) for m in error.messages)
    hint = _("Zetels en termijnen beheert u op de pagina Bestuur en organen.")
    code = next(iter(getattr(error, "error_dict", {}).values()), [error])[0].code
    return field_error("roles", f"{message} {hint}", code or "seat_refused")


def _seat_roles_set(*, actor: Member, member: Member, give: set[str], take: set[str]) -> None:
    """The board and kascommissie roles follow seats: a role ticked on the roles page gives a
    seat from today (chair, secretary and treasurer in the daily board, a general board member
    in the general board, a member of the kascommissie), a role unticked ends those seats
    today. Terms with other dates and decisions are kept on the Bestuur page."""
    today = timezone.localdate()
    for seat in governance.seats_of(member=member):
        role = governance.seat_role(body_kind=seat.body.kind, position=seat.position)
        if role in take:
            # member_assign_roles checked that someone still governs afterwards.
            seat_end(actor=actor, seat=seat, end=today, board_checked=True)
    for role in sorted(give):
        where = governance.seat_for_role(role=role)
        if where is None:
            continue
        kind, position = where
        bodies = [kind]
        if kind == Body.Kind.EXECUTIVE_BOARD:
            # Already in the daily board (treasurer, now also chair): the second position is
            # held in the general board, which gives the same rights.
            bodies.append(Body.Kind.GENERAL_BOARD)
        for body_kind in bodies:
            body = governance.body_standing(body_kind)
            if governance.body_seats(body=body).filter(member=member).exists():
                continue
            try:
                seat_assign(actor=actor, body=body, member=member, position=position, start=today)
            except ValidationError as e:
                raise _seat_refused(e) from None
            break
        else:
            raise field_error(
                "roles",
                _("%(name)s heeft al een zetel in beide besturen.") % {"name": member.name}
                + " "
                + _("Zetels en termijnen beheert u op de pagina Bestuur en organen."),
                "seat_overlaps",
            )


def _require_not_erased(member: Member) -> None:
    require(
        member.status != Member.Status.ERASED,
        "status",
        _("De gegevens van dit lid zijn gewist."),
        "erased",
    )


def member_create(*, data: dict[str, Any], user: User | None, **extra: Any) -> Member:
    """Make a member from checked profile ``data`` (cooperatives.members.validation), with a
    login (``user``) or none, in the buurt of their address, with the starter points the rules
    give (none under some rulebooks). ``extra`` holds the consent fields. The caller checks the
    input and records who did it."""
    clusters = data.pop("help_clusters", None)
    neighbourhood = neighbourhood_for_address(
        postcode=data.get("postcode", ""), street=data.get("street", "")
    )
    try:
        member = Member.objects.create(user=user, neighbourhood=neighbourhood, **data, **extra)
    except IntegrityError:
        raise ValidationError({"email": [_("Er is al een lid met dit e-mailadres.")]}) from None
    if clusters:
        member.help_clusters.set(clusters)
    starter_points_grant(member=member)
    return member


# --- intake by a coordinator -------------------------------------------------------------------


@transaction.atomic
def member_register_on_behalf(
    *, actor: Member, accept_privacy: bool, accept_disclaimer: bool, **profile: Any
) -> Member:
    """A coordinator or neighbourhood assistant registers someone by phone or at the door.
    The member gets no login (one who uses the internet can be invited later). The person
    agreed to the privacy statement and the liability rules out loud; the coordinator
    confirms that, and it is recorded as given on their behalf."""
    clusters = profile.pop("help_clusters", None)
    data = clean_profile(
        {k: v for k, v in profile.items() if k in PROFILE_FIELDS}, exclude_member=None
    )
    require(bool(data.get("name")), "name", _("Vul de naam in."), "required")
    require(
        bool(data.get("phone") or data.get("email")),
        "phone",
        _("Vul een telefoonnummer of e-mailadres in, zodat we het lid kunnen bereiken."),
        "required",
    )
    require_consent(accept_privacy=accept_privacy, accept_disclaimer=accept_disclaimer)
    check_not_duplicate(
        email=data.get("email", ""),
        name=data["name"],
        postcode=data.get("postcode", ""),
        house_number=data.get("house_number", ""),
    )
    if clusters is not None:
        data["help_clusters"] = clusters
    member = member_create(
        data=data, user=None, registered_by=actor, **consent_fields(on_behalf=True)
    )
    # A neighbourhood assistant may only register people in their own buurten; raising here
    # rolls the new record back.
    if not permissions.can(actor, "member.register", about=member):
        raise field_error(
            "postcode",
            _("Dit adres ligt niet in een buurt waarvoor u buurtassistent bent."),
            "out_of_scope",
        )
    audit_record(
        actor_id=actor.pk,
        action="member.register",
        target=member,
        summary=f"Lid #{member.pk} ingeschreven namens het lid",
    )
    return member


# --- changes -----------------------------------------------------------------------------------


@transaction.atomic
def member_update(
    *,
    actor: Member,
    member: Member,
    neighbourhood: Neighbourhood | None = KEEP,
    **changes: Any,
) -> Member:
    """Change a profile (by the member themselves or by someone allowed to edit it), and,
    when ``neighbourhood`` is given, their buurt (see member_set_neighbourhood), all or
    nothing."""
    _require_not_erased(member)
    clusters = changes.pop("help_clusters", None)
    data = clean_profile(
        {k: v for k, v in changes.items() if k in PROFILE_FIELDS}, exclude_member=member.pk
    )
    # A new address of a member who logs in is their login too: it changes only once the link
    # sent to it is used (member_email_change_request), whoever typed it.
    new_login_email = _login_email_change(member, data)
    before = {f: getattr(member, f) for f in PROFILE_FIELDS}
    before["help_clusters"] = sorted(member.help_clusters.values_list("pk", flat=True))
    for key, value in data.items():
        setattr(member, key, value)
    if not member.neighbourhood_fixed and ({"postcode", "street"} & set(data)):
        member.neighbourhood = neighbourhood_for_address(
            postcode=member.postcode, street=member.street
        )
    member.save()
    if clusters is not None:
        require(
            all(isinstance(c, Cluster) for c in clusters), "help_clusters", _("Onbekend cluster.")
        )
        member.help_clusters.set(clusters)
    if member.user_id and ("email" in data or "name" in data):
        User.objects.filter(pk=member.user_id).update(
            **({"email": member.email} if member.email else {}), full_name=member.name
        )
    after = {f: getattr(member, f) for f in PROFILE_FIELDS}
    after["help_clusters"] = sorted(member.help_clusters.values_list("pk", flat=True))
    changed = audit_changes(before, after)
    if changed:
        audit_record(
            actor_id=actor.pk,
            action="member.update",
            target=member,
            summary=f"Lid #{member.pk} gewijzigd",
            changes=changed,
        )
    if neighbourhood is not KEEP and (
        member.neighbourhood_fixed != (neighbourhood is not None)
        or (neighbourhood is not None and neighbourhood.pk != member.neighbourhood_id)
    ):
        member_set_neighbourhood(actor=actor, member=member, neighbourhood=neighbourhood)
    if new_login_email:
        member_email_change_request(actor=actor, member=member, new_email=new_login_email)
    return member


def _login_email_change(member: Member, data: dict[str, Any]) -> str:
    """Take a new, non-empty address of a member with a login out of ``data`` (it waits for
    confirmation); the empty string when there is none."""
    email = data.get("email") or ""
    if member.user_id and email and email.lower() != (member.email or "").lower():
        del data["email"]
        return str(email)
    return ""


# --- email address and language ----------------------------------------------------------------


@dataclass(frozen=True)
class _Address:
    """Someone to mail at an address that is not (yet) the member's own."""

    email: str
    language: str


def _check_login_email_free(email: str, member: Member) -> None:
    taken = User.objects.filter(email__iexact=email)
    if member.user_id:
        taken = taken.exclude(pk=member.user_id)
    require(not taken.exists(), "email", _("Er is al een account met dit e-mailadres."), "taken")


@transaction.atomic
def member_email_change_request(*, actor: Member, member: Member, new_email: str) -> EmailChange:
    """Ask to use ``new_email`` for ``member`` (the member themselves, or a coordinator or
    assistant who may edit them). Nothing changes yet: a link goes to the new address, and only
    using it changes the address (member_email_change_confirm). A newer request replaces an
    open one, so only the latest link works."""
    _require_not_erased(member)
    require(
        actor.pk == member.pk or permissions.can(actor, "member.edit", about=member),
        "email",
        _("U mag het e-mailadres van dit lid niet wijzigen."),
        "forbidden",
    )
    email = clean_profile({"email": new_email}, exclude_member=member.pk)["email"]
    require(bool(email), "email", _("Vul het nieuwe e-mailadres in."), "required")
    require(
        email != (member.email or "").lower(),
        "email",
        _("Dit is al het e-mailadres van dit account."),
        "unchanged",
    )
    _check_login_email_free(email, member)
    now = timezone.now()
    EmailChange.objects.filter(member=member, used_at=None, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(32)
    change = EmailChange.objects.create(
        member=member,
        new_email=email,
        token_hash=email_change_token_hash(token),
        requested_by=actor,
        expires_at=now + timedelta(days=EMAIL_CHANGE_DAYS),
    )
    audit_record(
        actor_id=actor.pk,
        action="member.email_change_request",
        target=member,
        summary=f"Nieuw e-mailadres voor lid #{member.pk} aangevraagd; wacht op bevestiging",
    )
    link = cooperative_link(reverse("email-change-confirm", args=[token]))
    name = current_cooperative().name

    def compose() -> Mail:
        names = {"name": name, "email": email, "days": EMAIL_CHANGE_DAYS}
        return Mail(
            subject=_("Bevestig uw nieuwe e-mailadres voor %(name)s") % names,
            body="\n\n".join(
                [
                    _(
                        "Er is gevraagd om %(email)s te gebruiken als e-mailadres van uw "
                        "account bij %(name)s."
                    )
                    % names,
                    _(
                        "Pas als u de link hieronder gebruikt, wordt dit uw nieuwe "
                        "e-mailadres; tot dan blijft het oude gelden. De link werkt één keer "
                        "en %(days)s dagen lang."
                    )
                    % names,
                    _("Heeft u dit niet gevraagd? Dan hoeft u niets te doen."),
                ]
            ),
            link=link,
            link_label=_("Bevestig het nieuwe e-mailadres"),
        )

    mail_send(to=[_Address(email=email, language=member.language)], compose=compose)
    return change


def _open_email_change(token: str) -> EmailChange:
    change = (
        EmailChange.objects.select_for_update()
        .filter(token_hash=email_change_token_hash(token or ""))
        .first()
    )
    require(
        change is not None and change.is_open,
        "token",
        _("Deze link werkt niet (meer): hij is al gebruikt of verlopen. Vraag een nieuwe aan."),
        "expired",
    )
    assert change is not None
    return change


@transaction.atomic
def member_email_change_confirm(*, token: str) -> Member:
    """The link sent to the new address was used: the member's address (and login) becomes
    the new one, once. The old address is told, so a change the member did not want does not
    go unnoticed."""
    change = _open_email_change(token)
    member = Member.objects.select_for_update().get(pk=change.member_id)
    require(
        member.status == Member.Status.ACTIVE,
        "token",
        _("Dit lidmaatschap is beëindigd; het e-mailadres is niet gewijzigd."),
        "inactive",
    )
    email = clean_profile({"email": change.new_email}, exclude_member=member.pk)["email"]
    _check_login_email_free(email, member)
    old = member.email
    member.email = email
    member.save(update_fields=["email"])
    if member.user_id:
        User.objects.filter(pk=member.user_id).update(email=email)
    now = timezone.now()
    change.used_at = now
    change.save(update_fields=["used_at"])
    EmailChange.objects.filter(member=member, used_at=None, expires_at__gt=now).update(
        expires_at=now
    )
    audit_record(
        actor_id=member.pk,
        action="member.email_change",
        target=member,
        summary=f"E-mailadres van lid #{member.pk} gewijzigd na bevestiging via de link",
        changes={"email": "(gewijzigd)"},
    )
    if old:
        _tell_old_address(member=member, old=old, new=email)
    return member


def _tell_old_address(*, member: Member, old: str, new: str) -> None:
    name = current_cooperative().name
    link = cooperative_link(reverse("my-data"))

    def compose() -> Mail:
        names = {"name": name, "email": new}
        return Mail(
            subject=_("Uw e-mailadres bij %(name)s is gewijzigd") % names,
            body="\n\n".join(
                [
                    _(
                        "Het e-mailadres van uw account bij %(name)s is nu %(email)s. E-mail "
                        "van de coöperatie komt voortaan op dat adres; u logt er ook mee in."
                    )
                    % names,
                    _("Heeft u dit niet gevraagd? Neem dan meteen contact op met de coöperatie."),
                ]
            ),
            link=link,
            link_label=_("Bekijk uw gegevens"),
        )

    mail_send(to=[_Address(email=old, language=member.language)], compose=compose)


def member_set_language(*, member: Member, language: str) -> Member:
    """Remember the language a member chose for the site, so that their emails are in it too.
    An unknown language changes nothing."""
    if language in dict(LANGUAGE_CHOICES) and language != member.language:
        member.language = language
        member.save(update_fields=["language"])
    return member


@transaction.atomic
def member_password_reset_send(*, actor: Member, member: Member) -> None:
    """A coordinator (or the assistant of the member's buurt) sends a member who calls the
    link to choose a new password. The link goes to the member's own address only (the
    caller never sees it), after the commit; it is audited."""
    require(
        permissions.can(actor, "member.password_reset", about=member),
        "member",
        _("U mag dit lid geen link voor een nieuw wachtwoord sturen."),
        "forbidden",
    )
    user = (
        User.objects.filter(pk=member.user_id, is_active=True).first() if member.user_id else None
    )
    require(
        member.status == Member.Status.ACTIVE and user is not None and bool(user.email),
        "member",
        _("Dit lid heeft geen account met een e-mailadres om in te loggen."),
        "no_login",
    )
    assert user is not None
    audit_record(
        actor_id=actor.pk,
        action="member.password_reset",
        target=member,
        summary=f"Link voor een nieuw wachtwoord gestuurd aan lid #{member.pk}",
    )
    password_reset_mail_send(user=user, by_staff=True, after_commit=True)


def _two_factor_reset_check(*, actor: Member, member: Member) -> None:
    """Only another board member, about an active member with a phone or recovery codes."""
    require(
        permissions.can(actor, "member.two_factor_reset", about=member),
        "member",
        _("Alleen bestuursleden mogen de telefoon van een lid loskoppelen."),
        "forbidden",
    )
    require(
        actor.pk != member.pk,
        "member",
        _("Uw eigen telefoon laat u loskoppelen door twee andere bestuursleden."),
        "own_account",
    )
    require(
        member.status == Member.Status.ACTIVE
        and member.user_id is not None
        and selectors.two_factor_reset_offer(viewer=actor, member=member).has_two_factor,
        "member",
        _("Dit lid heeft geen telefoon gekoppeld."),
        "no_device",
    )


@transaction.atomic
def member_two_factor_reset_request(*, actor: Member, member: Member) -> None:
    """A board member asks to remove the phone of a member who lost it and has no recovery
    codes left. Nothing changes yet: a second, other board member must confirm (audited)."""
    Member.objects.select_for_update().filter(pk=member.pk).first()
    _two_factor_reset_check(actor=actor, member=member)
    require(
        selectors.two_factor_reset_asked(member=member) is None,
        "member",
        _("Dit is al aangevraagd; een ander bestuurslid moet het nog bevestigen."),
        "already_asked",
    )
    audit_record(
        actor_id=actor.pk,
        action="member.two_factor_reset_request",
        target=member,
        summary=f"Loskoppelen van de telefoon van lid #{member.pk} aangevraagd",
    )


@transaction.atomic
def member_two_factor_reset_confirm(*, actor: Member, member: Member) -> int:
    """A second board member (not the one who asked, not the member) confirms: the member's
    phone and recovery codes are removed, so at the next login they set up a new phone (a
    session that passed the second factor with them no longer counts). Returns how many
    devices went."""
    Member.objects.select_for_update().filter(pk=member.pk).first()
    _two_factor_reset_check(actor=actor, member=member)
    asked = selectors.two_factor_reset_asked(member=member)
    require(
        asked is not None,
        "member",
        _("Er is geen aanvraag om deze telefoon los te koppelen; vraag het eerst aan."),
        "not_asked",
    )
    assert asked is not None
    require(
        asked.actor_id != actor.pk,
        "member",
        _(
            "U heeft dit zelf aangevraagd. Een ander bestuurslid moet het bevestigen: één "
            "bestuurslid alleen kan geen telefoon loskoppelen."
        ),
        "same_board_member",
    )
    removed = two_factor.two_factor_reset(user=member.user)
    audit_record(
        actor_id=actor.pk,
        action="member.two_factor_reset",
        target=member,
        summary=f"Telefoon van lid #{member.pk} losgekoppeld (aangevraagd door lid "
        f"#{asked.actor_id})",
        changes={"asked_by": asked.actor_id},
    )
    return removed


@transaction.atomic
def member_set_neighbourhood(
    *, actor: Member, member: Member, neighbourhood: Neighbourhood | None
) -> Member:
    """Put a member in a buurt by hand, or (``None``) let their address decide again. A
    neighbourhood assistant can only move members between the buurten they assist."""
    _require_not_erased(member)
    allowed = permissions.can(actor, "member.set_neighbourhood", about=member) and (
        neighbourhood is None
        or permissions.can(actor, "member.set_neighbourhood", neighbourhood=neighbourhood)
    )
    require(
        allowed,
        "neighbourhood",
        _("U kunt alleen een buurt kiezen waarvoor u buurtassistent bent."),
        "out_of_scope",
    )
    old = member.neighbourhood_id
    if neighbourhood is None:
        neighbourhood = neighbourhood_for_address(postcode=member.postcode, street=member.street)
        member.neighbourhood, member.neighbourhood_fixed = neighbourhood, False
    else:
        member.neighbourhood, member.neighbourhood_fixed = neighbourhood, True
    member.save(update_fields=["neighbourhood", "neighbourhood_fixed"])
    audit_record(
        actor_id=actor.pk,
        action="member.set_neighbourhood",
        target=member,
        summary=f"Buurt van lid #{member.pk} gewijzigd",
        changes={"neighbourhood": [old, member.neighbourhood_id]},
    )
    return member


@transaction.atomic
def member_assign_roles(
    *,
    actor: Member,
    member: Member,
    roles: set[str],
    assisted_neighbourhoods: list[Neighbourhood] | None = None,
) -> Member:
    """Set a member's roles (besides plain membership). The last board member or
    administrator cannot lose that role: someone must be able to run the cooperative."""
    _require_not_erased(member)
    unknown = set(roles) - set(Role.values)
    require(not unknown, "roles", _("Onbekende rol."))
    current = _roles_now(member)
    if not set(roles) & GOVERNING_ROLES:
        _check_not_last_governor(member)
    stored = set(roles) - SEAT_ROLES
    RoleAssignment.objects.filter(member=member).exclude(role__in=stored).delete()
    for role in stored - current:
        RoleAssignment.objects.create(member=member, role=role, assigned_by_id=actor.pk)
    _seat_roles_set(
        actor=actor,
        member=member,
        give=(set(roles) & SEAT_ROLES) - current,
        take=(current & SEAT_ROLES) - set(roles),
    )
    for stale in ("_prefetched_objects_cache", governance.SEATS_TODAY):
        member.__dict__.pop(stale, None)
    if Role.NEIGHBOURHOOD_ASSISTANT in roles:
        if assisted_neighbourhoods is not None:
            member.assisted_neighbourhoods.set(assisted_neighbourhoods)
    else:
        member.assisted_neighbourhoods.clear()
    member.__dict__.pop("_roles_cache", None)
    audit_record(
        actor_id=actor.pk,
        action="member.assign_roles",
        target=member,
        summary=f"Rollen van lid #{member.pk} gewijzigd",
        changes={"roles": [sorted(current), sorted(roles)]},
    )
    return member


@transaction.atomic
def member_leave(*, member: Member) -> Member:
    """The member cancels their membership: no more login; their record stays."""
    require(member.status == Member.Status.ACTIVE, "status", _("Dit lidmaatschap is al beëindigd."))
    _check_not_last_governor(member)
    # Whoever leaves no longer sits in a board or committee, from today.
    seat_end_all(actor=member, member=member)
    member.status, member.left_at = Member.Status.LEFT, timezone.now()
    member.save(update_fields=["status", "left_at"])
    if member.user_id:
        User.objects.filter(pk=member.user_id).update(is_active=False)
    audit_record(
        actor_id=member.pk,
        action="member.leave",
        target=member,
        summary=f"Lid #{member.pk} opgezegd",
    )
    return member


@transaction.atomic
def member_export_for(*, actor: Member, member: Member, kind: str) -> dict[str, Any]:
    """A coordinator downloads the data of a member without a login for them (AVG art. 15 and
    20): refused for a member who can download it themselves, audited, and, since it holds
    the member's care needs, logged as a look at their care data."""
    require(
        permissions.can(actor, "member.export", about=member),
        "member",
        _("U mag de gegevens van dit lid niet downloaden."),
        "forbidden",
    )
    require(
        member.user_id is None and member.status != Member.Status.ERASED,
        "member",
        _("Dit lid heeft een eigen login en downloadt zijn gegevens zelf bij Mijn gegevens."),
        "has_login",
    )
    data = member_export_full(member=member)
    audit_record(
        actor_id=actor.pk,
        action="member.export",
        target=member,
        summary=f"Gegevens van lid #{member.pk} gedownload voor het lid ({kind})",
    )
    if any(r["zorggegevens"] and r["toelichting"] for r in data["hulpvragen"]):
        care_access_record(
            viewer=actor,
            subject_id=member.pk,
            route="member-export",
            target_type="export",
            target_id=member.pk,
        )
    return data


@transaction.atomic
def member_erase(*, actor: Member, member: Member) -> Member:
    """Erase a member's personal data on request (AVG art. 17). The record stays under a
    pseudonym, so what the cooperative must keep (services, points) still adds up; the login
    is deleted; open requests and offers are closed, and addresses and free text elsewhere
    removed (cooperatives.members.erasure)."""
    require(member.status != Member.Status.ERASED, "status", _("Dit lid is al gewist."))
    # Erasing oneself would end one's own session halfway through the request.
    require(
        member.pk != actor.pk,
        "status",
        _("U kunt uw eigen gegevens niet wissen; vraag een ander bestuurslid."),
        "self",
    )
    if _roles_now(member) & GOVERNING_ROLES:
        member_assign_roles(actor=actor, member=member, roles=set())
    seat_end_all(actor=actor, member=member)
    pseudonym = uuid.uuid4().hex[:8]
    user_id, old_email = member.user_id, member.email
    member.name = f"Oud-lid {pseudonym}"
    member.street = member.house_number = member.postcode = member.phone = member.email = ""
    member.year_of_birth = None
    member.languages, member.talents, member.availability = [], [], []
    member.status, member.erased_at = Member.Status.ERASED, timezone.now()
    member.left_at = member.left_at or member.erased_at
    member.user = None
    member.save()
    member.help_clusters.clear()
    member.assisted_neighbourhoods.clear()
    member.role_assignments.all().delete()
    # Applications and invitations under the old address are about the same person.
    by_email = Q(email__iexact=old_email) if old_email else Q(pk__in=[])
    Invitation.objects.filter(Q(member=member) | by_email).update(
        name="", email=f"gewist-{pseudonym}@invalid"
    )
    Application.objects.filter(Q(member=member) | by_email).update(
        name=member.name,
        email=f"gewist-{pseudonym}@invalid",
        phone="",
        street="",
        house_number="",
        postcode="",
        message="",
        password_hash="",
    )
    member_erase_traces(actor=actor, member=member, old_email=old_email, pseudonym=pseudonym)
    if user_id:
        User.objects.filter(pk=user_id).delete()
    audit_record(
        actor_id=actor.pk,
        action="member.erase",
        target=member,
        summary=f"Persoonsgegevens van lid #{member.pk} gewist",
    )
    return member
