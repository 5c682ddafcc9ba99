"""A new cooperative whose first board member never confirms the email address: a mail on day
five, archived on day seven (daily, by Celery beat: ``unconfirmed_daily``).
Only cooperatives still in their trial are touched; running it twice does nothing more. Apart
from tenants.tasks, which tenants.services imports: this module uses those services."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from cooperatives.governance.models import Body
from cooperatives.members.models import Member
from shared.mail import Mail, cooperative_link, mail_send
from tenants.confirmation import CONFIRM_WITHIN, WARN_AFTER, founder_confirmation_path
from tenants.models import Cooperative
from tenants.services import cooperative_set_status

logger = logging.getLogger(__name__)

# The warning comes at least this long before the archiving: CONFIRM_WITHIN - WARN_AFTER.
NOTICE = CONFIRM_WITHIN - WARN_AFTER


@shared_task(name="tenants.lifecycle.unconfirmed_daily")
def unconfirmed_daily() -> dict[str, list[str]]:
    """The daily run (public schema)."""
    return unconfirmed_sweep()


def unconfirmed_sweep() -> dict[str, list[str]]:
    """Mail the founder of each trial cooperative unconfirmed for WARN_AFTER, once; archive
    those unconfirmed for CONFIRM_WITHIN that were warned at least NOTICE before (a day the
    task did not run never costs a founder the warning). Returns the slugs of each."""
    now = timezone.now()
    unconfirmed = Cooperative.objects.filter(
        founder_confirmed_at=None, status=Cooperative.Status.TRIAL
    )
    archived = []
    for cooperative in unconfirmed.filter(
        created_at__lte=now - CONFIRM_WITHIN, unconfirmed_warned_at__lte=now - NOTICE
    ):
        cooperative_set_status(cooperative=cooperative, status=Cooperative.Status.ARCHIVED)
        logger.info("Cooperative %s archived: its founder never confirmed", cooperative.slug)
        archived.append(cooperative.slug)
    warned = []
    for cooperative in unconfirmed.filter(
        created_at__lte=now - WARN_AFTER, unconfirmed_warned_at=None
    ):
        with transaction.atomic():
            locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
            if locked.unconfirmed_warned_at is not None:
                continue
            _warning_send(cooperative=locked, archive_on=max(
                locked.created_at + CONFIRM_WITHIN, now + NOTICE
            ))  # fmt: skip
            locked.unconfirmed_warned_at = now
            locked.save(update_fields=["unconfirmed_warned_at"])
        warned.append(cooperative.slug)
    return {"warned": warned, "archived": archived}


def _warning_send(*, cooperative: Cooperative, archive_on: dt.datetime) -> None:
    with schema_context(cooperative.schema_name):
        founder = (
            Member.objects.filter(seats__body__kind=Body.Kind.EXECUTIVE_BOARD, user__isnull=False)
            .order_by("pk")
            .first()
        )
        if founder is None:
            return
        link = cooperative_link(founder_confirmation_path(cooperative=cooperative))

        def compose() -> Mail:
            names = {"name": cooperative.name, "date": f"{timezone.localtime(archive_on):%d-%m-%Y}"}
            return Mail(
                subject=_("Bevestig uw e-mailadres voor %(name)s") % names,
                body=_(
                    "U heeft %(name)s aangemeld bij Noaber, maar uw e-mailadres is nog niet "
                    "bevestigd. Bevestig het met de link hieronder. Zonder bevestiging wordt "
                    "de coöperatie op %(date)s opgeheven."
                )
                % names,
                link=link,
                link_label=_("E-mailadres bevestigen"),
            )

        mail_send(to=[founder], compose=compose, after_commit=False)
