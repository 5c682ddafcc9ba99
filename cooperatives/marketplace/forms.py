"""Forms of the request, offer and settings pages. They only collect the fields: the
marketplace services check the house rules, so a page and the API give the same Dutch
messages.

Forms of the service pages: move, cancel, register hours, confirm (with the quality), say the
hours are not right and correct them, feedback, messages.

The forms only shape input; the lifecycle services check it and give the Dutch refusals, so
the pages and the API answer alike. Hours are plain text: the service reads "1,5" and "1.5"."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cooperatives.marketplace.models import MemberSettings, Reach
from cooperatives.members.models import AVAILABILITY_CHOICES, DAY_PARTS, Member
from cooperatives.rules.models import Compensation, Rulebook
from cooperatives.rules.selectors import rule_display
from cooperatives.setup.models import Cluster
from shared.forms import DateField, TimeField, parse_date

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- requests, offers, settings ----------------------------------------------------------------

MAX_DATES = 5


def compensation_label(kind: str | None, rulebook: Rulebook | None) -> str:
    """How a cluster's help is compensated, in words: "gratis", "klus € 4,50 per uur",
    "tijdpunten"."""
    rate = rule_display("euro_rate_per_hour", rulebook.euro_rate_per_hour) if rulebook else ""
    if kind == Compensation.EUROS:
        return _("klus %(rate)s per uur") % {"rate": rate}
    if kind == Compensation.BOTH:
        return _("klus %(rate)s per uur en tijdpunten") % {"rate": rate}
    if kind == Compensation.POINTS:
        return _("tijdpunten")
    return _("gratis")


def parse_dates(value: str) -> list[dt.date]:
    """'12-03-2026, 14-03-2026' (each date as shared.forms.parse_date reads it, ISO too) →
    dates."""
    dates = []
    for token in re.split(r"[,;]+|\s+(?=\d+[-/.]\d)", value or ""):
        token = token.strip()
        if not token:
            continue
        try:
            day = parse_date(token)
        except ValueError:
            day = None
        if day is None:
            raise forms.ValidationError(
                _(
                    "Vul elke datum in als dag-maand-jaar, bijvoorbeeld 25-12-2026. "
                    "Niet begrepen: %(value)s"
                )
                % {"value": token}
            )
        dates.append(day)
    if len(set(dates)) > MAX_DATES:
        raise forms.ValidationError(_("Kies hoogstens %(n)s data.") % {"n": MAX_DATES})
    return dates


class ClusterChoiceField(forms.ModelChoiceField):
    """Every cluster is accepted (a retired one reaches the service, which says why), but
    only the active ones are offered, each with its compensation under today's rules."""

    def __init__(self, *args: Any, rulebook: Rulebook | None = None, **kwargs: Any):
        self.rulebook = rulebook
        kwargs.setdefault("empty_label", _lazy("Kies een cluster"))
        super().__init__(Cluster.objects.all(), *args, **kwargs)

    def label_from_instance(self, obj: Cluster) -> str:
        kind = self.rulebook.compensation_for(obj) if self.rulebook else None
        return f"{obj.name} ({compensation_label(kind, self.rulebook)})"

    def offer_active_only(self) -> None:
        self.widget.choices = [("", self.empty_label)] + [
            (c.pk, self.label_from_instance(c)) for c in Cluster.objects.filter(is_active=True)
        ]


def _offer_clusters(form: forms.Form, rulebook: Rulebook | None) -> None:
    """The form's cluster field offers today's active clusters under ``rulebook``."""
    field = form.fields["cluster"]
    assert isinstance(field, ClusterChoiceField)
    field.rulebook = rulebook
    field.offer_active_only()


class RequesterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        # Names repeat in a cooperative: the buurt tells them apart.
        return f"{obj.name} ({obj.neighbourhood.name})" if obj.neighbourhood else obj.name


class RequestForm(forms.Form):
    requester = RequesterChoiceField(
        label=_lazy("Voor wie is de hulp?"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_lazy("Voor mijzelf"),
        help_text=_lazy("U vraagt hulp namens dit lid; dat wordt vastgelegd."),
    )
    cluster = ClusterChoiceField(label=_lazy("Waarbij zoekt u hulp?"), required=False)
    title = forms.CharField(
        label=_lazy("Korte omschrijving"),
        required=False,
        max_length=120,
        help_text=_lazy("Bijvoorbeeld: boodschappen doen op dinsdag"),
    )
    description = forms.CharField(
        label=_lazy("Toelichting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    preferred_dates = forms.CharField(
        label=_lazy("Voorkeursdata"),
        required=False,
        max_length=200,
        help_text=_lazy(
            "Hoogstens 5 data als dag-maand-jaar, gescheiden door komma's, bijvoorbeeld "
            "14-03-2026, 16-03-2026. Laat leeg als het niet uitmaakt."
        ),
    )
    preferred_parts = forms.MultipleChoiceField(
        label=_lazy("Dagdelen"),
        choices=DAY_PARTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expected_hours = forms.CharField(
        label=_lazy("Hoe lang duurt het ongeveer (uren)?"),
        required=False,
        max_length=10,
        help_text=_lazy("Bijvoorbeeld 1 of 1,5"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    street = forms.CharField(label=_lazy("Straat"), required=False, max_length=120)
    house_number = forms.CharField(label=_lazy("Huisnummer"), required=False, max_length=12)
    postcode = forms.CharField(label=_lazy("Postcode"), required=False, max_length=10)
    repeats_weekly = forms.BooleanField(label=_lazy("Elke week opnieuw"), required=False)
    network_checked = forms.BooleanField(
        label=_lazy("Familie, vrienden en buren kunnen niet helpen"), required=False
    )

    def __init__(
        self,
        *args: Any,
        rulebook: Rulebook | None,
        on_behalf: QuerySet[Member] | None,
        ask_network_check: bool,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        _offer_clusters(self, rulebook)
        requester = self.fields["requester"]
        assert isinstance(requester, RequesterChoiceField)
        if on_behalf is None:
            del self.fields["requester"]
        else:
            requester.queryset = on_behalf
        if not ask_network_check:
            del self.fields["network_checked"]

    def clean_cluster(self) -> Cluster:
        if self.cleaned_data["cluster"] is None:
            raise forms.ValidationError(_("Kies waarbij u hulp zoekt."))
        return self.cleaned_data["cluster"]

    def clean_preferred_dates(self) -> list[dt.date]:
        return parse_dates(self.cleaned_data["preferred_dates"])

    def service_arguments(self, *, actor: Member) -> dict[str, Any]:
        """Keyword arguments for services.request_create; an empty address means the
        requester's own address."""
        data = dict(self.cleaned_data)
        address = {k: data.pop(k) for k in ("street", "house_number", "postcode")}
        if not any(v.strip() for v in address.values()):
            address = {}
        requester = data.pop("requester", None) or actor
        return {"actor": actor, "requester": requester, **data, **address}


class OfferForm(forms.Form):
    cluster = ClusterChoiceField(label=_lazy("Waarbij wilt u helpen?"), required=False)
    description = forms.CharField(
        label=_lazy("Wat biedt u aan?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    availability = forms.MultipleChoiceField(
        label=_lazy("Wanneer kunt u?"),
        choices=AVAILABILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reach = forms.ChoiceField(
        label=_lazy("Hoe ver wilt u gaan?"),
        choices=Reach.choices,
        initial=Reach.NEIGHBOURHOOD,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, rulebook: Rulebook | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _offer_clusters(self, rulebook)

    def clean_cluster(self) -> Cluster:
        if self.cleaned_data["cluster"] is None:
            raise forms.ValidationError(_("Kies waarbij u wilt helpen."))
        return self.cleaned_data["cluster"]


class RespondForm(forms.Form):
    message = forms.CharField(
        label=_lazy("Bericht aan de hulpvrager (mag leeg blijven)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(forms.Form):
    """Accept one volunteer and plan the first appointment. Each answer on the page has its
    own form, told apart by a prefix."""

    date = DateField(label=_lazy("Datum"))
    start_time = TimeField(label=_lazy("Begintijd"))
    planned_hours = forms.CharField(
        label=_lazy("Duur (uren)"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Waarom trekt u de hulpvraag in?"),
        required=False,
        max_length=300,
        help_text=_lazy("Een vrijwilliger die al gepland was, krijgt dit te lezen."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        label=_lazy("Hoe vaak wilt u een overzicht van nieuwe hulpvragen per e-mail?"),
        choices=MemberSettings.Digest.choices,
        widget=forms.RadioSelect,
    )


class SettingsForm(DigestForm):
    """The settings page: the digest, and what the other side of a matched service sees."""

    share_phone = forms.BooleanField(
        label=_lazy("Mijn telefoonnummer tonen aan wie ik help of wie mij helpt"),
        required=False,
        help_text=_lazy("Alleen bij een afspraak die doorgaat, en alleen aan die ene persoon."),
    )
    share_email = forms.BooleanField(
        label=_lazy("Mijn e-mailadres tonen aan wie ik help of wie mij helpt"),
        required=False,
    )


# --- the service pages -------------------------------------------------------------------------

RATINGS = [
    ("5", _lazy("5 – uitstekend")),
    ("4", _lazy("4 – goed")),
    ("3", _lazy("3 – redelijk")),
    ("2", _lazy("2 – matig")),
    ("1", _lazy("1 – slecht")),
]


def _reason(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=_lazy("De ander krijgt deze reden te lezen."),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _lazy("Geef een reden op; de ander krijgt die te lezen.")},
    )


class ServiceMoveForm(forms.Form):
    date = DateField(
        label=_lazy("Nieuwe datum"), error_messages={"required": _lazy("Kies een datum.")}
    )
    start_time = TimeField(
        label=_lazy("Nieuwe begintijd"),
        error_messages={"required": _lazy("Kies een begintijd.")},
    )
    reason = _reason(_lazy("Waarom wordt de afspraak verzet?"))


class ServiceCancelForm(forms.Form):
    reason = _reason(_lazy("Waarom gaat de afspraak niet door?"))


class ServiceRegisterForm(forms.Form):
    hours = forms.CharField(
        label=_lazy("Hoeveel uur heeft u geholpen?"),
        help_text=_lazy("Bijvoorbeeld 1,5 voor anderhalf uur."),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _lazy("Vul een aantal uren in, bijvoorbeeld 1,5.")},
    )


class ServiceConfirmForm(forms.Form):
    """No fields: the page shows what is confirmed; the button is the confirmation (also of
    the quality, where the rules ask it, and for approving it or booking what waited)."""


class ServiceDisputeForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Wat klopt er niet?"),
        help_text=_lazy(
            "Bijvoorbeeld: het was een uur, geen twee. De vrijwilliger en de coördinator "
            "krijgen dit te lezen."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _lazy(
                "Schrijf op wat er niet klopt; de vrijwilliger en de coördinator lezen het."
            )
        },
    )


class ServiceResolveForm(forms.Form):
    hours = forms.CharField(
        label=_lazy("Hoeveel uur is er echt geholpen?"),
        help_text=_lazy("Bijvoorbeeld 1,5 voor anderhalf uur."),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": _lazy("Vul een aantal uren in, bijvoorbeeld 1,5.")},
    )
    note = forms.CharField(
        label=_lazy("Toelichting voor de hulpvrager (mag leeg blijven)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ServiceMessageForm(forms.Form):
    body = forms.CharField(
        label=_lazy("Uw bericht"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _lazy("Schrijf eerst uw bericht.")},
    )


class ServiceFeedbackForm(forms.Form):
    rating = forms.ChoiceField(
        label=_lazy("Hoe tevreden bent u over de hulp?"),
        choices=RATINGS,
        widget=forms.RadioSelect,
        error_messages={"required": _lazy("Kies een waardering van 1 tot en met 5.")},
    )
    comment = forms.CharField(
        label=_lazy("Toelichting (mag leeg blijven)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
