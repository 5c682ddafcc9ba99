"""Mail for a login: the link to choose a new password, on the cooperative's own subdomain, in
the member's language, through ``shared.mail``. The password reset page sends it when someone
asks for themselves; a coordinator sends it for a member who calls (the members feature checks
who may, and audits it). Network administrators (public schema) get theirs on the apex
(``network_password_link``; also used by the network's invitations)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shared.accounts.models import User
from shared.accounts.tokens import password_reset_token
from shared.audit.services import audit_record
from shared.mail import Mail, cooperative_link, mail_send
from shared.permissions import member_of_user
from shared.tenancy.current import current_cooperative
from shared.validation import field_error


@dataclass(frozen=True)
class _Addressee:
    email: str
    language: str


def password_reset_link(*, user: User) -> str:
    """The absolute link to choose a new password, valid in this cooperative only, once, for
    PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": password_reset_token.make_token(user),
        },
    )
    return cooperative_link(path)


def apex_link(path: str) -> str:
    """``path`` on the platform's own domain (where network administrators log in), absolute."""
    port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
    return f"{settings.PLATFORM_SCHEME}://{settings.PLATFORM_DOMAIN}{port}{path}"


def network_password_link(*, user: User) -> str:
    """The absolute link on the apex to choose a (new) password, once, for
    PASSWORD_RESET_TIMEOUT; then the second factor follows."""
    path = reverse(
        "network-set-password",
        urlconf=settings.PUBLIC_SCHEMA_URLCONF,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": password_reset_token.make_token(user),
        },
    )
    return apex_link(path)


def network_password_reset_mail_send(*, user: User) -> None:
    """ "Wachtwoord vergeten?" on the apex: the link to choose a new password (now; the page
    writes nothing)."""
    link = network_password_link(user=user)
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)

    def compose() -> Mail:
        validity = ngettext(
            "De link werkt één keer en %(days)s dag lang.",
            "De link werkt één keer en %(days)s dagen lang.",
            days,
        )
        return Mail(
            subject=_("Nieuw wachtwoord kiezen voor Noaber"),
            body="\n\n".join(
                [
                    _(
                        "U heeft gevraagd om een nieuw wachtwoord voor uw account als "
                        "netwerkbeheerder op Noaber. Met de link hieronder kiest u een nieuw "
                        "wachtwoord; daarna vult u zoals altijd de code van uw telefoon in."
                    ),
                    validity % {"days": days},
                    _(
                        "Heeft u dit niet gevraagd? Dan hoeft u niets te doen: uw wachtwoord "
                        "blijft hetzelfde."
                    ),
                ]
            ),
            link=link,
            link_label=_("Kies een nieuw wachtwoord"),
        )

    mail_send(to=[_Addressee(email=user.email, language="")], compose=compose, after_commit=False)


def password_reset_mail_send(
    *, user: User, by_staff: bool = False, after_commit: bool = False
) -> None:
    """Mail ``user`` the link to choose a new password: now, for the reset page (which writes
    nothing), or after the commit of a service that records it. ``by_staff``: a coordinator
    sent it for a member who called."""
    member = member_of_user(user)
    to = _Addressee(email=user.email, language=getattr(member, "language", "") or "")
    link = password_reset_link(user=user)
    cooperative = current_cooperative()
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)

    def compose() -> Mail:
        names = {"name": cooperative.name, "days": days}
        if by_staff:
            opening = _(
                "Zoals afgesproken aan de telefoon sturen we u een link om een nieuw wachtwoord "
                "te kiezen voor uw account bij %(name)s."
            )
        else:
            opening = _(
                "U heeft gevraagd om een nieuw wachtwoord voor uw account bij %(name)s. Met de "
                "link hieronder kiest u een nieuw wachtwoord."
            )
        validity = ngettext(
            "De link werkt één keer en %(days)s dag lang.",
            "De link werkt één keer en %(days)s dagen lang.",
            days,
        )
        ignore = _(
            "Heeft u dit niet gevraagd? Dan hoeft u niets te doen: uw wachtwoord blijft hetzelfde."
        )
        return Mail(
            subject=_("Nieuw wachtwoord kiezen voor %(name)s") % names,
            body="\n\n".join([opening % names, validity % names, ignore]),
            link=link,
            link_label=_("Kies een nieuw wachtwoord"),
        )

    mail_send(to=[to], compose=compose, after_commit=after_commit)


# "Wachtwoord vergeten?" per hour: from one client address (``shared.client_address``), and
# for one email address whether or not it has an account (so the limit tells nothing about
# who is a member). The mail itself also goes at most once per RESET_MAIL_INTERVAL per account
# (shared.accounts.forms). Together nobody can fill mailboxes or try addresses without limit.
PASSWORD_RESETS_PER_ADDRESS_HOUR = 10
PASSWORD_RESETS_PER_EMAIL_HOUR = 5


def password_reset_admit(*, client: str, email: str) -> None:
    """Count one request for a new-password link; refuse it (code ``throttled``) past the
    hourly limit of the client address or of the email address. Counted per schema (the
    default cache's keys carry it), like the lockout."""
    hour = f"{timezone.now():%Y%m%d%H}"
    email_key = hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:32]
    limits = [
        (f"password-reset:address:{client}:{hour}", PASSWORD_RESETS_PER_ADDRESS_HOUR),
        (f"password-reset:email:{email_key}:{hour}", PASSWORD_RESETS_PER_EMAIL_HOUR),
    ]
    for key, limit in limits:
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > limit:
            raise field_error(
                "email",
                _(
                    "Er is het afgelopen uur al vaak een nieuw wachtwoord aangevraagd. Probeer "
                    "het over een uur opnieuw, of vraag uw coördinator om hulp."
                ),
                "throttled",
            )


def account_lockout_lift(*, user: User, how: str) -> bool:
    """Lift a lockout (django-axes) of ``user``'s account, for instance once a new password
    was chosen through the mailed link. A lock that was really there is written to the
    cooperative's audit log (actor: the member whose account it is); returns whether there
    was one. ``how`` says what lifted it, in the log's summary."""
    from axes.models import AccessAttempt
    from axes.utils import reset as axes_reset

    failures = (
        AccessAttempt.objects.filter(username__iexact=user.email).aggregate(
            most=Sum("failures_since_start")
        )["most"]
        or 0
    )
    axes_reset(username=user.email)
    locked = failures >= settings.AXES_FAILURE_LIMIT
    if locked and current_cooperative() is not None:
        member = member_of_user(user)
        audit_record(
            actor_id=member.pk if member is not None else None,
            action="account.unlock",
            target=member,
            summary=f"Blokkade van het account opgeheven ({how}) na {failures} mislukte pogingen",
        )
    return locked
