"""Forms of the governance pages: a seat for a term, the end of a term, a project group and
the statutes' settings. They only collect the fields; the governance services check them, so
a page and the API give the same Dutch messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.governance.models import Body, Decision, Seat, Statutes
from cooperatives.governance.selectors import bodies_with_seats, decisions_list
from cooperatives.governance.services import STATUTES_FIELDS
from cooperatives.members.models import Member
from shared.forms import DateField

YES_NO = [("1", _("ja")), ("0", _("nee"))]
YES_NO_FIELDS = ("proxies_allowed", "electronic_participation", "electronic_voting")
NUMBER_FIELDS = (
    "convocation_days",
    "quorum_percent",
    "qualified_numerator",
    "qualified_denominator",
    "proxies_per_member",
)


class _DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.number} {obj.title}"


class SeatAssignForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Lid"),
        queryset=Member.objects.filter(status=Member.Status.ACTIVE).order_by("name"),
        empty_label=_("Kies een lid"),
    )
    body = forms.ModelChoiceField(
        label=_("Orgaan"), queryset=Body.objects.none(), empty_label=_("Kies een orgaan")
    )
    position = forms.ChoiceField(label=_("Functie"), choices=Seat.Position.choices)
    start = DateField(label=_("Begin van de termijn"))
    end = DateField(
        label=_("Einde van de termijn (niet verplicht)"),
        required=False,
        help_text=_(
            "De eerste dag zonder zetel, dag-maand-jaar. Leeg: de termijn loopt door tot u "
            "hem beëindigt."
        ),
    )
    decision = _DecisionChoice(
        label=_("Benoemd bij besluit (niet verplicht)"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("Geen besluit gekozen"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # The ALV has no seats: every member takes part in it.
        bodies = bodies_with_seats()
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["decision"].queryset = decisions_list().filter(  # type: ignore[attr-defined]
            outcome=Decision.Outcome.ADOPTED
        )


class SeatEndForm(forms.Form):
    end = DateField(
        label=_("Eerste dag zonder zetel"),
        help_text=_("Dag-maand-jaar. Vandaag: de rechten die bij de zetel horen stoppen meteen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"end": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ProjectGroupForm(forms.Form):
    name = forms.CharField(label=_("Naam van de projectgroep"), max_length=120, required=False)


class StatutesForm(forms.Form):
    """The statutes' settings, with the model's labels; yes/no questions as two large radio
    buttons. The statutes service checks the values (a plain form: no English constraint
    messages from the model)."""

    def __init__(self, *args: Any, statutes: Statutes, **kwargs: Any) -> None:
        initial = {name: getattr(statutes, name) for name in STATUTES_FIELDS}
        for name in YES_NO_FIELDS:
            initial[name] = "1" if initial[name] else "0"
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(Statutes, fields=STATUTES_FIELDS))
        for name in YES_NO_FIELDS:
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                choices=YES_NO,
                coerce=lambda v: v == "1",
                widget=forms.RadioSelect,
            )
        for name in NUMBER_FIELDS:
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        self.fields["quorum_percent"].help_text = _(
            "Hoeveel procent van de leden aanwezig of vertegenwoordigd moet zijn. 0: geen quorum."
        )
        self.fields["qualified_numerator"].help_text = _(
            "Voor een statutenwijziging of ontbinding, bijvoorbeeld 2 van de 3 uitgebrachte "
            "stemmen."
        )

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in STATUTES_FIELDS}
