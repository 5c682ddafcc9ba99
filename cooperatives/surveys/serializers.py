"""What the survey API takes and gives. Shapes only: the survey service checks the values and
answers with its own Dutch messages (an answer's error names its question: ``question_<id>``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cooperatives.setup.models import Cluster, Neighbourhood
from cooperatives.surveys.models import Question, Survey
from shared.api.fields import StrictIntegerField, StrictPrimaryKeyRelatedField

# --- reading -------------------------------------------------------------------------------------


# "kind" and "status" are plain strings in the schema: other components have fields of those
# names with other values, and enums of one field name clash there.
KIND_HELP = (
    "single (één keuze), multiple (meer keuzes), scale (1 tot 5), score (cijfer van 0 tot 10) "
    "of open"
)


class QuestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    dimension = serializers.CharField(
        read_only=True, help_text="Bij Positieve Gezondheid: de dimensie van de vraag"
    )

    class Meta:
        model = Question
        fields = ["id", "position", "kind", "text", "options", "required", "dimension"]
        read_only_fields = fields


class SurveySerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="draft, open of closed")
    kind = serializers.CharField(
        read_only=True, help_text="needs (peiling) of positive_health (Positieve Gezondheid)"
    )
    questions = QuestionSerializer(many=True, read_only=True)
    answered = serializers.SerializerMethodField(help_text="U heeft deze peiling beantwoord")

    class Meta:
        model = Survey
        fields = [
            "id",
            "kind",
            "title",
            "intro",
            "status",
            "opens_on",
            "closes_on",
            "neighbourhood",
            "cluster",
            "questions",
            "answered",
        ]
        read_only_fields = fields

    def get_answered(self, survey: Survey) -> bool | None:
        answered = getattr(survey, "answered", None)
        if answered is None:
            answered_ids = self.context.get("answered_ids")
            return None if answered_ids is None else survey.pk in answered_ids
        return bool(answered)


class OptionCountSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    count = StrictIntegerField()
    percent = StrictIntegerField()


class GroupSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="De buurt")
    answered = StrictIntegerField()
    options = OptionCountSerializer(many=True)
    average = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)


class QuestionResultSerializer(serializers.Serializer):
    question = QuestionSerializer()
    answered = StrictIntegerField(help_text="Aantal antwoorden (0 als niet getoond)")
    shown = serializers.BooleanField(help_text="Getoond: ten minste 5 antwoorden")
    options = OptionCountSerializer(many=True)
    average = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    texts = serializers.ListField(
        child=serializers.CharField(), help_text="Open antwoorden, zonder namen, willekeurig"
    )
    groups = GroupSerializer(many=True, help_text="Per buurt, alleen buurten met ≥ 5 antwoorden")
    answers_hidden = StrictIntegerField(
        help_text="Antwoorden die niet per buurt getoond worden (wel in het totaal)"
    )


class SurveyResultsSerializer(serializers.Serializer):
    survey = SurveySerializer()
    responses = StrictIntegerField()
    closed = serializers.BooleanField()
    shown = serializers.BooleanField(help_text="Gesloten en ten minste 5 antwoorden")
    by_buurt = serializers.BooleanField()
    min_group = StrictIntegerField()
    questions = QuestionResultSerializer(many=True)


# --- writing -------------------------------------------------------------------------------------


class SurveyCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=150, allow_blank=True)
    intro = serializers.CharField(required=False, allow_blank=True, default="")
    closes_on = serializers.DateField(required=False, allow_null=True, default=None)
    neighbourhood = StrictPrimaryKeyRelatedField(
        queryset=Neighbourhood.objects.all(), required=False, allow_null=True, default=None
    )
    cluster = StrictPrimaryKeyRelatedField(
        queryset=Cluster.objects.all(), required=False, allow_null=True, default=None
    )


class QuestionCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=KIND_HELP)
    text = serializers.CharField(max_length=300, allow_blank=True)
    options = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, default=list, max_length=20
    )
    # "required" shadows Field.required in the stubs; DRF reads declared fields.
    required = serializers.BooleanField(required=False, default=True)  # type: ignore[assignment]


class SurveyOpenSerializer(serializers.Serializer):
    closes_on = serializers.DateField(required=False, allow_null=True, default=None)


class AnswerItemSerializer(serializers.Serializer):
    question = StrictIntegerField(help_text="Het id van de vraag")
    choices = serializers.ListField(
        child=StrictIntegerField(min_value=0),
        required=False,
        default=list,
        help_text="Keuzevraag: de plaats(en) van de gekozen opties, vanaf 0",
    )
    scale = StrictIntegerField(required=False, allow_null=True, default=None)
    text = serializers.CharField(required=False, allow_blank=True, default="")


class AnswersSerializer(serializers.Serializer):
    answers = AnswerItemSerializer(many=True)

    def mapping(self, questions: list[Question]) -> dict[str, Any]:
        """The answers as the survey service takes them, keyed by the question's field name."""
        kinds = {q.pk: q.kind for q in questions}
        given: dict[str, Any] = {}
        for item in self.validated_data["answers"]:
            kind = kinds.get(item["question"])
            key = f"question_{item['question']}"
            if kind in (Question.Kind.SCALE, Question.Kind.SCORE):
                # A score (0 to 10) is given in the same field as a scale.
                given[key] = item["scale"]
            elif kind == Question.Kind.OPEN:
                given[key] = item["text"]
            elif kind == Question.Kind.SINGLE:
                given[key] = item["choices"][0] if len(item["choices"]) == 1 else item["choices"]
            else:
                given[key] = item["choices"]
        return given


class PaperAnswersSerializer(AnswersSerializer):
    member = StrictIntegerField(help_text="Het lid van het papieren formulier")
