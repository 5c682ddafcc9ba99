"""The groups of figures a cooperative can share with a network, and what each holds.

A cooperative chooses per network which groups it shares (``networks.Membership.share_groups``);
the nightly run (``tenants.figures``) computes only what is shared with at least one network,
inside the cooperative's own schema, and writes aggregate rows to the public schema. Every key
here names a count or an amount over a group of people or services, never a person."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class FigureGroup:
    key: str
    label: StrOrPromise
    description: StrOrPromise


GROUPS: tuple[FigureGroup, ...] = (
    FigureGroup(
        "members",
        _("Leden"),
        _("Nieuwe leden, opzeggingen, leden per soort en actieve vrijwilligers."),
    ),
    FigureGroup(
        "help",
        _("Hulp"),
        _(
            "Hulpvragen en diensten per cluster, uren hulp, hulp dichtbij (zelfde straat of "
            "buurt), dagen tot een match en leden die vaker geholpen zijn."
        ),
    ),
    FigureGroup("feedback", _("Waardering"), _("Hoe tevreden leden zijn over de hulp.")),
    FigureGroup("points", _("Tijdpunten"), _("Tijdpunten in omloop.")),
    FigureGroup("klussen", _("Klussen"), _("Betaalde klussen in euro's en uren.")),
    FigureGroup(
        "wellbeing",
        _("Kwaliteit van leven"),
        _("Groepsuitkomsten van de korte vragenlijst Positieve Gezondheid (0-10)."),
    ),
)
GROUP_KEYS: tuple[str, ...] = tuple(group.key for group in GROUPS)


def group_label(key: str) -> StrOrPromise:
    return next((group.label for group in GROUPS if group.key == key), key)
