"""Where a group of figures that is computed outside ``cooperatives.figures`` plugs in.

Two groups of the catalog hold data that this package may not read itself:
- ``klussen``: the euros of paid klussen live in ``billing.klussen``, a layer above the
  cooperative apps (import-linter: noaber -> billing -> tenants -> cooperatives -> shared).
  ``cooperatives`` may never import billing, and ``tenants`` (where the nightly run lives) may
  not either, as tenants sits below billing. So billing registers its computer here from its
  own ``ready()``, through ``cooperatives.settlement`` (the one interface billing may import),
  exactly as it registers its sections of the annual report;
- ``wellbeing``: the Positieve Gezondheid questionnaire is its own feature, which registers
  here the same way.

A computer is ``computer(*, month) -> list[Cell]``: it runs inside the cooperative's schema for
one month (its first day) and returns aggregate cells only. A group without a computer yields
no cells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from cooperatives.figures.cells import Cell

Computer = Callable[..., list[Cell]]

_computers: dict[str, Computer] = {}


def figure_group_register(key: str, computer: Computer) -> None:
    """Register the computer of group ``key`` (again under the same key replaces it:
    ``ready()`` may run twice)."""
    _computers[key] = computer


def figure_group_computer(key: str) -> Computer | None:
    return _computers.get(key)


def figure_group_compute(key: str, *, month: dt.date) -> list[Cell]:
    computer = _computers.get(key)
    return list(computer(month=month)) if computer is not None else []


__all__ = ["Computer", "figure_group_compute", "figure_group_computer", "figure_group_register"]
