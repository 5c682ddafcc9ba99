"""Background work for cooperatives. Tasks are tenant-aware: they run in the schema they were
queued from (tenant-schemas-celery, whose app the project sets up in ``noaber.celery``), and
they are safe to run twice. Each keeps the name it was queued under before it moved here."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import User
from shared.tenancy.current import connection
from shared.tenancy.urls import cooperative_url
from tenants import provisioning
from tenants.models import Cooperative


@shared_task(
    bind=True,
    name="tenants.tasks.send_welcome_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_welcome_email(self: Any, *, user_id: int) -> dict[str, object]:
    """Welcome the first board member of a new cooperative, once."""
    schema: str = connection.schema_name
    # The registry row is in the public schema, which stays on the search path.
    cooperative = Cooperative.objects.get(schema_name=schema)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or user.welcome_sent_at is not None:
            return {"schema": schema, "sent": False}
        context = {
            "user": user,
            "cooperative": cooperative,
            "login_url": cooperative_url(slug=cooperative.slug, path="/inloggen/"),
            "platform_domain": settings.PLATFORM_DOMAIN,
        }
        send_mail(
            subject=_("Welkom bij Noaber, %(name)s staat klaar") % {"name": cooperative.name},
            message=render_to_string("tenants/email/welcome.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
        user.welcome_sent_at = timezone.now()
        user.save(update_fields=["welcome_sent_at"])
    return {"schema": schema, "sent": True, "to": user.email}


@shared_task(
    name="tenants.tasks.refill_spare_schemas",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def refill_spare_schemas() -> dict[str, int]:
    """Top the pool of spare schemas up again after a sign-up took one (public schema; running
    it twice makes no extra spares: it fills up to the target and stops)."""
    return {"made": provisioning.spares_fill()}
