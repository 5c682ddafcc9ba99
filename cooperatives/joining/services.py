"""Joining: self-registration (an application a coordinator decides on) and invitations by
email with a one-time link that expires."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.joining.models import Application, Invitation, token_hash
from cooperatives.members.models import Member
from cooperatives.members.services import member_create
from cooperatives.members.validation import (
    check_not_duplicate,
    clean_profile,
    consent_fields,
    require_consent,
    validate_password,
)
from shared.accounts.models import User
from shared.audit.services import audit_record
from shared.mail import Mail, cooperative_link, language_now, mail_send
from shared.tenancy.current import current_cooperative
from shared.validation import field_error

INVITATION_DAYS = 14
# Longest texts accepted here; clean_profile checks the profile fields against their columns.
MAX_LENGTHS = {"email": 254, "name": 150, "message": 2000, "reason": 2000}


def _refuse(field: str, message: str, code: str) -> NoReturn:
    raise field_error(field, message, code)


class _Errors:
    """Collects the refusals of independent checks, so a form shows every mistake at once."""

    def __init__(self) -> None:
        self.found: dict[str, list[ValidationError]] = {}

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except ValidationError as e:
            e.update_error_dict(self.found)

    def raise_any(self) -> None:
        if self.found:
            raise ValidationError(self.found)


def _check_length(field: str, value: str) -> None:
    limit = MAX_LENGTHS[field]
    if len((value or "").strip()) > limit:
        _refuse(
            field, _("Dit mag hoogstens %(limit)s tekens lang zijn.") % {"limit": limit}, "too_long"
        )


def _clean_fields(values: dict[str, str], errors: _Errors) -> dict[str, Any]:
    """Each field on its own, so one mistake does not hide the next."""
    data: dict[str, Any] = {}
    for field, value in values.items():
        with errors.check():
            data.update(clean_profile({field: value}, exclude_member=None))
    return data


def _clean_email(email: str, *, missing: str) -> str:
    email = (email or "").strip().lower()
    if not email:
        _refuse("email", missing, "required")
    _check_length("email", email)
    try:
        validate_email(email)
    except ValidationError:
        _refuse("email", _("Vul een geldig e-mailadres in."), "invalid")
    return email


@dataclass(frozen=True)
class _Person:
    """Someone to mail who is not (yet) a member: an applicant or an invited person."""

    email: str
    language: str = ""


def _notify(*, to: _Person, compose: Callable[[str], Mail]) -> None:
    """Mail ``to`` after the commit, through shared.mail; ``compose`` gets the cooperative's
    name."""
    name = current_cooperative().name
    mail_send(to=[to], compose=lambda: compose(name))


# --- self-registration -------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    name: str,
    email: str,
    password: str,
    accept_privacy: bool,
    accept_disclaimer: bool,
    kind: str = Member.Kind.RESIDENT,
    phone: str = "",
    street: str = "",
    house_number: str = "",
    postcode: str = "",
    message: str = "",
) -> Application:
    """Someone asks to join. Nothing is a member yet: a coordinator or board member decides.
    The same person cannot apply twice (same email, or same name at the same address, also
    against existing members)."""
    errors = _Errors()
    data = _clean_fields(
        {
            "kind": kind,
            "name": name,
            "phone": phone,
            "street": street,
            "house_number": house_number,
            "postcode": postcode,
        },
        errors,
    )
    with errors.check():
        data["email"] = _clean_email(email, missing=_("Vul uw e-mailadres in."))
    with errors.check():
        _check_length("message", message)
    with errors.check():
        validate_password(password, email=email or "", name=name or "")
    with errors.check():
        require_consent(accept_privacy=accept_privacy, accept_disclaimer=accept_disclaimer)
    errors.raise_any()
    check_not_duplicate(
        email=data["email"],
        name=data["name"],
        postcode=data["postcode"],
        house_number=data["house_number"],
    )
    consent = consent_fields(on_behalf=False)
    return Application.objects.create(
        message=(message or "").strip(),
        language=language_now(),
        password_hash=make_password(password),
        privacy_version=consent["privacy_version"],
        disclaimer_version=consent["disclaimer_version"],
        consent_at=consent["privacy_accepted_at"],
        **data,
    )


def _lock_pending(application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        _refuse("status", _("Over deze aanmelding is al besloten."), "decided")
    return application


@transaction.atomic
def application_approve(*, actor: Member, application: Application) -> Member:
    """Approve a pending application: the applicant becomes a member and can log in with the
    password they chose; the welcome email links to the login page."""
    application = _lock_pending(application)
    email = application.email
    if (
        Member.objects.filter(email__iexact=email).exclude(status=Member.Status.ERASED).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        # Someone was registered with this address after the application came in.
        _refuse(
            "email",
            _("Er is intussen al een lid of account met dit e-mailadres; wijs deze aanmelding af."),
            "duplicate",
        )
    user = User(
        email=email,
        full_name=application.name,
        password=application.password_hash or make_password(None),
    )
    user.save()
    data = {
        f: getattr(application, f)
        for f in ("kind", "name", "email", "phone", "street", "house_number", "postcode")
    }
    member = member_create(
        data=data,
        user=user,
        privacy_version=application.privacy_version,
        privacy_accepted_at=application.consent_at,
        disclaimer_version=application.disclaimer_version,
        disclaimer_accepted_at=application.consent_at,
        language=application.language or settings.LANGUAGE_CODE,
    )
    application.status = Application.Status.APPROVED
    application.decided_by_id, application.decided_at = actor.pk, timezone.now()
    application.member, application.password_hash = member, ""
    application.save()
    audit_record(
        actor_id=actor.pk,
        action="application.approve",
        target=application,
        summary=f"Aanmelding #{application.pk} goedgekeurd; lid #{member.pk}",
    )
    login = cooperative_link(reverse("login"))
    _notify(
        to=_Person(email=member.email, language=member.language),
        compose=lambda name: Mail(
            subject=_("Welkom als lid van %(name)s") % {"name": name},
            body=_(
                "Uw aanmelding bij %(name)s is goedgekeurd. U kunt nu inloggen met uw "
                "e-mailadres en het wachtwoord dat u bij de aanmelding koos."
            )
            % {"name": name},
            link=login,
            link_label=_("Inloggen"),
        ),
    )
    return member


@transaction.atomic
def application_decline(*, actor: Member, application: Application, reason: str) -> Application:
    """Decline a pending application; the applicant is told why."""
    application = _lock_pending(application)
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason", _("Geef een reden op; de aanvrager krijgt die te lezen."), "required")
    _check_length("reason", reason)
    application.status = Application.Status.DECLINED
    application.decided_by_id, application.decided_at = actor.pk, timezone.now()
    application.decision_reason, application.password_hash = reason, ""
    application.save()
    audit_record(
        actor_id=actor.pk,
        action="application.decline",
        target=application,
        summary=f"Aanmelding #{application.pk} afgewezen",
    )
    # Asks nothing, so it has no link; where to ask about it is in the closing lines.
    _notify(
        to=_Person(email=application.email, language=application.language),
        compose=lambda name: Mail(
            subject=_("Uw aanmelding bij %(name)s") % {"name": name},
            body=_("Uw aanmelding bij %(name)s is helaas niet goedgekeurd. Reden: %(reason)s")
            % {"name": name, "reason": reason},
            link=None,
        ),
    )
    return application


# --- invitations -------------------------------------------------------------------------------


@transaction.atomic
def invitation_send(*, actor: Member, email: str, name: str = "") -> tuple[Invitation, str]:
    """Invite someone by email, with a one-time link on the cooperative's own subdomain; only
    a hash of the link's token is kept. An earlier open invitation to the same address stops
    working, so only the newest link is valid."""
    errors = _Errors()
    with errors.check():
        email = _clean_email(email, missing=_("Vul het e-mailadres in."))
    with errors.check():
        _check_length("name", name)
    errors.raise_any()
    if Member.objects.filter(email__iexact=email).exclude(status=Member.Status.ERASED).exists():
        _refuse("email", _("Er is al een lid met dit e-mailadres."), "duplicate")
    now = timezone.now()
    Invitation.objects.filter(email__iexact=email, used_at=None, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        name=" ".join((name or "").split()),
        token_hash=token_hash(token),
        invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor_id=actor.pk,
        action="invitation.send",
        target=invitation,
        summary=f"Uitnodiging #{invitation.pk} verstuurd",
    )
    link = cooperative_link(reverse("invitation-accept", args=[token]))
    inviter = actor.name
    _notify(
        to=_Person(email=email),
        compose=lambda name: Mail(
            subject=_("Uitnodiging om lid te worden van %(name)s") % {"name": name},
            body=_(
                "%(inviter)s nodigt u uit om lid te worden van %(name)s. Met de link hieronder "
                "meldt u zich aan en kiest u een wachtwoord. De link werkt %(days)s dagen en "
                "één keer."
            )
            % {"inviter": inviter, "name": name, "days": INVITATION_DAYS},
            link=link,
            link_label=_("Lid worden"),
        ),
    )
    return invitation, token


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    name: str,
    password: str,
    accept_privacy: bool,
    accept_disclaimer: bool,
    street: str = "",
    house_number: str = "",
    postcode: str = "",
    phone: str = "",
) -> Member:
    """The invited person becomes a member with a login, once: the link is then used up."""
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=token_hash(token or "")).first()
    )
    if invitation is None or not invitation.is_open:
        _refuse(
            "token",
            _("Deze uitnodiging is verlopen of al gebruikt. Vraag een nieuwe aan."),
            "expired",
        )
    errors = _Errors()
    data = _clean_fields(
        {
            "name": name,
            "email": invitation.email,
            "phone": phone,
            "street": street,
            "house_number": house_number,
            "postcode": postcode,
        },
        errors,
    )
    with errors.check():
        validate_password(password, email=invitation.email, name=name or "")
    with errors.check():
        require_consent(accept_privacy=accept_privacy, accept_disclaimer=accept_disclaimer)
    errors.raise_any()
    if User.objects.filter(email__iexact=data["email"]).exists():
        _refuse("email", _("Er is al een account met dit e-mailadres."), "duplicate")
    user = User.objects.create_user(data["email"], password, full_name=data["name"])
    member = member_create(
        data=data, user=user, language=language_now(), **consent_fields(on_behalf=False)
    )
    invitation.used_at, invitation.member = timezone.now(), member
    invitation.save(update_fields=["used_at", "member"])
    audit_record(
        actor_id=member.pk,
        action="invitation.accept",
        target=invitation,
        summary=f"Uitnodiging #{invitation.pk} gebruikt; lid #{member.pk}",
    )
    return member
