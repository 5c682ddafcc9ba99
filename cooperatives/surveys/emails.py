"""The mail that asks members to answer a survey: it links to the survey's answer page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cooperatives.surveys.models import Survey
from shared.mail import Mail, cooperative_link


def survey_invitation(*, survey: Survey) -> Mail:
    closes = survey.closes_on.strftime("%d-%m-%Y") if survey.closes_on else ""
    body = [
        _("De coöperatie wil graag weten wat u vindt. Wilt u een paar korte vragen beantwoorden?"),
        survey.title,
    ]
    if survey.intro:
        body.append(survey.intro)
    body.append(
        _(
            "U kunt antwoorden tot en met %(date)s. Uw antwoorden zijn anoniem: het bestuur ziet "
            "nooit wie wat heeft geantwoord."
        )
        % {"date": closes}
    )
    return Mail(
        subject=_("Peiling: %(title)s") % {"title": survey.title},
        body="\n\n".join(body),
        link=cooperative_link(reverse("survey-answer", args=[survey.pk])),
        link_label=_("Beantwoord de vragen"),
    )
