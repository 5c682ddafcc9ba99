"""The meetings' emails: the convocation and the reminder, composed in the recipient's
language (shared.mail sets it), each linking to the meeting's page, where the agenda, the
documents, the draft minutes of the previous meeting, the RSVP, the proxy and the vote are."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cooperatives.meetings.models import Meeting
from shared.mail import Mail


def when_where(meeting: Meeting) -> str:
    starts = timezone.localtime(meeting.starts_at)
    text = _("Datum: %(day)s om %(time)s uur") % {
        "day": starts.strftime("%d-%m-%Y"),
        "time": formats.time_format(starts.time(), "H:i"),
    }
    if meeting.place:
        text += "\n" + _("Plaats: %(place)s") % {"place": meeting.place}
    if meeting.online_link:
        text += "\n" + _("Online meedoen: %(link)s") % {"link": meeting.online_link}
    return text


def agenda_titles(meeting: Meeting) -> list[str]:
    """Read before the mail is composed (after the commit, maybe outside the schema)."""
    return list(meeting.items.order_by("order", "id").values_list("title", flat=True))


def convocation_compose(meeting: Meeting, *, link: str, agenda: list[str]) -> Mail:
    parts = [
        _("U bent uitgenodigd voor de vergadering “%(title)s” van %(body)s.")
        % {"title": meeting.title, "body": meeting.body.name},
        when_where(meeting),
        _("Agenda:") + "\n" + "\n".join(f"{n}. {t}" for n, t in enumerate(agenda, 1)),
    ]
    if meeting.previous_minutes_id:
        parts.append(
            _(
                "De conceptnotulen van de vorige vergadering staan op de pagina van de "
                "vergadering; ze worden op deze vergadering vastgesteld."
            )
        )
    parts.append(
        _(
            "Op de pagina van de vergadering leest u de stukken, laat u weten of u komt en kunt "
            "u iemand machtigen om voor u te stemmen."
        )
    )
    return Mail(
        subject=_("Uitnodiging: %(title)s") % {"title": meeting.title},
        body="\n\n".join(parts),
        link=link,
        link_label=_("Agenda, stukken en laten weten of u komt"),
    )


def reminder_compose(meeting: Meeting, *, link: str) -> Mail:
    return Mail(
        subject=_("Herinnering: %(title)s") % {"title": meeting.title},
        body=_("Binnenkort is de vergadering “%(title)s”.") % {"title": meeting.title}
        + "\n\n"
        + when_where(meeting),
        link=link,
        link_label=_("Agenda, stukken en laten weten of u komt"),
    )
