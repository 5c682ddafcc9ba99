"""The figures a network reads, with their Dutch names and units: one list for the dashboard,
the trend page, the CSV download and the API, so all four use the same words.

A metric is a key of ``tenants.figures.Figure`` (``group`` from ``cooperatives.figures.catalog``
and ``metric``), as the nightly run writes it. Its ``dimension`` is "" for the cooperative as a
whole, a member kind (``resident``/``organisation``) for members, a cluster's name for requests,
services and hours, or one of the six dimensions of Positieve Gezondheid for wellbeing.

Shares are percentages (0-100), the median days and averages have one decimal, euros two."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cooperatives.surveys.positive_health import DIMENSIONS as POSITIVE_HEALTH

# What a suppressed cell and a group the cooperative does not share say instead of a number.
SUPPRESSED_TEXT = _("minder dan 5: niet getoond ter bescherming van de privacy")
NOT_SHARED_TEXT = _("niet gedeeld")
EMPTY = "–"


# eq=False: a metric is one object of METRICS, compared and hashed by identity; a hash of
# its fields would translate its lazy label at every dictionary lookup.
@dataclass(frozen=True, eq=False)
class Metric:
    group: str
    key: str
    label: StrOrPromise
    unit: StrOrPromise
    decimals: int = 0
    # A count or an amount: the network's total is the sum of the shown cells. Shares,
    # medians and averages do not add up, so the network has no total for them.
    additive: bool = True
    # Drawn as bars (counts and amounts) or as a line (shares, medians, averages, stocks).
    chart: str = "bar"
    description: StrOrPromise = ""

    @property
    def code(self) -> str:
        return f"{self.group}.{self.key}"


METRICS: tuple[Metric, ...] = (
    Metric("members", "members", _("Leden"), _("leden"), chart="line"),
    Metric("members", "joined", _("Nieuwe leden"), _("leden")),
    Metric("members", "left", _("Opzeggingen"), _("leden")),
    Metric(
        "members",
        "active_volunteers",
        _("Actieve vrijwilligers"),
        _("leden"),
        description=_("Leden die die maand minstens één keer hielpen."),
    ),
    Metric("help", "requests", _("Hulpvragen"), _("vragen")),
    Metric("help", "services", _("Diensten"), _("diensten")),
    Metric("help", "hours", _("Uren hulp"), _("uur"), decimals=1),
    Metric(
        "help",
        "same_street_share",
        _("Hulp in dezelfde straat"),
        "%",
        decimals=1,
        additive=False,
        chart="line",
        description=_(
            "Aandeel van de diensten waarbij helper en hulpvrager in dezelfde straat wonen."
        ),
    ),
    Metric(
        "help",
        "same_buurt_share",
        _("Hulp in dezelfde buurt"),
        "%",
        decimals=1,
        additive=False,
        chart="line",
        description=_(
            "Aandeel van de diensten waarbij helper en hulpvrager in dezelfde buurt wonen."
        ),
    ),
    Metric(
        "help",
        "median_days_to_match",
        _("Dagen tot een match (mediaan)"),
        _("dagen"),
        decimals=1,
        additive=False,
        chart="line",
    ),
    Metric("help", "members_helped", _("Leden geholpen"), _("leden")),
    Metric(
        "help",
        "repeat_help",
        _("Vaker geholpen"),
        _("leden"),
        description=_("Leden die die maand geholpen zijn en al eerder hulp kregen."),
    ),
    Metric("feedback", "ratings", _("Beoordelingen"), _("beoordelingen")),
    Metric(
        "feedback",
        "average_rating",
        _("Gemiddelde waardering"),
        _("van 5"),
        decimals=1,
        additive=False,
        chart="line",
    ),
    Metric("points", "in_circulation", _("Tijdpunten in omloop"), _("punten"), chart="line"),
    Metric("klussen", "klussen", _("Klussen"), _("klussen")),
    Metric("klussen", "euros", _("Klussen in euro's"), "€", decimals=2),
    Metric("klussen", "hours", _("Klussen in uren"), _("uur"), decimals=1),
    Metric(
        "wellbeing",
        "score",
        _("Positieve Gezondheid"),
        _("van 10"),
        decimals=1,
        additive=False,
        chart="line",
    ),
)
BY_CODE: dict[tuple[str, str], Metric] = {(m.group, m.key): m for m in METRICS}

# Stored keys that were renamed, read as their new name so rows written either way show until
# the next nightly run replaces them (old key: new key). None today.
ALIASES: dict[tuple[str, str], str] = {}

# The dashboard's columns: one figure per cooperative for the month (dimension "").
DASHBOARD: tuple[tuple[str, str], ...] = (
    ("members", "members"),
    ("members", "active_volunteers"),
    ("help", "services"),
    ("help", "hours"),
    ("help", "same_street_share"),
    ("help", "same_buurt_share"),
    ("help", "median_days_to_match"),
    ("feedback", "average_rating"),
    ("points", "in_circulation"),
    ("klussen", "euros"),
    ("help", "repeat_help"),
)

DIMENSION_LABELS: dict[str, StrOrPromise] = {
    "": _("totaal"),
    "resident": _("bewoners"),
    "organisation": _("organisaties"),
    # The six dimensions of Positieve Gezondheid, by the names the questionnaire gives them.
    **{dimension.key: dimension.label for dimension in POSITIVE_HEALTH},
}


# Every stored (group, key) this list reads, the earlier names included: one lookup a row.
RESOLVED: dict[tuple[str, str], Metric] = {
    **BY_CODE,
    **{code: BY_CODE[(code[0], key)] for code, key in ALIASES.items()},
}


def metric_for(group: str, key: str) -> Metric | None:
    """The metric of a stored row (an earlier key read as the agreed one), or None for a row
    this list does not know (it is then shown nowhere)."""
    return RESOLVED.get((group, key))


def known_keys(group: str) -> list[str]:
    """The stored metric keys of a group this list names (agreed keys and earlier names)."""
    keys = [m.key for m in METRICS if m.group == group]
    return keys + [old for (g, old), new in ALIASES.items() if g == group and new in keys]


def dimension_label(dimension: str) -> StrOrPromise:
    """A member kind or wellbeing dimension by its Dutch name; a cluster by the name its
    board gave it."""
    return DIMENSION_LABELS.get(dimension, dimension)


def number_text(metric: Metric, value: Decimal | None) -> str:
    """A value without its unit (in a column whose heading names the unit), in the page's
    language: 1.234,5 in Dutch, 1,234.5 in English."""
    if value is None:
        return EMPTY
    # Python's own formatting with the language's separators: Django's number_format is
    # several times slower, and a national network's table has thousands of numbers.
    plain = f"{value:,.{metric.decimals}f}"
    decimal = str(get_format("DECIMAL_SEPARATOR"))
    thousands = str(get_format("THOUSAND_SEPARATOR"))
    return plain.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def value_text(metric: Metric, value: Decimal | None) -> str:
    """A value as the page shows it, with its unit; "–" for none."""
    if value is None:
        return EMPTY
    number = number_text(metric, value)
    if metric.unit == "€":
        return f"€ {number}"
    if metric.unit == "%":
        return f"{number}%"
    return f"{number} {metric.unit}"
