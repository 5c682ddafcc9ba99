"""What the meetings' pages take: a new meeting, an agenda item, RSVP, a proxy, a vote and an
item's result. Dates are typed dd-mm-jjjj and times HH:MM (shared.forms)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.governance.effects import effect_kinds
from cooperatives.governance.models import Body, Decision, Minutes
from cooperatives.meetings.models import AgendaItem, Choice, Rsvp
from cooperatives.members.models import Member
from shared.forms import DateField, TimeField


def _moment(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None or time is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time))


def _minutes_label(minutes: Minutes) -> str:
    return f"{minutes.body.name} {minutes.held_on.strftime('%d-%m-%Y')}"


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Welk orgaan vergadert?"),
        queryset=Body.objects.none(),
        empty_label=None,
    )
    title = forms.CharField(label=_("Naam van de vergadering"), max_length=150)
    day = DateField(label=_("Datum"))
    time = TimeField(label=_("Begintijd"))
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Link om online mee te doen (als de statuten dat toestaan)"),
        required=False,
        assume_scheme="https",
    )
    previous_minutes = forms.ModelChoiceField(
        label=_("Notulen van de vorige vergadering, om vast te stellen"),
        queryset=Minutes.objects.none(),
        required=False,
        empty_label=_("geen"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body, minutes = self.fields["body"], self.fields["previous_minutes"]
        assert isinstance(body, forms.ModelChoiceField)
        assert isinstance(minutes, forms.ModelChoiceField)
        body.queryset = Body.objects.filter(
            kind__in=(Body.Kind.ALV, Body.Kind.GENERAL_BOARD, Body.Kind.EXECUTIVE_BOARD),
            ended_on__isnull=True,
        ).order_by("id")
        minutes.queryset = (
            Minutes.objects.select_related("body")
            .exclude(status=Minutes.Status.APPROVED)
            .order_by("-held_on")
        )
        minutes.label_from_instance = _minutes_label  # type: ignore[method-assign,assignment]

    def starts_at(self) -> dt.datetime | None:
        return _moment(self.cleaned_data.get("day"), self.cleaned_data.get("time"))


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Onderwerp"), max_length=200)
    explanation = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document_text = forms.CharField(
        label=_("Stuk bij dit punt (tekst)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    document_link = forms.URLField(
        label=_("Link naar een stuk"), required=False, assume_scheme="https"
    )
    kind = forms.ChoiceField(label=_("Soort besluit"), choices=Decision.Kind.choices)
    vote_mode = forms.ChoiceField(
        label=_("Stemming"),
        choices=AgendaItem.VoteMode.choices,
        widget=forms.RadioSelect,
        initial=AgendaItem.VoteMode.OPEN,
    )
    proposal_kind = forms.ChoiceField(
        label=_("Wat brengt het besluit in werking?"), required=False, choices=()
    )
    proposal_payload = forms.CharField(
        label=_("Inhoud van het voorstel"),
        help_text=_('Bijvoorbeeld voor de spelregels: {"euro_rate_per_hour": "5.00"}'),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evoting_opens_day = DateField(label=_("Online stemmen vanaf (datum)"), required=False)
    evoting_opens_time = TimeField(label=_("Online stemmen vanaf (tijd)"), required=False)
    evoting_closes_day = DateField(label=_("Online stemmen tot (datum)"), required=False)
    evoting_closes_time = TimeField(label=_("Online stemmen tot (tijd)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        proposal = self.fields["proposal_kind"]
        assert isinstance(proposal, forms.ChoiceField)
        proposal.choices = [("", _("niets"))] + [(kind, kind) for kind in sorted(effect_kinds())]

    def clean_proposal_payload(self) -> Any:
        raw = (self.cleaned_data.get("proposal_payload") or "").strip()
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            raise forms.ValidationError(
                _("Dit is geen geldige inhoud; schrijf het zoals in het voorbeeld."),
                code="invalid",
            ) from None

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data.get("proposal_kind")
        return {
            "title": data["title"],
            "explanation": data["explanation"],
            "document_text": data["document_text"],
            "document_link": data["document_link"],
            "kind": data["kind"],
            "vote_mode": data["vote_mode"],
            "proposal": {kind: data["proposal_payload"]} if kind else {},
            "evoting_opens": _moment(data.get("evoting_opens_day"), data.get("evoting_opens_time")),
            "evoting_closes": _moment(
                data.get("evoting_closes_day"), data.get("evoting_closes_time")
            ),
        }


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Komt u?"), choices=Rsvp.Answer.choices, widget=forms.RadioSelect
    )


def _members(queryset: Any) -> Any:
    return queryset.order_by("name", "id")


class ProxyForm(forms.Form):
    """A member chooses whom to give their proxy."""

    holder = forms.ModelChoiceField(
        label=_("Wie stemt voor u?"), queryset=Member.objects.none(), empty_label=_("kies iemand")
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        holder = self.fields["holder"]
        assert isinstance(holder, forms.ModelChoiceField)
        holder.queryset = _members(members)


class PaperProxyForm(forms.Form):
    """The secretary records a signed proxy on paper."""

    grantor = forms.ModelChoiceField(
        label=_("Wie machtigt?"), queryset=Member.objects.none(), empty_label=_("kies iemand")
    )
    holder = forms.ModelChoiceField(
        label=_("Wie stemt voor dit lid?"),
        queryset=Member.objects.none(),
        empty_label=_("kies iemand"),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("grantor", "holder"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _members(members)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Uw stem"), choices=Choice.choices, widget=forms.RadioSelect)
    for_member = forms.TypedChoiceField(
        label=_("Voor wie stemt u?"), coerce=int, choices=(), widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, voters: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        whom = self.fields["for_member"]
        assert isinstance(whom, forms.ChoiceField)
        whom.choices = voters
        if voters:
            self.fields["for_member"].initial = voters[0][0]


class ResultForm(forms.Form):
    hall_for = forms.IntegerField(
        label=_("Stemmen voor in de zaal"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hall_against = forms.IntegerField(
        label=_("Stemmen tegen in de zaal"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hall_abstain = forms.IntegerField(
        label=_("Onthoudingen in de zaal"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    text = forms.CharField(
        label=_("Tekst van het besluit (leeg: de toelichting van het punt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutcomeForm(forms.Form):
    """An item without a vote: the meeting agrees (or not) without counting."""

    outcome = forms.ChoiceField(
        label=_("Uitkomst"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Tekst van het besluit (leeg: de toelichting van het punt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Notulen van deze vergadering (concept)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
