"""The marketplace's background notices as email text: each is a template
``marketplace/email/<kind>.txt`` whose first line is the subject. Composing only renders (in
the language ``shared.mail`` set for the recipient); ``services`` sends through
``shared.mail`` (which adds the link to the page where the notice's action is done, the
cooperative's name and where to reply) and records what was sent."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member
from shared.mail import Mail

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What a coordinator reads next to the name of a member without email, per kind of notice.
PHONE_REASONS: dict[str, StrOrPromise] = {
    "service_reminder_requester": _("herinnering: morgen komt er een vrijwilliger"),
    "service_reminder_volunteer": _("herinnering: morgen helpt dit lid iemand"),
    "feedback_reminder": _("vragen om terugkoppeling"),
    "request_reminder": _("hulpvraag nog zonder vrijwilliger"),
    "request_expired": _("hulpvraag gesloten zonder vrijwilliger"),
    "offer_renewal": _("aanbod verloopt binnenkort: verlengen?"),
    "offer_expired": _("aanbod verlopen"),
}

# What the member does at the link each notice ends with.
LINK_LABELS: dict[str, StrOrPromise] = {
    "digest": _("Alle open hulpvragen op de markt"),
    "service_reminder_requester": _("Bekijk, verzet of annuleer de afspraak"),
    "service_reminder_volunteer": _("Bekijk de afspraak; na afloop registreert u daar de uren"),
    "feedback_reminder": _("Geef uw terugkoppeling"),
    "request_reminder": _("Bekijk uw hulpvraag, kies een vrijwilliger of trek hem in"),
    "request_expired": _("Stel een nieuwe hulpvraag"),
    "offer_renewal": _("Verleng uw aanbod"),
    "offer_expired": _("Zet uw aanbod weer aan"),
    "coordinator_summary": _("Naar het coördinatorenbord"),
}


def notice_compose(
    kind: str, *, cooperative_name: str, member: Member, link: str, **context: object
) -> Mail:
    """The notice ``kind`` to ``member``, in the language that is active now."""
    text = render_to_string(
        f"marketplace/email/{kind}.txt",
        {"cooperative": cooperative_name, "member": member, **context},
    )
    subject, _newline, body = text.strip().partition("\n")
    return Mail(
        subject=subject.strip(),
        body=re.sub(r"\n{3,}", "\n\n", body.strip()) + "\n",
        link=link,
        link_label=str(LINK_LABELS[kind]),
    )
