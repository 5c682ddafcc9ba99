"""Checks of what people type about themselves: a profile, a password, their consent, and
whether they are already known. The member services (intake, profile changes) and the joining
services (applications, invitations) use the same checks, so every way in gives the same Dutch
messages with the same codes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.joining.models import Application
from cooperatives.members.models import AVAILABILITY_CHOICES, PRIVACY_STATEMENT_VERSION, Member
from cooperatives.rules.selectors import rulebook_current
from shared.accounts.models import User
from shared.validation import clean_tags, field_error, normalize_postcode

PROFILE_FIELDS = [
    "kind",
    "name",
    "street",
    "house_number",
    "postcode",
    "phone",
    "email",
    "year_of_birth",
    "languages",
    "talents",
    "availability",
    "uses_internet",
]
# Tags are stored in columns of a fixed width; a longer tag is cut rather than refused.
_TAG_LENGTH = {"languages": 40, "talents": 60}
# Free text whose runs of spaces are made one, and whose length the columns limit.
_SPACED = ("street", "house_number", "phone")
_LIMITED = ("name", "street", "house_number", "phone", "email")
# Applications that still count: one waiting for a decision, or one that made a member.
_LIVE_APPLICATIONS = ["pending", "approved"]
# The most languages and talents a profile lists: read by people, not a store for lists.
TAG_MOST = {"languages": 10, "talents": 30}


def require(condition: bool, field: str, message: str, code: str = "invalid") -> None:
    """Refuse with ``message`` on ``field`` unless ``condition`` holds."""
    if not condition:
        raise field_error(field, message, code)


# --- a profile ---------------------------------------------------------------------------------


def clean_profile(data: dict[str, Any], *, exclude_member: int | None) -> dict[str, Any]:
    """The profile fields in ``data`` (of PROFILE_FIELDS) as they are stored: trimmed,
    normalised and checked one field at a time, in the order of the form. ``exclude_member``
    is the member whose own email address does not count as taken."""
    out = dict(data)
    _clean_kind_and_name(out)
    if "postcode" in out:
        out["postcode"] = normalize_postcode(out["postcode"])
    if "email" in out:
        out["email"] = _clean_email(out["email"], exclude_member=exclude_member)
    _clean_lists(out)
    if "year_of_birth" in out:
        out["year_of_birth"] = _year(out["year_of_birth"])
    _clean_texts(out)
    return out


def _clean_kind_and_name(out: dict[str, Any]) -> None:
    if "kind" in out:
        require(out["kind"] in Member.Kind.values, "kind", _("Kies bewoner of organisatie."))
    if "name" in out:
        out["name"] = " ".join((out["name"] or "").split())
        require(bool(out["name"]), "name", _("Vul de naam in."), "required")


def _clean_email(value: str | None, *, exclude_member: int | None) -> str:
    email = (value or "").strip().lower()
    if not email:
        return email
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Vul een geldig e-mailadres in.")]}) from None
    clash = Member.objects.filter(email__iexact=email).exclude(status=Member.Status.ERASED)
    if exclude_member is not None:
        clash = clash.exclude(pk=exclude_member)
    require(not clash.exists(), "email", _("Er is al een lid met dit e-mailadres."), "taken")
    return email


def _clean_lists(out: dict[str, Any]) -> None:
    """Languages and talents as free tags; availability as known day parts, once each."""
    for key, length in _TAG_LENGTH.items():
        if key in out:
            out[key] = clean_tags(out[key], max_length=length)
            most = TAG_MOST[key]
            require(
                len(out[key]) <= most,
                key,
                _("Noem er ten hoogste %(most)d.") % {"most": most},
                "max_length",
            )
    if "availability" in out:
        valid = {c for c, _label in AVAILABILITY_CHOICES}
        out["availability"] = [a for a in dict.fromkeys(out["availability"] or []) if a in valid]


def _year(value: Any) -> int | None:
    """A year of birth from a form (text) or the API (a number); empty means unknown."""
    if value is None or str(value).strip() == "":
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    require(
        1900 <= year <= timezone.localdate().year,
        "year_of_birth",
        _("Vul een geldig geboortejaar in."),
    )
    return year


def _clean_texts(out: dict[str, Any]) -> None:
    for key in _SPACED:
        if key in out:
            out[key] = " ".join((out[key] or "").split())
    for key in _LIMITED:
        limit = _max_length(key)
        if key in out and len(out[key]) > limit:
            raise ValidationError(
                {key: [_("Dit mag hoogstens %(limit)s tekens lang zijn.") % {"limit": limit}]}
            )


def _max_length(field: str) -> int:
    column = Member._meta.get_field(field)
    assert isinstance(column, models.Field) and column.max_length is not None
    return column.max_length


# --- joining -----------------------------------------------------------------------------------


def check_not_duplicate(*, email: str, name: str, postcode: str, house_number: str) -> None:
    """The same person must not apply twice: same email, or same name at the same address,
    among members and applications that still count."""
    if email and (
        Member.objects.filter(email__iexact=email).exclude(status=Member.Status.ERASED).exists()
        or Application.objects.filter(email__iexact=email, status__in=_LIVE_APPLICATIONS).exists()
    ):
        raise field_error(
            "email",
            _("Er is al een aanmelding of lidmaatschap met dit e-mailadres."),
            "duplicate",
        )
    if name and postcode and house_number:
        same_address = Q(name__iexact=name, postcode=postcode, house_number__iexact=house_number)
        if (
            Member.objects.filter(same_address).exclude(status=Member.Status.ERASED).exists()
            or Application.objects.filter(same_address, status__in=_LIVE_APPLICATIONS).exists()
        ):
            raise field_error(
                "name",
                _("Er is al een aanmelding of lidmaatschap voor deze naam op dit adres."),
                "duplicate",
            )


def validate_password(password: str, *, email: str, name: str) -> None:
    require(bool(password), "password", _("Kies een wachtwoord."), "required")
    try:
        password_validation.validate_password(password, user=User(email=email, full_name=name))
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from None


def require_consent(*, accept_privacy: bool, accept_disclaimer: bool) -> None:
    """Both the privacy statement and the liability rules must be accepted; a refusal names
    each one that is not."""
    errors = {}
    if not accept_privacy:
        errors["accept_privacy"] = _("U moet akkoord gaan met de privacyverklaring.")
    if not accept_disclaimer:
        errors["accept_disclaimer"] = _(
            "U moet akkoord gaan met de spelregels over aansprakelijkheid."
        )
    if errors:
        raise ValidationError(
            {field: ValidationError(message, code="required") for field, message in errors.items()}
        )


def consent_fields(*, on_behalf: bool) -> dict[str, Any]:
    """What a new member's record says about their consent, given now: to this privacy
    statement and to the liability rules of the version in force."""
    now = timezone.now()
    rulebook = rulebook_current()
    return {
        "privacy_version": PRIVACY_STATEMENT_VERSION,
        "privacy_accepted_at": now,
        "disclaimer_version": rulebook.version if rulebook else None,
        "disclaimer_accepted_at": now,
        "consent_on_behalf": on_behalf,
    }
