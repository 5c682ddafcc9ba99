"""Joining: self-registration (an application a coordinator decides on) and invitations by
email with a one-time link that expires."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Application, Invitation, Member
from cooperatives.services.members import (
    _check_not_duplicate,
    _clean_profile,
    _consent_fields,
    _member_create,
    _require,
    _require_consent,
    _validate_password,
)
from shared.accounts.models import User
from shared.audit.services import audit_record

INVITATION_DAYS = 14


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
    """Someone asks to join. Nothing is a member yet: a coordinator or board member decides."""
    data = _clean_profile(
        {
            "name": name,
            "email": email,
            "phone": phone,
            "street": street,
            "house_number": house_number,
            "postcode": postcode,
        },
        exclude_member=None,
    )
    _require(bool(data["email"]), "email", _("Vul uw e-mailadres in."), "required")
    _require(kind in Member.Kind.values, "kind", _("Kies bewoner of organisatie."))
    _validate_password(password, email=data["email"], name=data["name"])
    _require_consent(accept_privacy, accept_disclaimer)
    _check_not_duplicate(
        email=data["email"],
        name=data["name"],
        postcode=data["postcode"],
        house_number=data["house_number"],
    )
    consent = _consent_fields(on_behalf=False)
    return Application.objects.create(
        kind=kind,
        message=message.strip()[:2000],
        password_hash=make_password(password),
        privacy_version=consent["privacy_version"],
        disclaimer_version=consent["disclaimer_version"],
        consent_at=consent["privacy_accepted_at"],
        **data,
    )


def _notify(*, to: str, subject: str, body: str) -> None:
    if to:
        transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


@transaction.atomic
def application_approve(*, actor: Member, application: Application) -> Member:
    """Approve a pending application: the applicant becomes a member and can log in with the
    password they chose."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(
        application.status == Application.Status.PENDING,
        "status",
        _("Over deze aanmelding is al besloten."),
        "decided",
    )
    if User.objects.filter(email__iexact=application.email).exists():
        raise ValidationError(
            {"email": [_("Er is al een account met dit e-mailadres.")]}, code="duplicate"
        )
    user = User(
        email=application.email, full_name=application.name, password=application.password_hash
    )
    user.save()
    data = {
        f: getattr(application, f)
        for f in ("kind", "name", "email", "phone", "street", "house_number", "postcode")
    }
    member = _member_create(
        data=data,
        user=user,
        privacy_version=application.privacy_version,
        privacy_accepted_at=application.consent_at,
        disclaimer_version=application.disclaimer_version,
        disclaimer_accepted_at=application.consent_at,
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
    _notify(
        to=member.email,
        subject=_("Welkom als lid"),
        body=_(
            "Uw aanmelding is goedgekeurd. U kunt nu inloggen met uw e-mailadres en wachtwoord."
        ),
    )
    return member


@transaction.atomic
def application_decline(*, actor: Member, application: Application, reason: str) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(
        application.status == Application.Status.PENDING,
        "status",
        _("Over deze aanmelding is al besloten."),
        "decided",
    )
    reason = (reason or "").strip()
    _require(
        bool(reason),
        "reason",
        _("Geef een reden op; de aanvrager krijgt die te lezen."),
        "required",
    )
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
    _notify(
        to=application.email,
        subject=_("Uw aanmelding"),
        body=_("Uw aanmelding is helaas niet goedgekeurd. Reden: %(reason)s") % {"reason": reason},
    )
    return application


# --- invitations -------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_send(
    *, actor: Member, email: str, name: str = "", accept_url: str
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and the one-time token; the link is
    ``accept_url`` with ``{token}`` filled in."""
    email = (email or "").strip().lower()
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Vul een geldig e-mailadres in.")]}) from None
    if Member.objects.filter(email__iexact=email).exclude(status=Member.Status.ERASED).exists():
        raise ValidationError(
            {"email": [_("Er is al een lid met dit e-mailadres.")]}, code="duplicate"
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        name=name.strip(),
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor_id=actor.pk,
        action="invitation.send",
        target=invitation,
        summary=f"Uitnodiging #{invitation.pk} verstuurd",
    )
    link = accept_url.format(token=token)
    _notify(
        to=email,
        subject=_("Uitnodiging voor uw wijkcoöperatie"),
        body=_(
            "U bent uitgenodigd om lid te worden. Deze link werkt %(days)s dagen "
            "en één keer:\n\n%(link)s"
        )
        % {"days": INVITATION_DAYS, "link": link},
    )
    return invitation, token


def invitation_for_token(*, token: str) -> Invitation | None:
    """The open invitation behind a token, or None (unknown, used or expired)."""
    invitation = Invitation.objects.filter(token_hash=_token_hash(token or "")).first()
    return invitation if invitation and invitation.is_open else None


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
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=_token_hash(token or "")).first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(
            {"token": [_("Deze uitnodiging is verlopen of al gebruikt. Vraag een nieuwe aan.")]},
            code="expired",
        )
    data = _clean_profile(
        {
            "name": name,
            "email": invitation.email,
            "phone": phone,
            "street": street,
            "house_number": house_number,
            "postcode": postcode,
        },
        exclude_member=None,
    )
    _validate_password(password, email=data["email"], name=data["name"])
    _require_consent(accept_privacy, accept_disclaimer)
    if User.objects.filter(email__iexact=data["email"]).exists():
        raise ValidationError(
            {"email": [_("Er is al een account met dit e-mailadres.")]}, code="duplicate"
        )
    user = User.objects.create_user(data["email"], password, full_name=data["name"])
    member = _member_create(data=data, user=user, **_consent_fields(on_behalf=False))
    invitation.used_at, invitation.member = timezone.now(), member
    invitation.save(update_fields=["used_at", "member"])
    audit_record(
        actor_id=member.pk,
        action="invitation.accept",
        target=invitation,
        summary=f"Uitnodiging #{invitation.pk} gebruikt; lid #{member.pk}",
    )
    return member
