"""The surveys in the menu and on the home page: for members under "Meebeslissen" (always
there, so the menu does not change under older members' hands and costs no query on every
page; the home page says when a survey waits for their answer); for the board to make them
and read the results; for the coordinator to enter answers given on paper. Registered by
``SurveysConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.surveys import selectors
from cooperatives.surveys.models import Survey
from shared.navigation import Attention, Context, Item, attention_register, item_register


def _for_member(context: Context) -> list[Survey]:
    return context.memo(
        "surveys.for_member", lambda: list(selectors.surveys_for_member(member=context.member))
    )


ITEMS = (
    Item(
        key="surveys.answer",
        group="govern",
        label=gettext_lazy("Peilingen"),
        url_name="survey-list",
        action="survey.answer",
        order=40,
    ),
    Item(
        key="surveys.manage",
        group="board",
        label=gettext_lazy("Peilingen"),
        url_name="survey-manage-list",
        action="survey.manage",
        order=40,
    ),
    Item(
        key="surveys.paper",
        group="coordinate",
        label=gettext_lazy("Peilingen op papier"),
        url_name="survey-paper-list",
        action="survey.paper",
        order=40,
    ),
)


def surveys_to_answer(context: Context) -> Iterable[Attention]:
    """A survey the member has not answered yet, with the link to answer it."""
    for survey in _for_member(context):
        if getattr(survey, "answered", False):
            continue
        yield Attention(
            kind="survey.answer",
            text=_("De coöperatie vraagt uw mening: %(title)s.") % {"title": survey.title},
            url=reverse("survey-answer", args=[survey.pk]),
            link_label=_("Beantwoord de vragen"),
            deadline=survey.closes_on,
        )


def surveys_to_close(context: Context) -> Iterable[Attention]:
    """An open survey past its last day: the board closes it to see the results."""
    for survey in context.memo("surveys.overdue", lambda: list(selectors.surveys_overdue())):
        yield Attention(
            kind="survey.close",
            text=_("De peiling %(title)s is voorbij: sluit haar om de uitslag te zien.")
            % {"title": survey.title},
            url=reverse("survey-manage", args=[survey.pk]),
            link_label=_("Peiling sluiten"),
        )


def register() -> None:
    item_register(*ITEMS)
    attention_register(key="surveys.answer", provider=surveys_to_answer, action="survey.answer")
    attention_register(key="surveys.close", provider=surveys_to_close, action="survey.manage")
