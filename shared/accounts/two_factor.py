"""The second factor: a code from an authenticator app on the phone (TOTP), with ten recovery
codes for a lost phone, on django-otp's devices in the user's own schema (network
administrators' in the public schema, members' in their cooperative's).

Reads (``totp_device_of``, ``recovery_codes_left`` ...) and writes (``totp_enrolment_start``,
``totp_enrolment_confirm``, ``two_factor_verify``, ``recovery_codes_renew``,
``two_factor_reset``) live together here because they are one small mechanism that the login
step, the account page and the network's account management all use.

Throttling is django-otp's own (each failed attempt doubles the wait on that device); a
verification therefore runs in a transaction of its own, so a wrong code's failure count is
kept even though the attempt is refused."""

from __future__ import annotations

import logging
import re
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared.tenancy.current import connection
from shared.validation import field_error

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
PHONE_NAME = "telefoon"
RECOVERY_NAME = "herstelcodes"

_SPACES = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the QR code (an inline SVG, drawn on the server) and the
    same key in groups of four for typing it in by hand."""

    device: TOTPDevice
    qr_svg: str
    key_groups: list[str]


# --- reads -------------------------------------------------------------------------------------


def totp_device_of(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app, or None when none is set up."""
    if not getattr(user, "is_authenticated", False):
        return None
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    )
    return device


def has_two_factor(user: Any) -> bool:
    """The user has a phone set up (recovery codes alone do not count: they are for getting
    back in to set up a new phone)."""
    return totp_device_of(user) is not None


def recovery_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def users_with_two_factor(user_ids: list[int]) -> set[int]:
    """Which of these users (of the current schema) have a phone set up: one query for a list."""
    return set(
        TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
            "user_id", flat=True
        )
    )


def key_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


def key_groups(device: TOTPDevice) -> list[str]:
    """The key as an app asks for it when typed (base32), in groups of four, for reading aloud
    or typing without losing one's place."""
    key = key_base32(device).rstrip("=")
    return [key[i : i + 4] for i in range(0, len(key), 4)]


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as an inline SVG element: drawn here, with a white background, so
    no script, image service or data URL is needed (the page's CSP allows none)."""
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=14,
        border=4,
    )
    svg = str(image.to_string(encoding="unicode"))
    label = _("QR-code om uw telefoon te koppelen")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr-code" ', 1)


def enrolment_of(device: TOTPDevice) -> Enrolment:
    return Enrolment(device=device, qr_svg=qr_svg(device), key_groups=key_groups(device))


def format_recovery_code(code: str) -> str:
    """'abcdefgh' → 'abcd-efgh': easier to read from paper; typed with or without the dash."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == 8 else code


def normalize_code(value: str) -> str:
    return _SPACES.sub("", value or "").lower()


def is_totp_code(value: str) -> bool:
    code = normalize_code(value)
    return len(code) == 6 and code.isdigit()


# --- writes ------------------------------------------------------------------------------------


def totp_enrolment_start(*, user: Any) -> Enrolment:
    """The unconfirmed device to set up a (new) phone with. The same one comes back until it is
    confirmed, so reloading the page never changes a key the person already scanned. A phone
    already set up keeps working until the new one is confirmed."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        ) or TOTPDevice.objects.create(user=user, name=PHONE_NAME, confirmed=False)
    return enrolment_of(device)


def _throttled_message(device: Device) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = (data or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    return ngettext(
        "U heeft te vaak een verkeerde code ingevuld. Wacht %(seconds)s seconde en probeer "
        "het dan opnieuw.",
        "U heeft te vaak een verkeerde code ingevuld. Wacht %(seconds)s seconden en probeer "
        "het dan opnieuw.",
        seconds,
    ) % {"seconds": seconds}


def _check(device: Device, user: Any, code: str, wrong: str) -> Device:
    """``device`` if it accepts ``code`` (django-otp's throttled check, committed on its own so
    a failure counts), else a refusal on the field ``code``."""
    throttled = _throttled_message(device)
    if throttled:
        raise field_error("code", throttled, "throttled")
    accepted = verify_token(user, device.persistent_id, code)
    if accepted is None:
        logger.info("two-factor code refused: schema=%s user=%s", connection.schema_name, user.pk)
        raise field_error("code", wrong, "wrong_code")
    if isinstance(accepted, StaticDevice):
        logger.info("recovery code used: schema=%s user=%s", connection.schema_name, user.pk)
    return accepted


def totp_enrolment_confirm(*, user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the new phone with the code it shows. The phone set up before (if any) stops
    working. The first time, ten recovery codes are made and returned (to be shown once);
    setting up a new phone keeps the recovery codes there are, and returns None."""
    if device.user_id != user.pk or device.confirmed:
        raise field_error("code", _("Begin opnieuw met het koppelen van uw telefoon."), "stale")
    code = normalize_code(code)
    if not is_totp_code(code):
        raise field_error(
            "code", _("Vul de 6 cijfers in die de app op uw telefoon nu toont."), "format"
        )
    wrong = _(
        "Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en vul de code in die "
        "de app nu toont."
    )
    # Verified by hand: django-otp's verify_token only looks at confirmed devices.
    throttled = _throttled_message(device)
    if throttled:
        raise field_error("code", throttled, "throttled")
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted = locked.verify_token(code)
    if not accepted:
        raise field_error("code", wrong, "wrong_code")
    logger.info("two-factor phone confirmed: schema=%s user=%s", connection.schema_name, user.pk)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
        locked.confirmed = True
        locked.name = PHONE_NAME
        locked.save(update_fields=["confirmed", "name"])
        if recovery_codes_left(user) == 0:
            return recovery_codes_renew(user=user)
    return None


def two_factor_verify(*, user: Any, code: str) -> Device:
    """The device that accepts ``code``: six digits are checked against the phone, anything
    else against the recovery codes (each works once). Refused with a Dutch message (codes
    ``wrong_code``, ``throttled``, ``no_device``)."""
    code = normalize_code(code)
    if is_totp_code(code):
        device: Device | None = totp_device_of(user)
        wrong = _(
            "Deze code klopt niet. Vul de 6 cijfers in die de app op uw telefoon nu toont; "
            "kijk of de tijd op uw telefoon goed staat."
        )
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        wrong = _(
            "Dit is geen geldige herstelcode. Een herstelcode werkt maar één keer; neem een "
            "andere van uw lijst."
        )
    if device is None:
        raise field_error(
            "code",
            _("Voor uw account is nog geen telefoon ingesteld. Vul de code uit de app in."),
            "no_device",
        )
    return _check(device, user, code, wrong)


def recovery_codes_renew(*, user: Any) -> list[str]:
    """Ten new recovery codes; the old ones stop working. The device itself stays, so a
    session that came in with a recovery code stays verified."""
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    logger.info("recovery codes made: schema=%s user=%s", connection.schema_name, user.pk)
    return [format_recovery_code(code) for code in codes]


def two_factor_reset(*, user: Any) -> int:
    """Forget the user's phone and recovery codes: at the next login they set up a phone again
    (a session verified with one of them is no longer verified). Returns how many devices
    went."""
    with transaction.atomic():
        phones, _details = TOTPDevice.objects.filter(user=user).delete()
        recovery, _details = StaticDevice.objects.filter(user=user).delete()
    logger.info("two-factor reset: schema=%s user=%s", connection.schema_name, user.pk)
    return int(phones) + int(recovery)


def demo_totp_device(*, user: Any, key_hex: str) -> TOTPDevice:
    """A confirmed phone with a fixed key, for the demo's login only (the key is printed)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=PHONE_NAME, key=key_hex, confirmed=True)


def demo_recovery_codes(*, user: Any, codes: list[str]) -> None:
    """Fixed recovery codes for the demo's login only (printed with the demo logins)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=normalize_code(code)) for code in codes
    )
