"""Small-cell suppression: no figure a network sees counts fewer than K members or services.

Primary suppression: a cell whose count is under K is hidden (its value removed), whatever the
value is (an average over four ratings is hidden like a count of four).

Complementary suppression, within one table (the cells of one month, group and ``table``, and
their total, the cell whose dimension is ""): a total minus the cells shown must never give a
hidden cell away. So while a table has hidden cells and
- exactly one of its parts is hidden (the total minus the rest would give it exactly), or
- the hidden parts together count fewer than K (their sum would be a small cell itself),
the smallest part still shown is hidden as well (the smallest count, then the dimension, so two
runs hide the same cells); when no part is left to hide, the total is hidden.

Tables whose counts are the same (services and hours of help by cluster) hide the same cells,
because the choice depends on the counts only.

Runs in the nightly figures run after the cells are computed inside a cooperative's schema and
before anything is written to the public schema (``tenants.figures.services``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cooperatives.figures.cells import Cell

K = 5


@dataclass(frozen=True)
class Outcome:
    """A cell and whether it may be shown; a hidden one is written without its value."""

    cell: Cell
    suppressed: bool


def _table_key(cell: Cell) -> tuple[object, ...] | None:
    if cell.table is None:
        return None
    return (cell.month, cell.group, cell.table)


def _complete(parts: list[Cell], total: Cell | None, hidden: set[int]) -> None:
    """Hide more parts of one table (indices into ``parts``; -1 is the total) until the total
    minus the shown parts reveals no hidden one."""
    total_hidden = total is not None and total.count < K
    if total_hidden:
        hidden.add(-1)
    while True:
        hidden_parts = [i for i in hidden if i >= 0]
        if not hidden_parts or -1 in hidden:
            return
        exposed = len(hidden_parts) == 1 or sum(parts[i].count for i in hidden_parts) < K
        if not exposed:
            return
        shown = [i for i in range(len(parts)) if i not in hidden]
        if shown:
            hidden.add(min(shown, key=lambda i: (parts[i].count, parts[i].dimension)))
        else:
            hidden.add(-1)


def suppress(cells: Iterable[Cell]) -> list[Outcome]:
    """Every cell with whether it is hidden, in the order given."""
    cells = list(cells)
    hidden_ids: set[int] = {i for i, cell in enumerate(cells) if cell.count < K}
    tables: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, cell in enumerate(cells):
        key = _table_key(cell)
        if key is not None:
            tables[key].append(i)
    for members in tables.values():
        part_ids = [i for i in members if cells[i].dimension != ""]
        total_ids = [i for i in members if cells[i].dimension == ""]
        total_id = total_ids[0] if total_ids else None
        parts = [cells[i] for i in part_ids]
        hidden = {n for n, i in enumerate(part_ids) if i in hidden_ids}
        _complete(parts, cells[total_id] if total_id is not None else None, hidden)
        hidden_ids.update(part_ids[n] for n in hidden if n >= 0)
        if -1 in hidden and total_id is not None:
            hidden_ids.add(total_id)
    return [Outcome(cell=cell, suppressed=i in hidden_ids) for i, cell in enumerate(cells)]
