"""Background work for cooperatives. Tasks are tenant-aware: they run in the schema they were
queued from (tenant-schemas-celery, whose app the project sets up in ``noaber.celery``), and
they are safe to run twice. Each keeps the name it was queued under before it moved here."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.members.models import Member
from shared.accounts.models import User
from shared.mail import Mail, cooperative_link, mail_send
from shared.tenancy.current import connection
from tenants import provisioning
from tenants.confirmation import founder_confirmation_path
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
        # The founder's member record carries the language they signed up in.
        founder = Member.objects.filter(user=user).first()
        recipient = founder if founder is not None and founder.email else user
        login_url = cooperative_link(reverse("login"))
        confirm_url = cooperative_link(founder_confirmation_path(cooperative=cooperative))
        details_url = cooperative_link(reverse("cooperative-details"))

        def compose() -> Mail:
            context = {
                "user": user,
                "cooperative": cooperative,
                "login_url": login_url,
                "confirm_url": confirm_url,
                "details_url": details_url,
                "platform_domain": settings.PLATFORM_DOMAIN,
            }
            return Mail(
                subject=_("Welkom bij Noaber, %(name)s staat klaar") % {"name": cooperative.name},
                body=render_to_string("tenants/email/welcome.txt", context),
                link=login_url,
                link_label=_("Inloggen"),
            )

        mail_send(to=[recipient], compose=compose, after_commit=False)
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
