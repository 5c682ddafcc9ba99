"""The marketplace's background notices as email text: each is a template
``marketplace/email/<kind>.txt`` whose first line is the subject, written in the cooperative's
language. Composing only renders; ``services`` sends and records what was sent."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member

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


def notice_compose(
    kind: str, *, cooperative_name: str, member: Member, **context: object
) -> tuple[str, str]:
    """(subject, body) of the notice ``kind`` to ``member``."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            f"marketplace/email/{kind}.txt",
            {"cooperative": cooperative_name, "member": member, **context},
        )
    subject, _newline, body = text.strip().partition("\n")
    return subject.strip(), re.sub(r"\n{3,}", "\n\n", body.strip()) + "\n"
