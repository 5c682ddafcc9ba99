"""Writes to the tenant registry: signing up a cooperative and changing its status."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from cooperatives.governance.models import Body, Seat
from cooperatives.governance.selectors import body_standing
from cooperatives.members.models import PRIVACY_STATEMENT_VERSION, Member
from cooperatives.rules.models import Rulebook
from cooperatives.setup.models import Cluster
from shared.accounts.models import User
from shared.mail import language_now
from shared.tenancy.current import connection, queue_in
from shared.tenancy.urls import cooperative_host, cooperative_url
from shared.validation import field_error
from tenants import confirmation, provisioning, rules_templates, validators
from tenants.models import Cooperative, Domain
from tenants.tasks import refill_spare_schemas, send_welcome_email

logger = logging.getLogger(__name__)


MAX_NAME_LENGTH = 120
MAX_BOARD_MEMBER_NAME_LENGTH = 150  # Member.name
MAX_PLACE_LENGTH = 80  # Cooperative.place


@dataclass(frozen=True)
class SignUpResult:
    cooperative: Cooperative
    board_member_id: int
    login_url: str


def schema_name_for(slug: str) -> str:
    # Subdomains may hold '-', schema names should not need quoting; '_' never occurs in a
    # subdomain, so the mapping stays one-to-one.
    return "coop_" + slug.replace("-", "_")


def _check_name(name: str) -> None:
    if not name:
        raise ValidationError(_("Vul de naam van de coöperatie in."), code="required")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("De naam mag hoogstens %(n)s tekens lang zijn.") % {"n": MAX_NAME_LENGTH},
            code="too_long",
        )


def _check_slug(slug: str) -> None:
    validators.validate_subdomain_format(slug)
    if Cooperative.objects.filter(slug__iexact=slug).exists():
        raise validators.taken_message(slug)


def _check_board_member_name(board_member_name: str) -> None:
    if not board_member_name:
        raise ValidationError(_("Vul de naam van het eerste bestuurslid in."), code="required")
    if len(board_member_name) > MAX_BOARD_MEMBER_NAME_LENGTH:
        raise ValidationError(_("De naam mag hoogstens 150 tekens lang zijn."), code="too_long")


def _check_password(password: str, *, email: str, board_member_name: str) -> None:
    if not password:
        raise ValidationError(_("Kies een wachtwoord."), code="required")
    password_validation.validate_password(
        password, user=User(email=email, full_name=board_member_name)
    )


def _check_place(place: str | None) -> None:
    if place is None:
        return  # not asked (scripts and tests); the board can add it later
    if not place:
        raise ValidationError(
            _("Vul de plaats in waar de coöperatie actief is, bijvoorbeeld Utrecht."),
            code="required",
        )
    if len(place) > MAX_PLACE_LENGTH:
        raise ValidationError(
            _("De plaats mag hoogstens %(n)s tekens lang zijn.") % {"n": MAX_PLACE_LENGTH},
            code="too_long",
        )


def _check_template(template: str) -> None:
    if template not in rules_templates.TEMPLATES:
        raise ValidationError(
            _("Kies een van de sjablonen voor de spelregels."), code="invalid_choice"
        )


def sign_up_admit(*, client: str | None) -> None:
    """Refuse a sign-up from the internet when the platform has had its ceiling of sign-ups
    this hour (each is a schema: no number of addresses may make them without limit), or when
    this client address (``shared.client_address``) has had its share; ``client`` None is a
    caller whose own throttle counts per address (the API's DRF throttle). Scripts and the
    demo call ``cooperative_sign_up`` directly and are not admitted here."""
    since = timezone.now() - dt.timedelta(hours=1)
    if Cooperative.objects.filter(created_at__gte=since).count() >= (
        settings.SIGNUP_CEILING_PER_HOUR
    ):
        raise field_error(
            None,
            _("Er melden zich nu erg veel coöperaties aan. Probeer het over een uur opnieuw."),
            "busy",
        )
    if client is None:
        return
    key = f"signup-page:{client}:{timezone.now():%Y%m%d%H}"
    cache = caches["default"]
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > settings.SIGNUP_PAGE_PER_HOUR:
        raise field_error(
            None,
            _(
                "Vanaf dit adres zijn het afgelopen uur al veel aanmeldingen gedaan. "
                "Probeer het over een uur opnieuw."
            ),
            "throttled",
        )


def _validate_sign_up(
    *,
    name: str,
    slug: str,
    place: str | None,
    board_member_name: str,
    email: str,
    password: str,
    template: str,
) -> None:
    """Every problem with a sign-up at once, each on its own field with its own code."""
    checks: list[tuple[str, Callable[[], None]]] = [
        ("name", lambda: _check_name(name)),
        ("slug", lambda: _check_slug(slug)),
        ("place", lambda: _check_place(place)),
        ("board_member_name", lambda: _check_board_member_name(board_member_name)),
        ("email", lambda: validators.validate_email_address(email)),
        (
            "password",
            lambda: _check_password(password, email=email, board_member_name=board_member_name),
        ),
        ("template", lambda: _check_template(template)),
    ]
    errors: dict[str, list[ValidationError]] = {}
    for field, check in checks:
        try:
            check()
        except ValidationError as e:
            errors.setdefault(field, []).extend(e.error_list)
    if errors:
        raise ValidationError(errors)


def _apply_rules_template(*, template: rules_templates.RulesTemplate) -> None:
    clusters = Cluster.objects.bulk_create(
        Cluster(name=c.name, description=c.description, holds_care=c.holds_care, position=i)
        for i, c in enumerate(template.clusters)
    )
    if template.rules or template.clusters:
        Rulebook.objects.create(
            version=1,
            adopted_by=f"Sjabloon bij oprichting: {template.label}",
            cluster_compensation={
                str(cluster.pk): spec.compensation
                for cluster, spec in zip(clusters, template.clusters, strict=True)
            },
            **template.rules,
        )


def cooperative_sign_up(
    *,
    name: str,
    slug: str,
    board_member_name: str,
    email: str,
    password: str,
    template: str,
    place: str | None = None,
) -> SignUpResult:
    """Create a cooperative that is live at once: registry row, domain, its own schema
    (cloned from the template), the template's clusters and rules, and the first board member.
    ``place`` is where it is active, so residents find it from the apex; the pages and the API
    ask for it (None: not asked, as by scripts; the board can fill it in later).

    All of it happens in one transaction: a failure anywhere leaves no schema, no domain and no
    cooperative. The welcome email is queued only after the commit.
    """
    name = (name or "").strip()
    slug = validators.normalize_subdomain(slug)
    board_member_name = (board_member_name or "").strip()
    email = (email or "").strip().lower()
    place = " ".join(place.split()) if place is not None else None
    _validate_sign_up(
        name=name,
        slug=slug,
        place=place,
        board_member_name=board_member_name,
        email=email,
        password=password,
        template=template,
    )
    chosen = rules_templates.TEMPLATES[template]

    connection.set_schema_to_public()
    try:
        with transaction.atomic():
            cooperative = Cooperative(
                name=name,
                slug=slug,
                schema_name=schema_name_for(slug),
                status=Cooperative.Status.TRIAL,
                rules_template=chosen.key,
                place=place or "",
            )
            cooperative.save()
            Domain.objects.create(
                domain=cooperative_host(slug=slug), tenant=cooperative, is_primary=True
            )
            provisioning.provide_schema(schema_name=cooperative.schema_name)
            with schema_context(cooperative.schema_name):
                _apply_rules_template(template=chosen)
                board_member = User.objects.create_user(
                    email, password, full_name=board_member_name
                )
                founder = Member.objects.create(
                    user=board_member,
                    name=board_member_name,
                    email=email,
                    language=language_now(),
                    privacy_version=PRIVACY_STATEMENT_VERSION,
                    privacy_accepted_at=timezone.now(),
                )
                # The founder chairs the daily board from today: the board's rights follow
                # that seat (and end with its term). Written as the founding role was, as part
                # of the new cooperative itself, not as an entry in its audit log.
                Seat.objects.create(
                    body=body_standing(Body.Kind.EXECUTIVE_BOARD),
                    member=founder,
                    position=Seat.Position.CHAIR,
                    start=timezone.localdate(),
                )
            transaction.on_commit(
                lambda: _queue_welcome_email(
                    schema_name=cooperative.schema_name, user_id=board_member.pk
                )
            )
            transaction.on_commit(_queue_spares_refill)
    except IntegrityError:
        # Two sign-ups raced for the same subdomain: the unique constraint decided.
        if Cooperative.objects.filter(slug__iexact=slug).exists():
            raise ValidationError({"slug": [validators.taken_message(slug)]}) from None
        raise
    finally:
        connection.set_schema_to_public()
    logger.info("Cooperative %s signed up (schema %s)", slug, cooperative.schema_name)
    return SignUpResult(
        cooperative=cooperative,
        board_member_id=board_member.pk,
        login_url=cooperative_url(slug=slug, path="/inloggen/"),
    )


def _queue_spares_refill() -> None:
    if settings.TENANT_SPARE_SCHEMAS:
        refill_spare_schemas.delay()


def _queue_welcome_email(*, schema_name: str, user_id: int) -> None:
    # Queued from inside the schema, so tenant-schemas-celery runs it there.
    queue_in(send_welcome_email, schema=schema_name, user_id=user_id)


def cooperative_set_status(*, cooperative: Cooperative, status: str) -> Cooperative:
    """Change a cooperative's status (trial, active, suspended, archived). Archiving starts
    the retention period the board agreed (``retention_months``), after which its data is
    deleted (tenants.archive); reopening it stops the clock."""
    if status not in Cooperative.Status.values:
        raise ValidationError({"status": [_("Onbekende status.")]}, code="invalid_choice")
    archived = status == Cooperative.Status.ARCHIVED
    if archived and cooperative.status != Cooperative.Status.ARCHIVED:
        cooperative.archived_at = timezone.now()
    elif not archived:
        cooperative.archived_at = None
    cooperative.status = status
    cooperative.save(update_fields=["status", "archived_at"])
    return cooperative


def cooperative_founder_confirm(*, cooperative: Cooperative, token: str) -> Cooperative:
    """The founder followed the link in the welcome mail: the address works. Only this
    cooperative's own token counts; confirming twice changes nothing."""
    try:
        pk = signing.loads(token, salt=confirmation.SALT, max_age=confirmation.CONFIRM_WITHIN)
    except signing.BadSignature:
        pk = None
    if pk != cooperative.pk:
        raise field_error(
            None,
            _("Deze link werkt niet (meer). Neem contact op met Noaber als u hulp nodig heeft."),
            "invalid_link",
        )
    Cooperative.objects.filter(pk=cooperative.pk, founder_confirmed_at=None).update(
        founder_confirmed_at=timezone.now()
    )
    cooperative.refresh_from_db()
    return cooperative
