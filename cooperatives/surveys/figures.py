"""The figures group "wellbeing" (quality of life, the first aim of Triple Aim): per month, the
average score of each dimension of Positieve Gezondheid, computed inside the cooperative's own
schema by the nightly network figures run.

A month's cells come from the latest round of Positieve Gezondheid whose period ended in that
month (its last day, ``closes_on``) and that the board has closed: answers carry no date of
their own (so that nothing ties them to the register of who answered), the round's period
dates them; and a round counts once closed, as on the board's own results page, so nobody can
compare the figures before and after one member answered. A month without such a round has no
cells: the trend shows a gap rather than an old round as if it were new.

Each cell is an average over answers and names nobody: ``count`` is how many members answered
that question, and the suppression rule (``tenants.figures``) hides a cell of fewer than five,
whatever its value. The cells stand alone (``table`` None): averages do not add up."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from cooperatives.figures.cells import Cell
from cooperatives.surveys.models import Answer, Question, Survey
from cooperatives.surveys.positive_health import DIMENSION_KEYS

GROUP = "wellbeing"
METRIC = "score"


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def wellbeing_round(*, month: dt.date) -> Survey | None:
    """The closed round of Positieve Gezondheid whose period ended last within ``month``."""
    start = month.replace(day=1)
    return (
        Survey.objects.filter(
            kind=Survey.Kind.POSITIVE_HEALTH,
            status=Survey.Status.CLOSED,
            closes_on__gte=start,
            closes_on__lt=_next_month(start),
        )
        .order_by("-closes_on", "-closed_at", "-pk")
        .first()
    )


def wellbeing_cells(*, month: dt.date) -> list[Cell]:
    """One cell per dimension for ``month``: metric "score", the dimension's key, the average
    score (0 to 10, one decimal) and the number of answers; no cells without a closed round."""
    start = month.replace(day=1)
    survey = wellbeing_round(month=start)
    if survey is None:
        return []
    # One aggregate query over the answers: no response id, no member, no single answer leaves.
    totals = {
        row["question__dimension"]: (row["total"], row["answers"])
        for row in Answer.objects.filter(
            response__survey=survey,
            question__kind=Question.Kind.SCORE,
            question__dimension__in=DIMENSION_KEYS,
            scale__isnull=False,
        )
        .values("question__dimension")
        .annotate(total=Sum("scale"), answers=Count("pk"))
        .order_by()
    }
    cells = []
    for key in DIMENSION_KEYS:
        total, answers = totals.get(key, (0, 0))
        average = (
            (Decimal(total) / answers).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if answers
            else Decimal(0)
        )
        cells.append(
            Cell(
                month=start,
                group=GROUP,
                metric=METRIC,
                value=average,
                count=answers,
                dimension=key,
            )
        )
    return cells
