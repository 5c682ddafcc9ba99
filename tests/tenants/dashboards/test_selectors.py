"""What the network's figures are read from: only the groups each cooperative shares with
this network, only metrics with a Dutch name, earlier metric keys read as the agreed ones."""

import datetime as dt
from decimal import Decimal

from tenants.dashboards import selectors
from tenants.networks.selectors import cooperatives_visible_to_network
from tests.factories import figures_make, membership_make

NOVEMBER = dt.date(2026, 11, 1)
SEPTEMBER = dt.date(2026, 9, 1)
TODAY = dt.date(2026, 12, 3)


def test_a_month_is_offered_only_when_a_shared_group_has_figures_in_it(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative, groups=("help",))
    membership_make(networks.rijnmond, beta.cooperative, groups=("klussen",))
    figures_make(alfa.cooperative, NOVEMBER, {("help", "services", ""): Decimal(12)})
    # September: only klussen, which alfa does not share with SAMEN030; beta is not in it.
    figures_make(alfa.cooperative, SEPTEMBER, {("klussen", "euros", ""): Decimal(90)})
    figures_make(beta.cooperative, SEPTEMBER, {("klussen", "euros", ""): Decimal(80)})
    samen = cooperatives_visible_to_network(network=networks.samen030)
    rijnmond = cooperatives_visible_to_network(network=networks.rijnmond)
    assert selectors.months_with_figures(visible=samen, today=TODAY) == [NOVEMBER]
    assert selectors.months_with_figures(visible=rijnmond, today=TODAY) == [SEPTEMBER]
    assert selectors.months_with_figures(visible=[], today=TODAY) == []


def test_cells_of_unshared_groups_and_unknown_metrics_are_never_read(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative, groups=("help", "members"))
    figures_make(
        alfa.cooperative,
        NOVEMBER,
        {
            ("help", "services", ""): Decimal(12),
            ("help", "something_new", ""): Decimal(3),
            ("points", "in_circulation", ""): Decimal(400),
        },
    )
    visible = cooperatives_visible_to_network(network=networks.samen030)
    found = selectors.shared_cells(visible=visible)
    assert list(found.values_list("group", "metric")) == [("help", "services")]


def test_a_median_and_an_average_show_per_cooperative_but_have_no_network_total(
    alfa, beta, networks
):
    membership_make(networks.samen030, alfa.cooperative)
    figures_make(
        alfa.cooperative,
        NOVEMBER,
        {
            ("help", "median_days_to_match", ""): Decimal("2.5"),
            ("feedback", "average_rating", ""): Decimal("4.1"),
        },
    )
    visible = cooperatives_visible_to_network(network=networks.samen030)
    (row,) = selectors.dashboard_rows(visible=visible, month=NOVEMBER)
    assert row.cells[("help", "median_days_to_match")].value == Decimal("2.5")
    assert row.cells[("feedback", "average_rating")].value == Decimal("4.1")
    totals = selectors.dashboard_totals(visible=visible, month=NOVEMBER)
    # A median and an average do not add up over a network: no total for them.
    assert totals[("help", "median_days_to_match")].value is None
    assert totals[("help", "median_days_to_match")].shown == 1
