"""Joining in the menu (applications, invitations) and on the home page: the applications that
wait for a decision. Registered by ``CooperativesConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.joining import selectors
from cooperatives.joining.models import Application
from shared.navigation import Attention, Context, Item, attention_register, item_register

# Applications named one by one on the home page; more than this are one line to the list.
SHOWN = 5

ITEMS = (
    Item(
        key="joining.applications",
        group="coordinate",
        label=gettext_lazy("Aanmeldingen"),
        url_name="application-list",
        action="application.decide",
        order=50,
    ),
    Item(
        key="joining.invitations",
        group="coordinate",
        label=gettext_lazy("Uitnodigingen"),
        url_name="invitation-list",
        action="invitation.send",
        order=60,
    ),
)


def applications_to_decide(context: Context) -> Iterator[Attention]:
    """Who asked to join and waits for a decision, oldest first; more than SHOWN are one line
    to the list. One query."""
    pending = list(
        selectors.application_list(status=Application.Status.PENDING)
        .annotate(total=Window(Count("pk")))
        .order_by("created_at", "id")[:SHOWN]
    )
    total = getattr(pending[0], "total", 0) if pending else 0
    if total > SHOWN:
        yield Attention(
            kind="joining.applications",
            text=_("%(n)s aanmeldingen wachten op een besluit.") % {"n": total},
            url=reverse("application-list"),
            link_label=_("Aanmeldingen beoordelen"),
            when=timezone.localdate(pending[0].created_at),
        )
        return
    for application in pending:
        yield Attention(
            kind="joining.application",
            text=_("%(name)s wil lid worden en wacht op uw besluit.") % {"name": application.name},
            url=reverse("application-detail", args=[application.pk]),
            link_label=_("Aanmelding beoordelen"),
            when=timezone.localdate(application.created_at),
        )


def register() -> None:
    item_register(*ITEMS)
    attention_register(
        key="joining.applications",
        provider=applications_to_decide,
        action="application.decide",
        order=70,
    )
