"""The marketplace in the menu (asking, helping, appointments, coordinating) and what it puts
on the home page: hours to register, hours to confirm, feedback, answers to choose from,
appointments coming up, and the coordinators' queue. Registered by ``MarketplaceConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cooperatives.marketplace import selectors
from cooperatives.marketplace.models import Service
from shared.navigation import Attention, Context, Item, attention_register, item_register

ITEMS = (
    Item(
        key="marketplace.ask",
        group="ask",
        label=gettext_lazy("Hulp vragen"),
        url_name="request-create",
        action="request.create",
        order=10,
        suggest=True,
    ),
    Item(
        key="marketplace.my_requests",
        group="ask",
        label=gettext_lazy("Mijn hulpvragen"),
        url_name="my-marketplace",
        action="marketplace.view",
        order=20,
    ),
    Item(
        key="marketplace.offers",
        group="ask",
        label=gettext_lazy("Markt: vraag en aanbod"),
        url_name="marketplace",
        action="marketplace.view",
        order=30,
    ),
    Item(
        key="marketplace.open_requests",
        group="help",
        label=gettext_lazy("Hulpvragen in de buurt"),
        url_name="marketplace",
        fragment="hulpvragen",
        action="request.respond",
        order=10,
        suggest=True,
    ),
    Item(
        key="marketplace.offer",
        group="help",
        label=gettext_lazy("Hulp aanbieden"),
        url_name="offer-create",
        action="offer.create",
        order=20,
        suggest=True,
    ),
    Item(
        key="marketplace.my_offers",
        group="help",
        label=gettext_lazy("Hulp die ik aanbied"),
        url_name="my-marketplace",
        fragment="mijn-aanbod",
        action="offer.create",
        order=30,
    ),
    Item(
        key="marketplace.my_feedback",
        group="help",
        label=gettext_lazy("Terugkoppeling op mijn hulp"),
        url_name="my-feedback",
        action="request.respond",
        order=40,
    ),
    Item(
        key="marketplace.services",
        group="appointments",
        label=gettext_lazy("Mijn afspraken"),
        url_name="service-list",
        action="marketplace.view",
        suggest=True,
    ),
    Item(
        key="marketplace.settings",
        group="mine",
        label=gettext_lazy("Berichten en agenda"),
        url_name="member-settings",
        action="self.view",
        order=20,
    ),
    Item(
        key="marketplace.board",
        group="coordinate",
        label=gettext_lazy("Hulpvragen per buurt"),
        url_name="coordinator-board",
        action="marketplace.board",
        order=10,
    ),
    Item(
        key="marketplace.all_services",
        group="coordinate",
        label=gettext_lazy("Alle afspraken"),
        url_name="service-list",
        query="alle=1",
        action="service.coordinate",
        order=20,
    ),
)


def _day(value: Any) -> str:
    return formats.date_format(value, "l j F")


def _service_task(task: str, service: Service, member: Any) -> Attention:
    url = reverse("service-detail", args=[service.pk])
    title = service.request.title
    if task == "register":
        return Attention(
            kind="marketplace.register",
            text=_("U hielp %(name)s op %(day)s bij '%(title)s'. Hoeveel uur was het?")
            % {"name": service.requester.name, "day": _day(service.date), "title": title},
            url=url,
            link_label=_("Uren registreren"),
            when=service.date,
        )
    if task == "confirm":
        return Attention(
            kind="marketplace.confirm",
            text=_("%(name)s heeft %(hours)s uur geregistreerd voor '%(title)s'. Klopt dat?")
            % {
                "name": service.volunteer.name,
                "hours": formats.number_format(service.registered_hours or 0, 1),
                "title": title,
            },
            url=url,
            link_label=_("Uren bevestigen"),
            when=timezone.localdate(service.registered_at) if service.registered_at else None,
        )
    if task == "feedback":
        return Attention(
            kind="marketplace.feedback",
            text=_("Hoe ging '%(title)s' met %(name)s? Geef uw terugkoppeling.")
            % {"title": title, "name": service.volunteer.name},
            url=url,
            link_label=_("Terugkoppeling geven"),
            deadline=service.feedback_due,
        )
    other = service.requester if service.volunteer_id == member.pk else service.volunteer
    today = timezone.localdate()
    text = (
        _("Vandaag om %(time)s: '%(title)s' met %(name)s.")
        if service.date == today
        else _("Morgen om %(time)s: '%(title)s' met %(name)s.")
    )
    return Attention(
        kind="marketplace.soon",
        text=text
        % {"time": service.start_time.strftime("%H:%M"), "title": title, "name": other.name},
        url=url,
        link_label=_("Afspraak bekijken"),
        when=service.date,
    )


def _more(kind: str, url_name: str, label: str) -> Attention:
    return Attention(
        kind=kind,
        text=_("Er wacht nog meer op u."),
        url=reverse(url_name),
        link_label=label,
    )


def my_services(context: Context) -> Iterator[Attention]:
    """The member's own services: hours to register or confirm, feedback, appointments soon."""
    found = selectors.services_waiting(member=context.member)
    for task, service in found[: selectors.ATTENTION_LIMIT]:
        yield _service_task(task, service, context.member)
    if len(found) > selectors.ATTENTION_LIMIT:
        yield _more("marketplace.more", "service-list", _("Alle afspraken bekijken"))


def answers_to_choose(context: Context) -> Iterator[Attention]:
    """The member's requests with volunteers waiting for the member's choice."""
    found = selectors.requests_with_waiting_answers(member=context.member)
    for request in found[: selectors.ATTENTION_LIMIT]:
        waiting = getattr(request, "waiting", 0)
        yield Attention(
            kind="marketplace.answers",
            text=ngettext(
                "%(n)s vrijwilliger wil helpen bij '%(title)s'. Kies wie u helpt.",
                "%(n)s vrijwilligers willen helpen bij '%(title)s'. Kies wie u helpt.",
                waiting,
            )
            % {"n": waiting, "title": request.title},
            url=reverse("request-detail", args=[request.pk]),
            link_label=_("Vrijwilliger kiezen"),
            when=timezone.localdate(request.created_at),
        )
    if len(found) > selectors.ATTENTION_LIMIT:
        yield _more("marketplace.more_answers", "my-marketplace", _("Mijn hulpvragen bekijken"))


def _queue_link(count: int, last: int | None, url_name: str) -> str:
    # The only one: straight to it; more: to the board that lists them.
    if count == 1 and last is not None:
        return reverse(url_name, args=[last])
    return reverse("coordinator-board")


def coordination(context: Context) -> Iterator[Attention]:
    """The queue of coordinators and neighbourhood assistants (their buurten)."""
    queue = selectors.coordination_queue(viewer=context.member)
    if queue["unmatched"]:
        text = ngettext(
            "%(n)s hulpvraag wacht op een vrijwilliger.",
            "%(n)s hulpvragen wachten op een vrijwilliger.",
            queue["unmatched"],
        ) % {"n": queue["unmatched"]}
        if queue["unmatched_days"]:
            days = queue["unmatched_days"]
            text += " " + ngettext(
                "De oudste wacht al %(days)s dag.", "De oudste wacht al %(days)s dagen.", days
            ) % {"days": days}
        yield Attention(
            kind="marketplace.unmatched",
            text=text,
            url=_queue_link(queue["unmatched"], queue["unmatched_last"], "request-detail"),
            link_label=_("Een vrijwilliger zoeken"),
        )
    if queue["confirm"]:
        yield Attention(
            kind="marketplace.queue_confirm",
            text=ngettext(
                "Bij %(n)s dienst wachten de uren op bevestiging van de hulpvrager.",
                "Bij %(n)s diensten wachten de uren op bevestiging van de hulpvrager.",
                queue["confirm"],
            )
            % {"n": queue["confirm"]},
            url=_queue_link(queue["confirm"], queue["confirm_last"], "service-detail"),
            link_label=_("Uren laten bevestigen"),
        )
    if queue["overdue"]:
        yield Attention(
            kind="marketplace.queue_feedback",
            text=ngettext(
                "Bij %(n)s dienst is de terugkoppeling te laat.",
                "Bij %(n)s diensten is de terugkoppeling te laat.",
                queue["overdue"],
            )
            % {"n": queue["overdue"]},
            url=_queue_link(queue["overdue"], queue["overdue_last"], "service-detail"),
            link_label=_("Terugkoppeling nagaan"),
        )


def register() -> None:
    item_register(*ITEMS)
    attention_register(
        key="marketplace.services", provider=my_services, action="marketplace.view", order=10
    )
    attention_register(
        key="marketplace.answers", provider=answers_to_choose, action="marketplace.view", order=20
    )
    attention_register(
        key="marketplace.queue", provider=coordination, action="service.coordinate", order=60
    )
