"""The estimate and the three aims, from crafted Figure rows: hours × share × hourly cost per
cluster, without suppressed cells, without groups a cooperative does not share with the
network, and without cooperatives the network does not see."""

from decimal import Decimal

from tenants.savings import selectors
from tests.factories import membership_make, network_user


def lines(estimate):
    return {
        (item.cooperative.slug, line.cluster): (line.hours, line.amount)
        for item in estimate.cooperatives
        for line in item.lines
    }


def test_the_estimate_is_the_formula_on_the_shown_hours(alfa, beta, networks, craft, months):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    manager = network_user(networks.samen030)
    parameters = craft.parameters(
        manager, networks.samen030, share="0.5", cost="30", clusters=[("Vervoer", "0.8", "40")]
    )
    f = craft.figure
    f(alfa, months.last, "help", "hours", "Vervoer", "10")
    f(alfa, months.this, "help", "hours", "Vervoer", "5.5")
    f(alfa, months.this, "help", "hours", "Boodschappen", "8")
    f(alfa, months.this, "help", "hours", "Tuin")  # suppressed: left out, counted
    f(alfa, months.this, "help", "hours", "", "23.5")  # the total: not a cluster
    f(beta, months.this, "help", "hours", "vervoer ", "4")  # the listed cluster, other spelling
    f(alfa, months.before, "help", "hours", "Vervoer", "100")  # before the period
    estimate = selectors.savings_estimate(
        network=networks.samen030, first=months.last, last=months.this, parameters=parameters
    )
    assert lines(estimate) == {
        ("alfa", "Boodschappen"): (Decimal("8"), Decimal("120.00")),  # 8 × 0.5 × 30
        ("alfa", "Vervoer"): (Decimal("15.5"), Decimal("496.00")),  # 15.5 × 0.8 × 40
        ("beta", "vervoer"): (Decimal("4"), Decimal("128.00")),  # 4 × 0.8 × 40
    }
    assert estimate.suppressed == 1
    assert {c.cooperative.slug: c.suppressed for c in estimate.cooperatives} == {
        "alfa": 1,
        "beta": 0,
    }
    assert estimate.amount == Decimal("744.00") and estimate.hours == Decimal("27.5")
    per_cluster = {line.cluster: (line.hours, line.amount) for line in estimate.clusters}
    assert per_cluster == {
        "Boodschappen": (Decimal("8"), Decimal("120.00")),
        "Vervoer": (Decimal("19.5"), Decimal("624.00")),
    }


def test_groups_not_shared_and_cooperatives_not_seen_are_left_out(
    alfa, beta, networks, craft, months
):
    membership_make(networks.samen030, alfa.cooperative)
    # beta is in SAMEN030 but shares only its feedback, and in Rijnmond everything.
    membership_make(networks.samen030, beta.cooperative, groups=("feedback",))
    membership_make(networks.rijnmond, beta.cooperative)
    parameters = craft.parameters(network_user(networks.samen030), networks.samen030)
    craft.figure(alfa, months.this, "help", "hours", "Vervoer", "10")
    craft.figure(beta, months.this, "help", "hours", "Vervoer", "70")
    estimate = selectors.savings_estimate(
        network=networks.samen030, first=months.this, last=months.this, parameters=parameters
    )
    assert lines(estimate) == {("alfa", "Vervoer"): (Decimal("10"), Decimal("150.00"))}
    assert [c.slug for c in estimate.not_shared] == ["beta"]
    rijnmond = selectors.savings_estimate(
        network=networks.rijnmond, first=months.this, last=months.this, parameters=None
    )
    assert lines(rijnmond) == {("beta", "Vervoer"): (Decimal("70"), Decimal("0.00"))}


def test_the_version_in_force_is_the_latest_valid_on_the_day(alfa, beta, networks, craft, months):
    manager = network_user(networks.samen030)
    old = craft.parameters(manager, networks.samen030, valid_from=months.before)
    later = craft.parameters(manager, networks.samen030, valid_from=months.this)
    assert selectors.parameters_in_force(network=networks.samen030, on=months.last) == old
    assert selectors.parameters_in_force(network=networks.samen030, on=months.this) == later
    assert selectors.parameters_in_force(network=networks.rijnmond, on=months.this) is None


def test_the_three_aims_per_month_from_shared_groups_only(alfa, beta, networks, craft, months):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative, groups=("feedback", "help"))
    parameters = craft.parameters(network_user(networks.samen030), networks.samen030)
    f = craft.figure
    f(alfa, months.this, "wellbeing", "score", "meaning", "7.5")
    f(alfa, months.this, "wellbeing", "score", "participation")  # suppressed
    f(beta, months.this, "wellbeing", "score", "meaning", "1.0")  # not shared: left out
    f(alfa, months.this, "feedback", "average_rating", "", "4.5")
    f(beta, months.this, "feedback", "average_rating", "", "3.8")
    f(alfa, months.last, "feedback", "average_rating", "")  # suppressed
    f(alfa, months.this, "help", "hours", "", "20")
    f(beta, months.this, "help", "hours", "", "12")
    f(alfa, months.this, "help", "hours", "Vervoer", "20")
    f(beta, months.this, "help", "hours", "Vervoer", "6")
    f(beta, months.this, "help", "hours", "Tuin")  # suppressed
    aims = selectors.triple_aim(
        network=networks.samen030, first=months.last, last=months.this, parameters=parameters
    )
    assert aims.months == [months.last, months.this]
    this_month = dict(aims.wellbeing[1].scores)
    meaning = next(mean for label, mean in aims.wellbeing[1].scores if label == "Zingeving")
    assert (meaning.value, meaning.cooperatives) == (Decimal("7.5"), 1)
    participation = this_month["Meedoen"]
    assert (participation.value, participation.suppressed) == (None, 1)
    assert [
        (r.rating.value, r.rating.cooperatives, r.rating.suppressed) for r in aims.experience
    ] == [
        (None, 0, 1),
        (Decimal("4.2"), 2, 0),  # (4.5 + 3.8) / 2 = 4.15
    ]
    cost = aims.cost[1]
    assert (cost.hours, cost.cooperatives, cost.suppressed) == (Decimal("32"), 2, 0)
    assert cost.amount == Decimal("390.00")  # (20 + 6) × 0.5 × 30
    assert aims.cost[0].hours is None and aims.cost[0].amount is None
    assert aims.sharing == {"wellbeing": 1, "feedback": 2, "help": 2}
