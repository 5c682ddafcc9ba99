"""Small-cell suppression: no shown cell counts fewer than 5, and within a table the total
minus the shown cells never gives a hidden cell away (hand-made tables and generated ones)."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cooperatives.figures.cells import Cell
from tenants.figures.suppression import K, suppress

MONTH = dt.date(2026, 11, 1)


def table(counts: dict[str, int], *, name: str = "services", total: bool = True) -> list[Cell]:
    cells = [
        Cell(MONTH, "help", name, Decimal(n), n, dimension=dim, table=name)
        for dim, n in counts.items()
    ]
    if total:
        n = sum(counts.values())
        cells.append(Cell(MONTH, "help", name, Decimal(n), n, dimension="", table=name))
    return cells


def hidden(cells: list[Cell]) -> set[str]:
    return {o.cell.dimension or "TOTAL" for o in suppress(cells) if o.suppressed}


def test_the_example_of_the_brief_hides_the_small_cluster_and_the_next_smallest():
    # 3 alone would follow from 55 - 40 - 12: 12 goes too; 40 and the total stay.
    assert hidden(table({"Wandelen": 3, "Vervoer": 40, "Boodschappen": 12})) == {
        "Wandelen",
        "Boodschappen",
    }


def test_a_table_without_small_cells_is_shown_whole():
    assert hidden(table({"Wandelen": 5, "Vervoer": 40})) == set()


def test_two_small_cells_that_add_up_to_under_five_take_a_third_with_them():
    # 1 + 2 = 3 < 5: the total minus the shown cells would be a small cell itself.
    assert hidden(table({"a": 1, "b": 2, "c": 30, "d": 6})) == {"a", "b", "d"}


def test_two_small_cells_that_add_up_to_five_or_more_hide_nothing_else():
    assert hidden(table({"a": 4, "b": 3, "c": 30})) == {"a", "b"}


def test_when_every_part_is_hidden_and_still_exposed_the_total_goes():
    # Two parts: 3 hidden, then 20 hidden (3 alone is exposed); 23 >= 5, so the total stays.
    assert hidden(table({"a": 3, "b": 20})) == {"a", "b"}
    # One part only: it equals the total, so the total is hidden with it.
    assert hidden(table({"a": 3})) == {"a", "TOTAL"}


def test_a_small_total_hides_the_whole_table():
    assert hidden(table({"a": 2, "b": 2})) == {"a", "b", "TOTAL"}


def test_a_cell_outside_a_table_is_hidden_only_for_itself():
    alone = [
        Cell(MONTH, "feedback", "average_rating", Decimal("4.5"), 4),
        Cell(MONTH, "feedback", "ratings", Decimal(9), 9),
    ]
    assert [o.suppressed for o in suppress(alone)] == [True, False]


def test_tables_of_different_months_are_apart():
    other = [
        Cell(dt.date(2026, 10, 1), "help", "services", Decimal(n), n, dimension=d, table="services")
        for d, n in (("a", 3), ("", 3))
    ]
    outcomes = suppress(table({"a": 10, "b": 10}) + other)
    assert [o.suppressed for o in outcomes] == [False, False, False, True, True]


def test_hours_follow_the_services_they_count():
    counts = {"Wandelen": 3, "Vervoer": 40, "Boodschappen": 12}
    hours = [
        Cell(MONTH, "help", "hours", Decimal("1.5") * n, n, dimension=d, table="hours")
        for d, n in counts.items()
    ]
    hours.append(Cell(MONTH, "help", "hours", Decimal("82.5"), 55, dimension="", table="hours"))
    assert hidden(hours) == hidden(table(counts))


# --- generated tables -----------------------------------------------------------------------------


def _check_table(counts: list[int]) -> None:
    cells = table({f"c{i:02d}": n for i, n in enumerate(counts)})
    outcomes = suppress(cells)
    parts = [o for o in outcomes if o.cell.dimension]
    total = next(o for o in outcomes if not o.cell.dimension)
    # 1. Nothing shown counts fewer than K.
    assert all(o.cell.count >= K for o in outcomes if not o.suppressed)
    # 2. Every small cell is hidden.
    assert all(o.suppressed for o in outcomes if o.cell.count < K)
    hidden_parts = [o for o in parts if o.suppressed]
    if not total.suppressed and hidden_parts:
        # 3. The total minus the shown parts is the sum of at least two hidden parts, and that
        #    sum is no small cell: no hidden part can be worked out from what is shown.
        rest = total.cell.count - sum(o.cell.count for o in parts if not o.suppressed)
        assert rest == sum(o.cell.count for o in hidden_parts)
        assert len(hidden_parts) >= 2
        assert rest >= K
    # 4. Nothing is hidden without need: one part of K or more, added to the small ones, always
    #    makes their sum K or more, so at most one such part is hidden, and it is the smallest.
    big_hidden = [o.cell.count for o in hidden_parts if o.cell.count >= K]
    assert len(big_hidden) <= 1
    shown_counts = [o.cell.count for o in parts if not o.suppressed]
    if big_hidden and shown_counts:
        assert big_hidden[0] <= min(shown_counts)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12))
def test_generated_tables_never_reveal_a_small_cell(counts):
    _check_table(counts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=8))
def test_generated_tables_of_mostly_small_cells_never_reveal_one(counts):
    _check_table(counts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=10))
def test_suppression_is_the_same_each_time_whatever_the_order(counts):
    cells = table({f"c{i:02d}": n for i, n in enumerate(counts)})
    first = {(o.cell.dimension, o.suppressed) for o in suppress(cells)}
    again = {(o.cell.dimension, o.suppressed) for o in suppress(list(reversed(cells)))}
    assert first == again
