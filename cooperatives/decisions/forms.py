"""Forms of the decisions register: a decision entered by hand, a correction, minutes; and the
part other pages reuse to name the decision that adopts a change (pick one from the register,
or record it right there)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.decisions.selectors import decisions_open_for
from cooperatives.governance.models import Body, Decision, Minutes
from cooperatives.governance.selectors import bodies_list
from shared.forms import DATE_FORMAT, DateField

VOTES_UNANIMOUS = "unanimous"
VOTES_COUNTED = "counted"
VOTE_CHOICES = [
    (VOTES_UNANIMOUS, _("unaniem / bij acclamatie")),
    (VOTES_COUNTED, _("met stemmen geteld")),
]


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.number} ({obj.decided_on.strftime(DATE_FORMAT)}): {obj.title}"


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def decision_choice(
    *, subject: str, effect_kind: str, required: bool = False
) -> DecisionChoiceField:
    """A select of the adopted decisions that may still adopt this change."""
    return DecisionChoiceField(
        queryset=decisions_open_for(subject=subject, effect_kind=effect_kind),
        required=required,
        label=_("Besluit uit de besluitenlijst"),
        empty_label=_("– kies een besluit –"),
    )


class AdoptingDecisionMixin(forms.Form):
    """The decision that adopts a change: an existing one from the register (``decision``), or
    a new one recorded here (date, and votes or unanimous). ``subject`` is the statutes'
    subject ("rules"...), ``effect_kind`` what the change is ("rulebook"...)."""

    decision_subject = "rules"
    decision_effect_kind = "rulebook"

    decision = DecisionChoiceField(queryset=Decision.objects.none(), required=False)
    decided_on = DateField(
        label=_("Of: datum van het besluit"),
        required=False,
        help_text=_("Leg het besluit hier vast als het nog niet in de besluitenlijst staat."),
    )
    votes = forms.ChoiceField(
        label=_("Stemming"),
        choices=VOTE_CHOICES,
        initial=VOTES_UNANIMOUS,
        required=False,
        widget=forms.RadioSelect,
    )
    votes_for = _count(_("Stemmen voor"))
    votes_against = _count(_("Stemmen tegen"))
    votes_abstain = _count(_("Onthoudingen"))

    ADOPTING_FIELDS = (
        "decision",
        "decided_on",
        "votes",
        "votes_for",
        "votes_against",
        "votes_abstain",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, DecisionChoiceField)
        field.queryset = decisions_open_for(
            subject=self.decision_subject, effect_kind=self.decision_effect_kind
        )
        field.label = _("Besluit uit de besluitenlijst")
        field.empty_label = _("– nieuw besluit, hieronder vastleggen –")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("decision") is None
            and data.get("decided_on") is None
            and "decided_on" not in self.errors
        ):
            self.add_error(
                "decision",
                forms.ValidationError(
                    _(
                        "Deze wijziging gaat pas in met een besluit. Kies het besluit uit "
                        "de besluitenlijst, of vul hieronder de datum van het besluit in."
                    ),
                    code="decision_required",
                ),
            )
        if (
            data.get("decision") is None
            and data.get("votes") == VOTES_COUNTED
            and (data.get("votes_for") is None or data.get("votes_against") is None)
        ):
            self.add_error(
                "votes_for",
                forms.ValidationError(
                    _("Vul het aantal stemmen voor en tegen in."), code="counts_incomplete"
                ),
            )
        return data

    def adopting(self) -> dict[str, Any]:
        """For cooperatives.decisions.services.decision_adopting: the chosen decision, or
        what the new one needs."""
        data = self.cleaned_data
        counted = data.get("votes") == VOTES_COUNTED
        return {
            "decision": data.get("decision"),
            "decided_on": data.get("decided_on"),
            "votes_for": data.get("votes_for") if counted else None,
            "votes_against": data.get("votes_against") if counted else None,
            "votes_abstain": data.get("votes_abstain") if counted else None,
        }


def _minutes_label(minutes: Minutes) -> str:
    return f"{minutes.body.name}, {minutes.held_on.strftime(DATE_FORMAT)}"


class DecisionForm(forms.Form):
    """A decision entered by hand (a board decision outside a meeting, or one of a meeting
    held on paper)."""

    body = forms.ModelChoiceField(
        queryset=Body.objects.none(), label=_("Orgaan"), empty_label=_("– kies het orgaan –")
    )
    decided_on = DateField(label=_("Datum van het besluit"))
    kind = forms.ChoiceField(label=_("Soort besluit"), choices=Decision.Kind.choices)
    title = forms.CharField(label=_("Onderwerp"), max_length=200)
    text = forms.CharField(
        label=_("Besluit"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat er besloten is, in de woorden van de vergadering."),
    )
    votes = forms.ChoiceField(
        label=_("Stemming"),
        choices=VOTE_CHOICES,
        initial=VOTES_UNANIMOUS,
        widget=forms.RadioSelect,
    )
    votes_for = _count(_("Stemmen voor"))
    votes_against = _count(_("Stemmen tegen"))
    votes_abstain = _count(_("Onthoudingen"))
    outcome = forms.ChoiceField(
        label=_("Uitkomst (als er niet geteld is)"),
        choices=Decision.Outcome.choices,
        initial=Decision.Outcome.ADOPTED,
        required=False,
        widget=forms.RadioSelect,
    )
    minutes = forms.ModelChoiceField(
        queryset=Minutes.objects.none(),
        required=False,
        label=_("Staat in de notulen van"),
        empty_label=_("– geen notulen –"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = bodies_list()
        minutes = self.fields["minutes"]
        assert isinstance(minutes, forms.ModelChoiceField)
        minutes.queryset = Minutes.objects.select_related("body").exclude(
            status=Minutes.Status.APPROVED
        )
        minutes.label_from_instance = _minutes_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("votes") == VOTES_COUNTED and (
            data.get("votes_for") is None or data.get("votes_against") is None
        ):
            self.add_error(
                "votes_for",
                forms.ValidationError(
                    _("Vul het aantal stemmen voor en tegen in."), code="counts_incomplete"
                ),
            )
        return data

    def record_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        counted = data["votes"] == VOTES_COUNTED
        return {
            "body": data["body"],
            "decided_on": data["decided_on"],
            "kind": data["kind"],
            "title": data["title"],
            "text": data["text"],
            "votes_for": data.get("votes_for") if counted else None,
            "votes_against": data.get("votes_against") if counted else None,
            "votes_abstain": data.get("votes_abstain") if counted else None,
            "outcome": None if counted else (data.get("outcome") or None),
            "minutes": data.get("minutes"),
        }


class MinutesForm(forms.Form):
    body = forms.ModelChoiceField(
        queryset=Body.objects.none(), label=_("Orgaan"), empty_label=_("– kies het orgaan –")
    )
    held_on = DateField(label=_("Datum van de vergadering"))
    text = forms.CharField(
        label=_("Notulen"), required=False, widget=forms.Textarea(attrs={"rows": 14})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = bodies_list()


class MinutesApproveForm(AdoptingDecisionMixin):
    """Approving minutes: through an adopted decision of kind "minutes", picked from the
    register or recorded here (the meeting that approves them)."""

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, DecisionChoiceField)
        field.queryset = candidates
        self.fields["decided_on"].label = _("Of: datum van de vergadering die ze vaststelt")
