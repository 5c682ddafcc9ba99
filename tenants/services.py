"""Writes to the tenant registry: signing up a cooperative and changing its status."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from cooperatives.members.models import PRIVACY_STATEMENT_VERSION, Member, Role, RoleAssignment
from cooperatives.rules.models import Rulebook
from cooperatives.setup.models import Cluster
from shared.accounts.models import User
from shared.tenancy.urls import cooperative_host, cooperative_url
from tenants import provisioning, rules_templates, validators
from tenants.models import Cooperative, Domain

logger = logging.getLogger(__name__)


MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class SignUpResult:
    cooperative: Cooperative
    board_member_id: int
    login_url: str


def schema_name_for(slug: str) -> str:
    # Subdomains may hold '-', schema names should not need quoting; '_' never occurs in a
    # subdomain, so the mapping stays one-to-one.
    return "coop_" + slug.replace("-", "_")


def _validate_sign_up(
    *, name: str, slug: str, board_member_name: str, email: str, password: str, template: str
) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, error: ValidationError) -> None:
        errors.setdefault(field, []).extend(error.error_list)

    if not name:
        add("name", ValidationError(_("Vul de naam van de coöperatie in."), code="required"))
    elif len(name) > MAX_NAME_LENGTH:
        add(
            "name",
            ValidationError(
                _("De naam mag hoogstens %(n)s tekens lang zijn.") % {"n": MAX_NAME_LENGTH},
                code="too_long",
            ),
        )
    try:
        validators.validate_subdomain_format(slug)
    except ValidationError as e:
        add("slug", e)
    else:
        if Cooperative.objects.filter(slug__iexact=slug).exists():
            add("slug", validators.taken_message(slug))
    if not board_member_name:
        add(
            "board_member_name",
            ValidationError(_("Vul de naam van het eerste bestuurslid in."), code="required"),
        )
    elif len(board_member_name) > 150:
        add(
            "board_member_name",
            ValidationError(_("De naam mag hoogstens 150 tekens lang zijn."), code="too_long"),
        )
    try:
        validators.validate_email_address(email)
    except ValidationError as e:
        add("email", e)
    if not password:
        add("password", ValidationError(_("Kies een wachtwoord."), code="required"))
    else:
        try:
            password_validation.validate_password(
                password, user=User(email=email, full_name=board_member_name)
            )
        except ValidationError as e:
            add("password", e)
    if template not in rules_templates.TEMPLATES:
        add(
            "template",
            ValidationError(
                _("Kies een van de sjablonen voor de spelregels."), code="invalid_choice"
            ),
        )
    if errors:
        raise ValidationError(errors)


def _apply_rules_template(*, template: rules_templates.RulesTemplate) -> None:
    clusters = Cluster.objects.bulk_create(
        Cluster(name=c.name, description=c.description, position=i)
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
) -> SignUpResult:
    """Create a cooperative that is live at once: registry row, domain, its own schema
    (cloned from the template), the template's clusters and rules, and the first board member.

    All of it happens in one transaction: a failure anywhere leaves no schema, no domain and no
    cooperative. The welcome email is queued only after the commit.
    """
    name = (name or "").strip()
    slug = validators.normalize_subdomain(slug)
    board_member_name = (board_member_name or "").strip()
    email = (email or "").strip().lower()
    _validate_sign_up(
        name=name,
        slug=slug,
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
                    privacy_version=PRIVACY_STATEMENT_VERSION,
                    privacy_accepted_at=timezone.now(),
                )
                RoleAssignment.objects.create(member=founder, role=Role.BOARD_CHAIR)
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
    from tenants.tasks import refill_spare_schemas

    if settings.TENANT_SPARE_SCHEMAS:
        refill_spare_schemas.delay()


def _queue_welcome_email(*, schema_name: str, user_id: int) -> None:
    from tenants.tasks import send_welcome_email

    # Queued from inside the schema, so tenant-schemas-celery runs it there.
    with schema_context(schema_name):
        send_welcome_email.delay(user_id=user_id)


def cooperative_set_status(*, cooperative: Cooperative, status: str) -> Cooperative:
    """Change a cooperative's status (trial, active, suspended, archived)."""
    if status not in Cooperative.Status.values:
        raise ValidationError({"status": [_("Onbekende status.")]}, code="invalid_choice")
    cooperative.status = status
    cooperative.save(update_fields=["status"])
    return cooperative
