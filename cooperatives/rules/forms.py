"""The board's form for a new version of the house rules and rates.

Numbers are plain text fields: the rules service reads "4,50" and "4.50" alike and gives the
Dutch message for anything it refuses, so the page and the API answer the same way.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.decisions.forms import AdoptingDecisionMixin
from cooperatives.rules.models import EURO_FIELDS, Compensation, Rulebook
from cooperatives.rules.selectors import rulebook_values
from cooperatives.setup.selectors import cluster_list, partner_list
from shared.forms import DateField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

YES_NO = [("1", _("ja")), ("0", _("nee"))]


def _number(
    label: StrOrPromise, help_text: StrOrPromise = "", *, decimal: bool = True
) -> forms.CharField:
    # inputmode brings up a number keyboard on a phone; a decimal one where a comma is needed.
    mode = "decimal" if decimal else "numeric"
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"}),
    )


def _yes_no(label: StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect)


class RulebookForm(AdoptingDecisionMixin):
    """The rules, and the decision that adopts them (AdoptingDecisionMixin: one from the
    register of the body that decides on the rules, or recorded here)."""

    euro_rate_per_hour = _number(_("Tarief voor een klus (euro per uur)"), _("Bijvoorbeeld 4,50."))
    points_per_hour = _number(
        _("Tijdpunten per uur hulp"),
        _("Is een half uur 1 punt, vul dan 2 in. Leeg: er worden geen tijdpunten geboekt."),
    )
    max_service_hours = _number(
        _("Langste duur van een dienst (uren)"), _("Bijvoorbeeld 2. Leeg: geen grens.")
    )
    max_open_services = _number(
        _("Aantal open diensten dat een hulpvrager tegelijk mag hebben"),
        _("Bijvoorbeeld 1. Leeg: geen grens."),
        decimal=False,
    )
    feedback_days = _number(
        _("Terugkoppeling aan de hulpvrager binnen (dagen)"),
        _("Bijvoorbeeld 7. Leeg: geen termijn."),
        decimal=False,
    )
    request_reminder_days = _number(
        _("Herinnering bij een hulpvraag zonder koppeling na (dagen)"),
        _("Bijvoorbeeld 7. Leeg: geen herinnering."),
        decimal=False,
    )
    request_expiry_days = _number(
        _("Een hulpvraag zonder koppeling sluit na (dagen)"),
        _("Bijvoorbeeld 30. Leeg: hulpvragen blijven open."),
        decimal=False,
    )
    offer_renewal_days = _number(
        _("Aanbod vragen te verlengen na (dagen)"),
        _("Bijvoorbeeld 90. Leeg: aanbod blijft staan."),
        decimal=False,
    )
    klus_needs_network_check = _yes_no(
        _("Bevestigt de hulpvrager bij een klus dat familie, vrienden en buren niet kunnen helpen?")
    )
    partner_referral_hours = _number(
        _("Klussen groter dan dit aantal uren gaan naar een partner"),
        _("Leeg: geen grens."),
    )
    no_competition_with_social_enterprises = _yes_no(
        _("Geen concurrentie met sociale ondernemers?")
    )
    recipient_approves_quality = _yes_no(
        _("Keurt de ontvanger de kwaliteit goed voordat punten worden geboekt?")
    )
    starter_points = _number(
        _("Startpunten voor nieuwe leden"),
        _("Bijvoorbeeld 10. Leeg: geen startpunten."),
        decimal=False,
    )
    # A minus sign is not on every numeric phone keyboard: a plain text field here.
    min_balance = forms.CharField(
        label=_("Laagste puntensaldo"),
        help_text=_("0 of lager, bijvoorbeeld -20. Leeg: geen grens."),
        required=False,
        max_length=20,
    )
    max_balance = _number(
        _("Hoogste puntensaldo"), _("Bijvoorbeeld 20. Leeg: geen grens."), decimal=False
    )
    share_points_percent = _number(
        _("Aandeel van de coöperatie in punten (procent)"), _("Tussen 0 en 100.")
    )
    share_euro_percent = _number(
        _("Aandeel van de coöperatie in euro's (procent)"), _("Tussen 0 en 100.")
    )
    liability_disclaimer = forms.CharField(
        label=_("Uitsluiting van aansprakelijkheid"),
        help_text=_("De tekst die leden accepteren als zij lid worden."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    effective_from = DateField(
        label=_("Geldig vanaf"),
        help_text=_("Vandaag of later, bijvoorbeeld 01-04-2026."),
        error_messages={"required": _("Vul de datum in waarop deze versie ingaat.")},
    )

    def __init__(self, *args: Any, base: Rulebook | None, **kwargs: Any) -> None:
        """``base`` is the newest version: the form starts from its values."""
        super().__init__(*args, **kwargs)
        values = rulebook_values(rulebook=base)
        for name, value in values.items():
            if name in self.fields:
                self.fields[name].initial = self._shown(value, money=name in EURO_FIELDS)
        # Never before today, nor before a version that is already scheduled.
        today = timezone.localdate()
        self.fields["effective_from"].initial = max(today, base.effective_from) if base else today
        compensation_choices = [("", _("geen regel")), *Compensation.choices]
        self.cluster_names: list[str] = []
        self.partner_names: list[str] = []
        for cluster in cluster_list(active_only=False):
            name = f"cluster_{cluster.pk}"
            label = _("Vergoeding voor %(name)s") % {"name": cluster.name}
            if not cluster.is_active:
                label = _("%(label)s (buiten gebruik)") % {"label": label}
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=compensation_choices,
                required=False,
                initial=values["cluster_compensation"].get(str(cluster.pk), ""),
            )
            self.cluster_names.append(name)
        for partner in partner_list():
            name = f"partner_{partner.pk}"
            label = _("Sociaal tarief van %(name)s (euro per uur)") % {"name": partner.name}
            if not partner.is_active:
                label = _("%(label)s (niet actief)") % {"label": label}
            self.fields[name] = _number(label, _("Leeg: geen sociaal tarief."))
            rate = values["partner_rates"].get(str(partner.pk))
            self.fields[name].initial = self._shown(Decimal(rate) if rate else None, money=True)
            self.partner_names.append(name)

    @staticmethod
    def _shown(value: Any, *, money: bool = False) -> Any:
        """Initial values the way a Dutch member writes them: 4,50 for money, 2 rather than
        2,0 for hours, and ja/nee as 1/0."""
        if isinstance(value, bool):
            return "1" if value else "0"
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return floatformat(value, 2 if money else -2)
        return value

    def cluster_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.cluster_names]

    def partner_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.partner_names]

    def changes(self) -> dict[str, Any]:
        """The submitted rules, for rulebook_revise / rulebook_preview (which check them)."""
        data = self.cleaned_data
        changes = {
            name: data[name]
            for name in self.base_fields
            if name != "effective_from" and name not in self.ADOPTING_FIELDS
        }
        changes["cluster_compensation"] = {
            name.removeprefix("cluster_"): data[name] for name in self.cluster_names if data[name]
        }
        changes["partner_rates"] = {
            name.removeprefix("partner_"): data[name] for name in self.partner_names if data[name]
        }
        return changes
