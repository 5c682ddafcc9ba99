"""Positieve Gezondheid: the six dimensions of the short quality-of-life questionnaire the board
can send to the members once per period (the quality-of-life aim of Triple Aim).

A round is an ordinary survey of kind ``positive_health`` with six fixed questions, one per
dimension, each a score from 0 to 10 and none required: answering is by choice, whole or in
part. The questions are fixed so that the rounds of one cooperative, and those of several
cooperatives in a network, can be compared. Results follow the surveys' own rule: only groups
of at least five answers are shown, and a round's answers count once it is closed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Dimension:
    key: str  # the figures' dimension (cooperatives.figures.cells.Cell.dimension)
    label: StrOrPromise
    question: StrOrPromise


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "bodily_functions",
        _("Lichaamsfuncties"),
        _(
            "Lichaamsfuncties: hoe gaat het met uw lichaam? Denk aan: u voelt zich gezond en "
            "fit, u slaapt goed, u hebt weinig klachten of pijn."
        ),
    ),
    Dimension(
        "mental_wellbeing",
        _("Mentaal welbevinden"),
        _(
            "Mentaal welbevinden: hoe voelt u zich vanbinnen? Denk aan: u voelt zich vrolijk, "
            "u kunt dingen onthouden, u kunt omgaan met veranderingen."
        ),
    ),
    Dimension(
        "meaning",
        _("Zingeving"),
        _(
            "Zingeving: hoe zinvol vindt u uw leven? Denk aan: u hebt idealen, u hebt "
            "vertrouwen in de toekomst, u hebt zin in het leven."
        ),
    ),
    Dimension(
        "quality_of_life",
        _("Kwaliteit van leven"),
        _(
            "Kwaliteit van leven: hoe tevreden bent u met uw leven? Denk aan: u geniet, u "
            "voelt u gelukkig, u hebt een goed leven."
        ),
    ),
    Dimension(
        "participation",
        _("Meedoen"),
        _(
            "Meedoen: hoe goed kunt u meedoen? Denk aan: contact met anderen, erbij horen, "
            "samen dingen doen, steun van anderen."
        ),
    ),
    Dimension(
        "daily_functioning",
        _("Dagelijks functioneren"),
        _(
            "Dagelijks functioneren: hoe gaat het met de dingen van elke dag? Denk aan: voor "
            "uzelf zorgen, uw grenzen kennen, werk of vrijwilligerswerk, uw geld regelen."
        ),
    ),
)
DIMENSION_KEYS: tuple[str, ...] = tuple(d.key for d in DIMENSIONS)


def dimension_label(key: str) -> StrOrPromise:
    return next((d.label for d in DIMENSIONS if d.key == key), key)
