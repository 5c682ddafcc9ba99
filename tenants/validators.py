"""Validation of what a new cooperative's founders type in. Every message is Dutch and has a
code of its own, so the page and the API report the same thing."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email
from django.utils.translation import gettext as _

SUBDOMAIN_MIN, SUBDOMAIN_MAX = 3, 40
_SUBDOMAIN_CHARS = re.compile(r"^[a-z0-9-]+$")

# Names that would clash with the platform's own hosts or mislead members.
RESERVED_SUBDOMAINS = frozenset(
    {
        "www",
        "www1",
        "www2",
        "api",
        "admin",
        "beheer",
        "static",
        "media",
        "mail",
        "email",
        "smtp",
        "imap",
        "pop",
        "pop3",
        "mx",
        "ns",
        "ns1",
        "ns2",
        "dns",
        "ftp",
        "sftp",
        "ssh",
        "vpn",
        "app",
        "apps",
        "web",
        "cdn",
        "assets",
        "files",
        "img",
        "images",
        "status",
        "help",
        "support",
        "docs",
        "doc",
        "blog",
        "news",
        "nieuws",
        "login",
        "logout",
        "inloggen",
        "account",
        "accounts",
        "auth",
        "oauth",
        "sso",
        "signup",
        "aanmelden",
        "register",
        "registreren",
        "billing",
        "betalen",
        "stripe",
        "webhook",
        "webhooks",
        "dashboard",
        "portal",
        "public",
        "template",
        "noaber",
        "platform",
        "test",
        "testing",
        "dev",
        "staging",
        "demo-admin",
        "root",
        "postgres",
        "redis",
        "celery",
        "localhost",
        "internal",
        "intern",
        "security",
        "abuse",
        "postmaster",
        "hostmaster",
        "info",
        "contact",
        "privacy",
        "samen030",
        "500wijkcooperaties",
        "netwerk",
        "network",
    }
)


def normalize_subdomain(value: str) -> str:
    return (value or "").strip().lower()


def validate_subdomain_format(value: str) -> None:
    """Format rules only (no database): length, characters, hyphens, reserved names."""
    if not value:
        raise ValidationError(_("Kies een subdomein voor uw coöperatie."), code="required")
    if len(value) < SUBDOMAIN_MIN:
        raise ValidationError(
            _("Het subdomein moet minstens %(n)s tekens lang zijn.") % {"n": SUBDOMAIN_MIN},
            code="too_short",
        )
    if len(value) > SUBDOMAIN_MAX:
        raise ValidationError(
            _("Het subdomein mag hoogstens %(n)s tekens lang zijn.") % {"n": SUBDOMAIN_MAX},
            code="too_long",
        )
    if not _SUBDOMAIN_CHARS.match(value):
        raise ValidationError(
            _(
                "Gebruik in het subdomein alleen kleine letters (a-z), cijfers (0-9) en het "
                "streepje (-), zonder spaties of accenten."
            ),
            code="invalid_characters",
        )
    if value.startswith("-") or value.endswith("-"):
        raise ValidationError(
            _("Het subdomein mag niet met een streepje beginnen of eindigen."), code="hyphen_edge"
        )
    if value in RESERVED_SUBDOMAINS:
        raise ValidationError(
            _(
                "Het subdomein '%(subdomain)s' is gereserveerd voor het platform. "
                "Kies een andere naam."
            )
            % {"subdomain": value},
            code="reserved",
        )


def taken_message(value: str) -> ValidationError:
    return ValidationError(
        _("Het subdomein '%(subdomain)s' is al in gebruik. Kies een andere naam.")
        % {"subdomain": value},
        code="taken",
    )


def validate_email_address(value: str) -> None:
    if not value:
        raise ValidationError(_("Vul een e-mailadres in."), code="required")
    try:
        django_validate_email(value)
    except ValidationError:
        raise ValidationError(
            _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."), code="invalid"
        ) from None
