"""Survey pages. Members answer the surveys open for them; the board makes, opens and closes
surveys and reads their results (groups of at least five answers, never who answered what);
the coordinator prints the paper form and enters the answers given on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.members.models import Member
from cooperatives.surveys import selectors, services
from cooperatives.surveys.forms import (
    AnswerForm,
    OpenForm,
    PositiveHealthForm,
    QuestionForm,
    SurveyForm,
)
from cooperatives.surveys.models import MIN_GROUP, Question, Survey
from cooperatives.surveys.pdf import survey_form_pdf
from cooperatives.surveys.positive_health import DIMENSIONS
from shared import permissions
from shared.views import cooperative_view, form_add_errors, found_or_404

# --- members ------------------------------------------------------------------------------------


@cooperative_view("survey.answer")
def survey_list(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "surveys/list.html",
        {"surveys": list(selectors.surveys_for_member(member=member))},
    )


@cooperative_view("survey.answer", methods=("GET", "POST"))
def survey_answer(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    survey = found_or_404(selectors.survey_for_member(member=member, pk=pk))
    questions = selectors.survey_questions(survey=survey)
    answered = selectors.survey_answered_by(survey=survey, member=member)
    open_now = survey.answerable(timezone.localdate())
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and not answered and open_now and form.is_valid():
        try:
            services.survey_answer(member=member, survey=survey, answers=form.answers())
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Dank u wel. Uw antwoorden zijn anoniem opgeslagen."))
            return redirect("survey-answer", pk=survey.pk)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "form": form,
            "answered": answered,
            "open_now": open_now,
            "min_group": MIN_GROUP,
        },
        status=400 if form.errors else 200,
    )


# --- the board ----------------------------------------------------------------------------------


@cooperative_view("survey.manage")
def survey_manage_list(request: HttpRequest, member: Member) -> HttpResponse:
    return render(
        request,
        "surveys/manage_list.html",
        {"surveys": list(selectors.surveys_all()), "today": timezone.localdate()},
    )


@cooperative_view("survey.manage", methods=("GET", "POST"))
def survey_create(request: HttpRequest, member: Member) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=member, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("De peiling is aangemaakt. Voeg nu de vragen toe."))
            return redirect("survey-manage", pk=survey.pk)
    return render(
        request, "surveys/create.html", {"form": form}, status=400 if form.errors else 200
    )


@cooperative_view("survey.manage", methods=("GET", "POST"))
def survey_positive_health_create(request: HttpRequest, member: Member) -> HttpResponse:
    """A new round of Positieve Gezondheid: six fixed questions, opened on the manage page."""
    form = PositiveHealthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_positive_health_create(actor=member, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("De ronde is klaargezet. Open haar om de leden te vragen."))
            return redirect("survey-manage", pk=survey.pk)
    return render(
        request,
        "surveys/positive_health_create.html",
        {"form": form, "dimensions": DIMENSIONS, "min_group": MIN_GROUP},
        status=400 if form.errors else 200,
    )


def _manage_context(survey: Survey, member: Member, **forms: Any) -> dict[str, Any]:
    return {
        "survey": survey,
        "questions": selectors.survey_questions(survey=survey),
        "answers": selectors.survey_answer_count(survey=survey),
        "asked": selectors.survey_asked(survey=survey).count(),
        "today": timezone.localdate(),
        "question_form": forms.get("question_form") or QuestionForm(),
        "open_form": forms.get("open_form") or OpenForm(initial={"closes_on": survey.closes_on}),
        "close_error": forms.get("close_error"),
        "can_paper": permissions.can(member, "survey.paper"),
        "can_results": permissions.can(member, "survey.results"),
    }


def _step(request: HttpRequest, survey: Survey, member: Member) -> HttpResponse | dict[str, Any]:
    """One POST on the manage page: add or remove a question, open or close the survey. A
    redirect when done; else the forms with their errors."""
    step = request.POST.get("step")
    try:
        if step == "question":
            question_form = QuestionForm(request.POST)
            if not question_form.is_valid():
                return {"question_form": question_form}
            try:
                services.survey_question_add(
                    actor=member,
                    survey=survey,
                    kind=question_form.cleaned_data["kind"],
                    text=question_form.cleaned_data["text"],
                    options=question_form.option_list(),
                    required=question_form.cleaned_data["required"],
                )
            except ValidationError as error:
                form_add_errors(question_form, error)
                return {"question_form": question_form}
            messages.success(request, _("De vraag is toegevoegd."))
        elif step == "remove":
            question = found_or_404(
                Question.objects.filter(survey=survey, pk=request.POST.get("question") or 0).first()
                if (request.POST.get("question") or "").isdigit()
                else None
            )
            services.survey_question_remove(actor=member, question=question)
            messages.success(request, _("De vraag is weggehaald."))
        elif step == "open":
            open_form = OpenForm(request.POST)
            if not open_form.is_valid():
                return {"open_form": open_form}
            try:
                services.survey_open(
                    actor=member, survey=survey, closes_on=open_form.cleaned_data["closes_on"]
                )
            except ValidationError as error:
                form_add_errors(open_form, error)
                return {"open_form": open_form}
            messages.success(
                request, _("De peiling is open. De leden krijgen een e-mail met de link.")
            )
        elif step == "close":
            services.survey_close(actor=member, survey=survey)
            messages.success(request, _("De peiling is gesloten."))
    except ValidationError as error:
        return {"close_error": error.messages}
    return redirect("survey-manage", pk=survey.pk)


@cooperative_view("survey.manage", methods=("GET", "POST"))
def survey_manage(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    survey = found_or_404(selectors.survey_get(pk=pk))
    forms: dict[str, Any] = {}
    if request.method == "POST":
        outcome = _step(request, survey, member)
        if isinstance(outcome, HttpResponse):
            return outcome
        forms = outcome
        survey = found_or_404(selectors.survey_get(pk=pk))
    return render(
        request,
        "surveys/manage.html",
        _manage_context(survey, member, **forms),
        status=400 if forms else 200,
    )


@cooperative_view("survey.results")
def survey_results(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    survey = found_or_404(selectors.survey_get(pk=pk))
    return render(
        request,
        "surveys/results.html",
        {
            "results": selectors.survey_results(survey=survey),
            "survey": survey,
            "min_group": MIN_GROUP,
        },
    )


# --- the coordinator: on paper ------------------------------------------------------------------


@cooperative_view("survey.paper")
def survey_paper_list(request: HttpRequest, member: Member) -> HttpResponse:
    return render(request, "surveys/paper_list.html", {"surveys": list(selectors.surveys_open())})


@cooperative_view("survey.paper")
def survey_pdf(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    survey = found_or_404(selectors.survey_get(pk=pk))
    if survey.status == Survey.Status.DRAFT and not permissions.can(member, "survey.manage"):
        return found_or_404(None)
    response = HttpResponse(
        survey_form_pdf(survey=survey, questions=selectors.survey_questions(survey=survey)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="peiling-{survey.pk}.pdf"'
    return response


@cooperative_view("survey.paper", methods=("GET", "POST"))
def survey_paper(request: HttpRequest, pk: int, member: Member) -> HttpResponse:
    survey = found_or_404(selectors.survey_get(pk=pk))
    if survey.status == Survey.Status.DRAFT:
        return found_or_404(None)
    questions = selectors.survey_questions(survey=survey)
    members = selectors.survey_not_answered(survey=survey)
    form = AnswerForm(request.POST or None, questions=questions, members=members)
    open_now = survey.answerable(timezone.localdate())
    if request.method == "POST" and open_now and form.is_valid():
        chosen = form.cleaned_data.get("member")
        try:
            if chosen is None:
                raise ValidationError(
                    {
                        "member": ValidationError(
                            _("Kies het lid van dit formulier."), code="required"
                        )
                    }
                )
            services.survey_answer_paper(
                actor=member, member=chosen, survey=survey, answers=form.answers()
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                _("De antwoorden van %(name)s zijn opgeslagen (anoniem).") % {"name": chosen.name},
            )
            return redirect("survey-paper", pk=survey.pk)
    return render(
        request,
        "surveys/paper.html",
        {
            "survey": survey,
            "form": form,
            "open_now": open_now,
            # Who gets no email and still has to answer: the ones to bring a paper form.
            "without_email": list(members.filter(email="").select_related("neighbourhood")),
        },
        status=400 if form.errors else 200,
    )
