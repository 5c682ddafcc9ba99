"""The network manager's form to start paying for a member cooperative."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.subscriptions.models import Plan
from tenants.models import Cooperative


class SponsorshipStartForm(forms.Form):
    cooperative = forms.ModelChoiceField(
        label=_("Coöperatie"),
        queryset=Cooperative.objects.none(),
        empty_label=_("– kies een aangesloten coöperatie –"),
        to_field_name="slug",
    )
    plan = forms.ModelChoiceField(
        label=_("Abonnementsvorm die het netwerk betaalt"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("– kies een abonnementsvorm –"),
        help_text=_(
            "Eén keer te kiezen, bij de eerste sponsoring: het netwerk betaalt voor elke "
            "coöperatie dezelfde abonnementsvorm, op één factuur."
        ),
    )

    def __init__(
        self,
        *args: Any,
        cooperatives: list[Cooperative],
        plans: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.fields["cooperative"]
        assert isinstance(chosen, forms.ModelChoiceField)
        chosen.queryset = Cooperative.objects.filter(pk__in=[c.pk for c in cooperatives]).order_by(
            "name"
        )
        if plans is None:
            del self.fields["plan"]
        else:
            plan = self.fields["plan"]
            assert isinstance(plan, forms.ModelChoiceField)
            plan.queryset = plans
            plan.required = True
