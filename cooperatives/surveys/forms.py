"""What the survey pages take: the board's new survey and its questions, opening it, and the
answers (a member's own, or those the coordinator enters from a paper form).

The answer form asks nothing itself: every field is optional here and the survey service says
in Dutch what is missing or wrong, so the page and the API refuse alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member
from cooperatives.setup.models import Cluster, Neighbourhood
from cooperatives.surveys.models import Question
from shared.forms import DateField

SCALE_CHOICES = [
    ("1", _("1 – helemaal niet")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 – heel erg")),
]
SCORE_CHOICES = [
    ("0", _("0 – heel slecht")),
    *((str(n), str(n)) for n in range(1, 10)),
    ("10", _("10 – heel goed")),
]


class SurveyForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=150,
        required=False,
        help_text=_("Bijvoorbeeld: Hebben we een klussendienst nodig?"),
    )
    intro = forms.CharField(
        label=_("Inleiding"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Waarom vraagt het bestuur dit? Dit staat boven de vragen en in de e-mail."),
    )
    closes_on = DateField(
        label=_("Laatste dag om te antwoorden"),
        required=False,
        help_text=_("Bijvoorbeeld 31-01-2027. U kunt dit ook invullen als u de peiling opent."),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Alleen voor de leden van een buurt"),
        queryset=Neighbourhood.objects.order_by("name"),
        required=False,
        empty_label=_("Alle leden"),
    )
    cluster = forms.ModelChoiceField(
        label=_("Over welk soort hulp gaat het?"),
        queryset=Cluster.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Geen bepaald cluster"),
    )


class PositiveHealthForm(forms.Form):
    """A new round of Positieve Gezondheid: its six questions are fixed."""

    closes_on = DateField(
        label=_("Laatste dag om te antwoorden"),
        required=False,
        help_text=_("Bijvoorbeeld 31-01-2027. U kunt dit ook invullen als u de ronde opent."),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort vraag"), choices=Question.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Vraag"), max_length=300, required=False)
    options = forms.CharField(
        label=_("Opties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Alleen bij een keuzevraag: één optie per regel, ten minste twee."),
    )
    required = forms.BooleanField(
        label=_("Verplicht te beantwoorden"), required=False, initial=True
    )

    def option_list(self) -> list[str]:
        return [line for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]


class OpenForm(forms.Form):
    closes_on = DateField(
        label=_("Laatste dag om te antwoorden"),
        required=False,
        help_text=_("Bijvoorbeeld 31-01-2027."),
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        # Names repeat in a cooperative: the buurt tells them apart.
        return f"{obj.name} ({obj.neighbourhood.name})" if obj.neighbourhood else obj.name


class AnswerForm(forms.Form):
    """One field per question, named after the question (``question_<id>``)."""

    def __init__(
        self, *args: Any, questions: list[Question], members: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        if members is not None:
            self.fields["member"] = MemberChoiceField(
                label=_("Van welk lid is dit formulier?"),
                queryset=members.select_related("neighbourhood"),
                required=False,
                empty_label=_("Kies het lid"),
                help_text=_("Alleen leden die de peiling nog niet hebben beantwoord."),
            )
        for number, question in enumerate(questions, start=1):
            label = f"{number}. {question.text}"
            help_text: Any = "" if question.required else _("Niet verplicht.")
            field: forms.Field
            if question.kind == Question.Kind.OPEN:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
            elif question.kind == Question.Kind.SCALE:
                field = forms.ChoiceField(choices=SCALE_CHOICES, widget=forms.RadioSelect)
            elif question.kind == Question.Kind.SCORE:
                field = forms.ChoiceField(choices=SCORE_CHOICES, widget=forms.RadioSelect)
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(str(i), o) for i, o in enumerate(question.options)],
                    widget=forms.CheckboxSelectMultiple,
                )
                help_text = " ".join(str(t) for t in (_("Kies er één of meer."), help_text) if t)
            else:
                field = forms.ChoiceField(
                    choices=[(str(i), o) for i, o in enumerate(question.options)],
                    widget=forms.RadioSelect,
                )
            field.label = label
            field.required = False
            field.help_text = help_text
            self.fields[question.field_name] = field

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[q.field_name] for q in self.questions]

    def answers(self) -> dict[str, Any]:
        return {q.field_name: self.cleaned_data.get(q.field_name) for q in self.questions}
